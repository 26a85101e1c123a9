// A TorchScript model from Python in the window (issue 14): File > Open model recognises it by
// content; the window explores it like its own models (the scatter of its codes, the prior it
// names drawn under them, the interpolation slider, the manifold map and the comparison strip
// decoding through it); it says where a person looks for training that this model is not
// trained here; and a module that breaks the interface, or fails on the data, gets one sentence
// while the model on show stays. Needs python3-torch to make the models; skips without it.

#include "model/nets/scriptedmodel.h"
#include "tests/support/pythonmodels.h"
#include "tests/support/windowwait.h"
#include "ui/explorer/explorer.h"
#include "ui/explorer/interpolationcontroller.h"
#include "ui/explorer/manifoldcontroller.h"
#include "ui/session/sessionhost.h"
#include "ui/session/sessionrecovery.h"
#include "ui/window/mainwindow.h"
#include "ui/window/modelpanel.h"
#include "widgets/scatter/latentplot.h"

#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <torch/torch.h>

using namespace latentlab;

namespace {

QAction *actionNamed(QWidget *window, const QString &text) {
    for (QAction *a : window->findChildren<QAction *>())
        if (a->text() == text)
            return a;
    return nullptr;
}

} // namespace

class TestScripted : public QObject {
    Q_OBJECT
    QString python_;
    QTemporaryDir models_;

private Q_SLOTS:
    void initTestCase() {
        QApplication::setOrganizationName(QStringLiteral("LatentLab-tests"));
        QSettings().clear();
        torch::set_num_threads(1);
        python_ = pythonWithTorch();
        if (python_.isEmpty())
            return;
        const QString made = makeTorchScriptModels(python_, models_.path());
        QVERIFY2(made.isEmpty(), qPrintable(made));
    }

