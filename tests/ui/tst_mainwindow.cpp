// The main window as a person first meets it: on a laptop's screen at 1366 x 700 (a 768 px
// screen less a panel and a title bar) it keeps that size, the interpolation slider stays in
// view, and the panels that do not fit scroll instead of being squeezed below their own
// minimums. Any change a save would keep marks the work unsaved; a failed open keeps what was
// on show; the projection box, the Loaded row and the Help menu say what is true.

#include "model/data/idx.h"
#include "model/data/lines.h"
#include "model/io/checkpoint.h"
#include "model/io/export.h"
#include "model/numbers.h"
#include "tests/support/windowwait.h"
#include "ui/explorer/directionscontroller.h"
#include "ui/explorer/explorer.h"
#include "ui/session/sessionhost.h"
#include "ui/session/sessionrecovery.h"
#include "ui/threads/backgroundtasks.h"
#include "ui/window/helpmenu.h"
#include "ui/window/mainwindow.h"
#include "ui/window/modelfiles.h"
#include "ui/window/modelpanel.h"
#include "widgets/lossplot.h"
#include "widgets/scatter/latentplot.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest/QtTest>

#include <fstream>

using namespace latentlab;

namespace {

// The Data & Model choices a window starts from (as a person's last session left them).
void rememberChoices(ModelKind kind, const std::string &data = "lines:300") {
    ModelConfig c = ModelConfig::forKind(kind);
    c.hidden = c.discHidden = 32;
    c.batch = 16;
    c.data = data;
    c.device = "cpu";
    QSettings().setValue(QStringLiteral("model/config"), QString::fromStdString(c.toJsonText()));
}

// A small checkpoint on 32 x 32 lines, and 200 images of 32 x 32 as an IDX file, in `dir`.
std::pair<QString, QString> modelAndData(const QTemporaryDir &dir) {
    ModelConfig c = ModelConfig::forKind(ModelKind::Aae);
    c.hidden = c.discHidden = 32;
    c.height = c.width = 32;
    c.data = "lines:300";
    c.device = "cpu";
    Trainer trainer(c);
    trainer.setData(makeLinesDataset(300, 1));
    const QString model = dir.filePath("model.pt");
    saveCheckpoint(trainer, model.toStdString());
    IdxArray images{{200, 32, 32}, std::vector<uint8_t>(200 * 32 * 32)};
    for (size_t i = 0; i < images.data.size(); ++i)
        images.data[i] = uint8_t((i * 7) % 256);
    const QString data = dir.filePath("images-idx3-ubyte");
    writeIdx(data.toStdString(), images);
    return {model, data};
}

QAction *actionNamed(QWidget &window, const QString &text) {
    for (QAction *a : window.findChildren<QAction *>())
        if (a->text() == text)
            return a;
    return nullptr;
}

QString errorText(QWidget &window) {
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("errorBox"));
    return box && box->isVisible() ? box->text() : QString();
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        torch::set_num_threads(1);
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("LatentLab-tests"));
    }
    void init() {
        QSettings().clear(); // the default layout, not one a person left
    }

    void fitsALaptopScreen() {
        const QSize laptop(1366, 700);
        MainWindow window;
        QVERIFY(opened(window, [&] { window.files()->createModel(); }));
        QVERIFY(window.explorer()->session());
        window.resize(laptop);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCoreApplication::processEvents();
        const QSize minimum = window.minimumSizeHint();
        qInfo("the window's minimum: %d x %d", minimum.width(), minimum.height());
        QVERIFY2(minimum.width() <= laptop.width() && minimum.height() <= laptop.height(),
                 qPrintable(QStringLiteral("the window needs at least %1 x %2")
                                .arg(minimum.width())
                                .arg(minimum.height())));
        QCOMPARE(window.size(), laptop);

        auto *slider = window.findChild<QSlider *>(QStringLiteral("interpolationSlider"));
        QVERIFY(slider && slider->isVisible());
        const QRect sliderInWindow(slider->mapTo(&window, QPoint(0, 0)), slider->size());
        QVERIFY(window.rect().contains(sliderInWindow));

        // No panel in a scrolled dock is cut at the side (they scroll only up and down).
        for (QDockWidget *dock : window.findChildren<QDockWidget *>()) {
            auto *area = qobject_cast<QScrollArea *>(dock->widget());
            if (!area || !dock->isVisible())
                continue;
            QVERIFY2(area->widget()->width() <= area->viewport()->width(),
                     qPrintable(dock->objectName()));
        }
    }

    // Adding a direction is work a save keeps: the title is marked, autosave and save keep it,
    // and closing asks (issue 32: it closed without a word and the file stayed as it was).
    void directionsMarkTheWorkUnsaved() {
        rememberChoices(ModelKind::Aae);
        QTemporaryDir dir;
        MainWindow window;
        window.show();
        QVERIFY(opened(window, [&] { window.files()->createModel(); }));
        Explorer *explorer = window.explorer();
        QTRY_VERIFY(explorer->shownSnapshot());
        QVERIFY(window.windowTitle().contains(QLatin1String("[*]")));
        QVERIFY(!window.isWindowModified());
        QVERIFY(!explorer->host()->hasUnsavedWork());

        explorer->directions()->addClassDirection(0, 1);
        QVERIFY(explorer->host()->hasUnsavedWork());
        QVERIFY(window.isWindowModified());

        // An autosave keeps it for recovery, and the work stays unsaved.
        QSignalSpy autosaved(window.recovery(), &SessionRecovery::autosaved);
        window.recovery()->autosaveNow();
        QVERIFY(autosaved.wait(20000));
        QCOMPARE(autosaved.last().at(1).toString(), QString());
        QCOMPARE(readCheckpoint(window.recovery()->autosavePath().toStdString()).directions.size(),
                 size_t(1));
        QVERIFY(window.isWindowModified());

        // The person's save keeps it and clears the mark.
        const QString path = dir.filePath("model.pt");
        QSignalSpy saved(explorer->host(), &SessionHost::saved);
        explorer->host()->save(path);
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().at(1).toString(), QString());
        QVERIFY(!window.isWindowModified());
        QCOMPARE(readCheckpoint(path.toStdString()).directions.size(), size_t(1));

        // A rate changed in the Training dock is kept by a save too.
        explorer->host()->setLearningRates(0.002, 0.0005, 0.0005);
        QVERIFY(window.isWindowModified());
        explorer->host()->save(path);
        QVERIFY(saved.wait(20000));
        QVERIFY(!window.isWindowModified());
        QCOMPARE(readCheckpointConfig(path.toStdString()).lrRecon, 0.002);

        // Removing it again is a change as well; closing asks about it (Cancel keeps the window).
        explorer->directions()->removeDirection(0);
        QVERIFY(window.isWindowModified());
        QString asked;
        QTimer::singleShot(0, this, [&] {
            QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            asked = box->text();
            box->button(QMessageBox::Cancel)->click();
        });
        QVERIFY(!window.close());
        QVERIFY2(asked.contains(QLatin1String("changes since it was last saved")),
                 qPrintable(asked));
        QVERIFY(window.isVisible());
        explorer->host()->stop();
    }

    // A file that is missing or not a model leaves the model on show and the Data & Model
    // choice as they were; at start, a fresh model opens instead (never a dead window).
    void aFailedOpenKeepsTheModelOnShow() {
        rememberChoices(ModelKind::Aae);
        QTemporaryDir dir;
        MainWindow window;
        window.show();
        QVERIFY(opened(window, [&] { window.files()->createModel(); }));
        TrainingSession *session = window.explorer()->session();
        auto *panel = window.findChild<ModelPanel *>();
        const QString data = panel->dataSpec();

        QVERIFY(!opened(window, [&] { window.files()->open(dir.filePath("no-such-model.pt")); }));
        QVERIFY2(errorText(window).contains(QLatin1String("does not exist")),
                 qPrintable(errorText(window)));
        QCOMPARE(window.explorer()->session(), session);

        // An IDX header over too few bytes: the data set does not load.
        const QString idx = dir.filePath("broken-idx3-ubyte");
        {
            QFile f(idx);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromHex("00000803000003e80000001c0000001c") + QByteArray(50, 7));
        }
        QVERIFY(!opened(window, [&] { window.files()->open(idx); }));
        QCOMPARE(window.explorer()->session(), session);
        QCOMPARE(panel->dataSpec(), data);
        auto *choices = panel->findChild<QComboBox *>(QStringLiteral("data"));
        QVERIFY(choices && choices->findData(QStringLiteral("idx:") + idx) < 0);
        window.explorer()->host()->stop();

        MainWindow fresh;
        fresh.show();
        QVERIFY(opened(fresh, [&] { fresh.start({dir.filePath("no-such-model.pt")}); }));
        QVERIFY2(errorText(fresh).contains(QLatin1String("does not exist")),
                 qPrintable(errorText(fresh)));
        QVERIFY(fresh.explorer()->session());
        QVERIFY(actionNamed(fresh, QStringLiteral("Play"))->isEnabled());
        fresh.explorer()->host()->stop();
    }

    // A remembered data set that is gone: the window starts on the defaults instead.
    void startsOnTheDefaultsWhenTheChoicesFail() {
        rememberChoices(ModelKind::Aae, "folder:/no/such/folder");
        MainWindow window;
        window.show();
        QVERIFY(opened(window, [&] { window.start({}); }));
        QVERIFY(window.explorer()->session());
        QCOMPARE(window.findChild<ModelPanel *>()->dataSpec(),
                 QString::fromStdString(ModelPanel::defaultConfig().data));
        window.explorer()->host()->stop();
    }

    // The semi-supervised AAE shows its style's dims 0 and 1: so does the projection box, and
    // the Loaded row says what its 12-wide code is made of.
    void theProjectionBoxShowsTheView() {
        rememberChoices(ModelKind::AaeSemiSupervised);
        MainWindow window;
        window.show();
        QVERIFY(opened(window, [&] { window.files()->createModel(); }));
        QCOMPARE(window.explorer()->projection().kind(), Projection::Kind::Dimensions);
        auto *box = window.findChild<QComboBox *>(QStringLiteral("projectionBox"));
        QVERIFY(box);
        QCOMPARE(box->currentText(), QStringLiteral("dimensions"));
        QVERIFY(box->isEnabled());
        QCOMPARE(window.latentPlot()->xAxis->label(), QStringLiteral("z0"));
        auto *panel = window.findChild<ModelPanel *>();
        QVERIFY2(panel->modelText().contains(QLatin1String("code 12 (style 2 + 10 categories)")),
                 qPrintable(panel->modelText()));
        // Choosing principal components is a change the box and the axes agree on.
        box->setCurrentIndex(0);
        QCOMPARE(window.explorer()->projection().kind(), Projection::Kind::Pca);
        QCOMPARE(window.latentPlot()->xAxis->label(), QStringLiteral("PC1"));
        window.explorer()->host()->stop();
    }

    // The Loaded row follows training; Help has the keys and the guide's sections.
    void theLoadedRowAndHelpSayWhatIsTrue() {
        rememberChoices(ModelKind::Aae);
        MainWindow window;
        window.show();
        QVERIFY(opened(window, [&] { window.files()->createModel(); }));
        auto *panel = window.findChild<ModelPanel *>();
        QVERIFY2(panel->modelText().endsWith(QLatin1String("step 0")),
                 qPrintable(panel->modelText()));
        window.explorer()->host()->stepOnce();
        window.explorer()->host()->stepOnce();
        QTRY_VERIFY_WITH_TIMEOUT(panel->modelText().endsWith(QLatin1String("step 2")), 20000);

        const QStringList keys = shortcutLines(&window);
        QVERIFY2(keys.contains(QStringLiteral("Space\tPlay")), qPrintable(keys.join('\n')));
        QVERIFY(keys.contains(QStringLiteral("Ctrl+S\tSave checkpoint")));
        const QStringList sections = guideSections();
        for (const char *section : {"The explorer", "latentlab-cli", "When things go wrong"})
            QVERIFY2(sections.contains(QLatin1String(section)), section);
        QMenu *help = nullptr;
        for (QAction *a : window.menuBar()->actions())
            if (a->text() == QLatin1String("&Help"))
                help = a->menu();
        QVERIFY(help);
        QStringList entries;
        for (QAction *a : help->actions())
            entries << a->text();
        QVERIFY2(entries.contains(QStringLiteral("&Keys and mouse…")) &&
                     entries.contains(QStringLiteral("&Guide")),
                 qPrintable(entries.join(',')));
        window.explorer()->host()->stop();
    }

    // latentlab-cli train leaves losses.csv beside model.pt: opening the model shows them.
    void openingACheckpointShowsItsLosses() {
        rememberChoices(ModelKind::Aae);
        QTemporaryDir run;
        ModelConfig c = ModelConfig::forKind(ModelKind::Aae);
        c.hidden = c.discHidden = 32;
        c.batch = 16;
        c.height = c.width = 32;
        c.data = "lines:300";
        c.device = "cpu";
        Trainer trainer(c);
        trainer.setData(makeLinesDataset(300, 1));
        LossesCsvWriter csv((run.path() + "/losses.csv").toStdString(), trainer.lossNames(), false);
        for (int i = 0; i < 6; ++i) {
            const StepLosses l = trainer.step();
            csv.write(l.step, l.values);
        }
        saveCheckpoint(trainer, (run.path() + "/model.pt").toStdString());
        csv.write(7, {{"recon", 0.5}, {"disc", 0.5}, {"gen", 0.5}}); // after the save
        csv.flush();

        MainWindow window;
        window.show();
        QVERIFY(opened(window, [&] { window.files()->open(run.filePath("model.pt")); }));
        auto *losses = window.findChild<LossPlot *>();
        QCOMPARE(losses->pointCount(), 6);
        window.explorer()->host()->stop();
    }
    // Opening runs in the background: the call returns at once with the model on show as it
    // was, the window's event loop keeps turning while the file is read and its items encoded,
    // and the status bar names the work.
    void openingRunsInTheBackground() {
        rememberChoices(ModelKind::Aae);
        QTemporaryDir dir;
        const auto [model, data] = modelAndData(dir);
        MainWindow window;
        window.show();
        QVERIFY(opened(window, [&] { window.files()->createModel(); }));
        TrainingSession *before = window.explorer()->session();
        QSignalSpy busy(window.explorer()->tasks(), &BackgroundTasks::busyChanged);
        int turns = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, [&] { ++turns; });
        ticker.start(0);
        QVERIFY(opened(window, [&] {
            window.files()->open(model);
            QVERIFY(window.files()->busy());
            QCOMPARE(window.explorer()->session(), before); // not yet replaced
        }));
        QVERIFY2(turns > 0, "the event loop did not turn while the model opened");
        QVERIFY(window.explorer()->session() != before);
        QVERIFY(window.windowTitle().startsWith(QLatin1String("model.pt")));
        QVERIFY(!busy.isEmpty());
        QCOMPARE(busy.first().at(1).toString(), QStringLiteral("Opening model.pt"));
        QVERIFY(!window.files()->busy());
        window.explorer()->host()->stop();
    }

    // The Select menu and toolbar: the tool a drag uses, and the count in the status bar, which
    // follows every change to the selection and hides when nothing is selected.
    void theSelectionToolsAndCount() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        LatentPlot *plot = window.latentPlot();
        QMenu *menu = nullptr;
        for (QAction *a : window.menuBar()->actions())
            if (a->text() == QStringLiteral("&Select"))
                menu = a->menu();
        QVERIFY(menu);
        auto action = [&](const QString &text) {
            for (QAction *a : menu->actions())
                if (a->text() == text)
                    return a;
            return static_cast<QAction *>(nullptr);
        };
        QVERIFY(action("Lasso") && action("Pan") && action("Invert") && action("Clear"));
        action("Lasso")->trigger();
        QCOMPARE(plot->tool(), LatentPlot::Tool::Lasso);
        action("Pan")->trigger();
        QCOMPARE(plot->tool(), LatentPlot::Tool::Pan);

        auto *count = window.findChild<QLabel *>(QStringLiteral("selectionCount"));
        QVERIFY(count);
        QVERIFY(!count->isVisible());
        plot->setPoints({0, 1, 2, 3}, {0, 1, 2, 3}, {0, 0, 1, 1}, {"a", "b"});
        plot->selectLabel(1);
        QCOMPARE(count->text(), QStringLiteral("2 selected"));
        QVERIFY(count->isVisible());
        action("Invert")->trigger();
        QCOMPARE(plot->selected(), QVector<int>({0, 1}));
        action("Clear")->trigger();
        QCOMPARE(plot->selectedCount(), 0);
        QVERIFY(!count->isVisible());
    }

    // The live sample is a setting of the Training dock, remembered for the next window, and
    // the sessions started after take it.
    void theLiveSampleIsARememberedSetting() {
        {
            MainWindow window;
            auto *box = window.findChild<QSpinBox *>(QStringLiteral("liveSample"));
            QVERIFY(box);
            QCOMPARE(box->value(), int(TrainingSession::kLiveSample));
            QCOMPARE(window.explorer()->liveSample(), TrainingSession::kLiveSample);
            box->setValue(5000);
            QCOMPARE(window.explorer()->liveSample(), int64_t(5000));
            window.explorer()->host()->stop();
        }
        MainWindow again;
        QCOMPARE(again.findChild<QSpinBox *>(QStringLiteral("liveSample"))->value(), 5000);
        QCOMPARE(again.explorer()->liveSample(), int64_t(5000));
        again.explorer()->host()->stop();
    }

    // `latentlab FILE...`: a model and a data set in either order, the data opened first;
    // two models are one too many, said in words.
    void opensAModelAndADataSetInEitherOrder() {
        rememberChoices(ModelKind::Aae);
        QTemporaryDir dir;
        const auto [model, data] = modelAndData(dir);
        for (const QStringList &files : {QStringList{model, data}, QStringList{data, model}}) {
            MainWindow window;
            window.show();
            QVERIFY(opened(window, [&] { window.start(files); }));
            QVERIFY2(window.windowTitle().startsWith(QLatin1String("model.pt")),
                     qPrintable(window.windowTitle()));
            // The data set was opened (a LatentLab checkpoint then shows its own data).
            auto *choices = window.findChild<QComboBox *>(QStringLiteral("data"));
            QVERIFY(choices && choices->findData(QStringLiteral("idx:") + data) >= 0);
            QVERIFY(!window.findChild<QMessageBox *>(QStringLiteral("errorBox")));
            window.explorer()->host()->stop();
        }
        MainWindow window;
        window.show();
        QVERIFY(!opened(window, [&] { window.files()->openFiles({model, model}); }));
        QVERIFY2(errorText(window).contains(QLatin1String("one model and one data set at most")),
                 qPrintable(errorText(window)));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