    void windowExploresATorchScriptModel() {
        if (python_.isEmpty())
            QSKIP("no python3 with torch here (apt-get install python3-torch)");
        MainWindow window;
        const QString path = models_.filePath("aae.ts");
        QVERIFY(opened(window, [&] { window.files()->open(path); }));
        Explorer *explorer = window.explorer();
        QVERIFY(explorer->session());
        QVERIFY2(window.windowTitle().startsWith("aae.ts"), qPrintable(window.windowTitle()));
        auto *panel = window.findChild<ModelPanel *>();
        QVERIFY(panel);
        QVERIFY2(panel->modelText().contains("TorchScript model aae.ts") &&
                     panel->modelText().contains("TorchScript, code 2, 1x32x32") &&
                     !panel->modelText().contains("step"),
                 qPrintable(panel->modelText()));
        // The AAE choices beside it are for the next model (issue 32: they read as this one's).
        auto *choices = panel->findChild<QGroupBox *>();
        QVERIFY(choices && choices->title() == QLatin1String("New model"));
        QVERIFY(choices->findChild<QComboBox *>(QStringLiteral("data")));

        // The scatter holds the codes Python's encode gives for the shown items.
        const auto snapshot = explorer->session()->latest();
        QVERIFY(snapshot && snapshot->codes.size(0) > 100);
        QCOMPARE(window.latentPlot()->pointCount(), int(snapshot->codes.size(0)));
        const auto script = ScriptedModel::open(path.toStdString());
        const torch::Tensor first = explorer->session()->data().images.slice(0, 0, 5);
        QVERIFY(
            (script->encode(first) - snapshot->codes.slice(0, 0, 5)).abs().max().item<double>() <
            1e-5);
        // It names a prior (mixture10): drawn under the points.
        QVERIFY(window.latentPlot()->hasDensity());

        // The slider decodes through the module: each end is the module's decode of that
        // item's code (a sigmoid of it: decode_output "logits").
        explorer->interpolation()->pickItem(0);
        explorer->interpolation()->pickItem(1, true);
        const torch::Tensor pictures =
            torch::sigmoid(script->decodeRaw(script->encode(first.slice(0, 0, 2))));
        for (int end = 0; end < 2; ++end) {
            const torch::Tensor shown = explorer->interpolation()->decodeAt(double(end));
            QCOMPARE(shown.sizes(), (std::vector<int64_t>{1, 32, 32}));
            QVERIFY((shown - pictures[end]).abs().max().item<double>() < 1e-5);
        }

        // The manifold map decodes through it on its pool thread; the comparison strip takes
        // a TorchScript model too (here the traced one on the same two ends).
        explorer->manifold()->setVisible(true);
        QTRY_VERIFY_WITH_TIMEOUT(window.latentPlot()->tilesVisible(), 30000);
        explorer->manifold()->setVisible(false);
        explorer->interpolation()->addComparison(models_.filePath("traced.ts"));
        QTRY_VERIFY_WITH_TIMEOUT(!explorer->decoding(), 30000);
        QCOMPARE(explorer->interpolation()->comparisonCount(), 1);
        QVERIFY(!explorer->interpolation()->comparisonStrip(0).isNull());

        // Training is elsewhere: Play and Step are off and the Training dock says why.
        QAction *play = actionNamed(&window, QStringLiteral("Play"));
        QVERIFY(play);
        QVERIFY(!play->isEnabled());
        auto *notice = window.findChild<QLabel *>(QStringLiteral("notTrainableNotice"));
        QVERIFY(notice && !notice->isHidden());
        QVERIFY(notice->text().contains("does not train it"));
        QVERIFY(!explorer->host()->hasUnsavedWork()); // nothing to save on closing
        QAction *save = actionNamed(&window, QStringLiteral("&Save checkpoint"));
        QVERIFY(save);
        save->trigger(); // no dialog: a sentence instead, and the title stays
        auto *saidNo = window.findChild<QMessageBox *>(QStringLiteral("errorBox"));
        QVERIFY(saidNo && saidNo->text().contains("is a TorchScript model"));
        QVERIFY(window.windowTitle().startsWith("aae.ts"));

        // Traced networks, no prior named: no density drawn; the notice stays.
        QVERIFY(opened(window, [&] { window.files()->open(models_.filePath("traced.ts")); }));
        QVERIFY2(window.windowTitle().startsWith("traced.ts"), qPrintable(window.windowTitle()));
        QVERIFY(!window.latentPlot()->hasDensity());

        // A module without decode: one sentence, and the traced model stays on show.
        QVERIFY(!opened(window, [&] { window.files()->open(models_.filePath("no_decode.ts")); }));
        auto *box = window.findChild<QMessageBox *>(QStringLiteral("errorBox"));
        QVERIFY(box);
        QVERIFY2(box->text().contains("has no `decode` method"), qPrintable(box->text()));
        QVERIFY(window.windowTitle().startsWith("traced.ts"));
        QVERIFY(explorer->session());
        // One that passes the probe but fails on the data: refused before the traced model
        // stops, which stays on show with its panels.
        QVERIFY(!opened(window, [&] { window.files()->open(models_.filePath("probe_only.ts")); }));
        QVERIFY2(box->text().contains("probe_only.ts: encode failed on ["),
                 qPrintable(box->text()));
        QCOMPARE(box->text().count('\n'), 0);
        QVERIFY(window.windowTitle().startsWith("traced.ts"));
        QVERIFY(explorer->session() && explorer->session()->latest());
        QVERIFY2(panel->modelText().contains("TorchScript model traced.ts"),
                 qPrintable(panel->modelText()));

        // A LatentLab model afterwards trains again.
        QVERIFY(opened(window, [&] { window.files()->createModel(); }));
        QVERIFY(play->isEnabled());
        QVERIFY(notice->isHidden());
        explorer->host()->stop();
        window.recovery()->finish();
    }
};

QTEST_MAIN(TestScripted)
#include "tst_scripted.moc"
