// No exception ends the program: failures injected into the training thread (a save that
// throws, out of memory while publishing, a LibTorch error in a step, a bad command) and into
// the window's own decoding pause training with a message and leave the model usable. A loss
// that turns NaN rolls the model back. A checkpoint saved by the window under a German locale
// opens with the command line.

#include "model/data/lines.h"
#include "model/io/checkpoint.h"
#include "ui/explorer/explorer.h"
#include "ui/explorer/interpolationcontroller.h"
#include "ui/explorer/manifoldcontroller.h"
#include "ui/session/sessionhost.h"
#include "ui/session/trainingsession.h"
#include "ui/threads/failure.h"
#include "ui/window/mainwindow.h"
#include "widgets/imagepairview.h"
#include "widgets/interpolationpanel.h"
#include "widgets/lossplot.h"
#include "widgets/scatter/latentplot.h"

#include "tests/support/threadspy.h"
#include "tests/support/windowwait.h"
#include <QMessageBox>
#include <QProcess>

#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest/QtTest>
#include <c10/util/Exception.h>

#include <atomic>
#include <clocale>

using namespace latentlab;

namespace {

ModelConfig smallConfig() {
    ModelConfig c;
    c.kind = ModelKind::Aae;
    c.hidden = c.discHidden = 32;
    c.batch = 16;
    c.height = c.width = 32;
    c.device = "cpu";
    return c;
}

std::unique_ptr<Trainer> smallTrainer(Dataset data = makeLinesDataset(256, 1)) {
    auto t = std::make_unique<Trainer>(smallConfig());
    t->setData(std::move(data));
    return t;
}

// A session in its own thread, stopped and joined on destruction.
struct Running {
    explicit Running(std::unique_ptr<Trainer> trainer)
        : session(new TrainingSession(std::move(trainer), 100)) {
        session->moveToThread(&thread);
        QObject::connect(&thread, &QThread::started, session, &TrainingSession::run);
        thread.start();
    }
    ~Running() {
        session->requestStop();
        thread.quit();
        thread.wait();
        delete session;
    }
    int64_t step() const { return session->latest()->step; }
    QThread thread;
    TrainingSession *session;
};

// Throws `make()` at `point` the next `times` times it is passed.
template <typename Make> void failAt(const char *point, int times, Make make) {
    auto left = std::make_shared<std::atomic<int>>(times);
    setFaultHook([=](std::string_view at) {
        if (at == point && left->fetch_sub(1) > 0)
            make();
    });
}

bool allFinite(const torch::Tensor &t) {
    return torch::isfinite(t).all().item<bool>();
}

} // namespace

class TestFailures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        torch::set_num_threads(1);
        QStandardPaths::setTestModeEnabled(true);
    }
    void cleanup() { setFaultHook(nullptr); }

    void throwingSaveIsReportedAndTrainingGoesOn() {
        QTemporaryDir dir;
        Running r(smallTrainer());
        failAt("save", 1, [] { throw std::runtime_error("the disk is on fire"); });
        ThreadSpy saved(r.session, &TrainingSession::saved);
        r.session->requestSave(dir.filePath("a.pt"));
        QVERIFY(saved.wait(10000));
        QVERIFY2(saved.first().at(1).toString().contains("the disk is on fire"),
                 qPrintable(saved.first().at(1).toString()));
        QVERIFY(!QFile::exists(dir.filePath("a.pt")));
        // The next save works, and so do steps.
        r.session->requestSave(dir.filePath("a.pt"));
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.last().at(1).toString(), QString());
        r.session->requestSteps(2);
        QTRY_COMPARE_WITH_TIMEOUT(r.step(), int64_t(2), 60000);
    }

    void failures_data() {
        QTest::addColumn<QString>("point");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("out of memory while publishing") << "publish" << 0 << "Out of memory";
        QTest::newRow("LibTorch error in a step") << "step" << 1 << "LibTorch reported";
        QTest::newRow("std::exception in a command") << "commands" << 2 << "Unexpected error";
        QTest::newRow("latentlab::Error in a step") << "step" << 3 << "no such device";
    }
    void failures() {
        QFETCH(QString, point);
        QFETCH(int, kind);
        QFETCH(QString, expected);
        Running r(smallTrainer()); // its first snapshot is made here, before the fault is set
        const std::string at = point.toStdString();
        failAt(at.c_str(), 1, [kind] {
            switch (kind) {
            case 0:
                throw std::bad_alloc();
            case 1:
                TORCH_CHECK(false, "CUDA error: an illegal memory access was encountered");
            case 2:
                throw std::logic_error("a command went wrong");
            default:
                throw Error("no such device.");
            }
        });
        ThreadSpy failed(r.session, &TrainingSession::failed);
        r.session->setLearningRates(1e-3, 6e-4, 6e-4); // passes "commands"
        r.session->play();
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.first().at(0).toString().contains(expected),
                 qPrintable(failed.first().at(0).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!r.session->isPlaying(), 5000);
        // The model is still usable: training resumes and snapshots keep coming.
        const int64_t before = r.step();
        r.session->play();
        QTRY_VERIFY_WITH_TIMEOUT(r.step() > before + 5, 60000);
        QCOMPARE(failed.count(), 1);
    }

    void badCommandIsReportedOthersApply() {
        QTemporaryDir dir;
        Running r(smallTrainer());
        ThreadSpy failed(r.session, &TrainingSession::failed);
        r.session->setBatchSize(0);
        r.session->setLearningRates(0.0042, 0.0007, 0.0009);
        r.session->requestSteps(1);
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.first().at(0).toString().contains("batch size"),
                 qPrintable(failed.first().at(0).toString()));
        ThreadSpy saved(r.session, &TrainingSession::saved);
        r.session->requestSave(dir.filePath("b.pt"));
        QVERIFY(saved.wait(10000));
        const ModelConfig c = readCheckpointConfig(dir.filePath("b.pt").toStdString());
        QCOMPARE(c.lrRecon, 0.0042);
        QCOMPARE(c.batch, 16);
    }

    void nanLossRollsBackInTheSession() {
        // One item of 256 is NaN: the first minibatch that draws it diverges.
        Dataset data = makeLinesDataset(256, 1);
        data.images = pixels(data.images); // floats, to hold a NaN
        data.images[7].fill_(std::numeric_limits<float>::quiet_NaN());
        auto trainer = smallTrainer(data);
        trainer->setRollbackInterval(5);
        Running r(std::move(trainer));
        ThreadSpy failed(r.session, &TrainingSession::failed);
        const auto untrained = r.session->latest();
        r.session->play();
        QVERIFY(failed.wait(20000));
        const QString message = failed.first().at(0).toString();
        QVERIFY2(message.contains("not a number") && message.contains("are restored"),
                 qPrintable(message));
        QTRY_VERIFY_WITH_TIMEOUT(!r.session->isPlaying(), 5000);
        // The rolled-back model's snapshot, settled, and not the one made before training.
        QTRY_VERIFY_WITH_TIMEOUT(r.session->latest() != untrained && r.session->latest()->settled,
                                 30000);
        const auto snapshot = r.session->latest();
        QVERIFY(allFinite(snapshot->model->decode(torch::randn({4, 2}))));
        QVERIFY(allFinite(snapshot->codes.slice(0, 8))); // item 7 itself encodes to NaN
        QVERIFY(allFinite(snapshot->codes.slice(0, 0, 7)));
        QTemporaryDir dir;
        ThreadSpy saved(r.session, &TrainingSession::saved);
        r.session->requestSave(dir.filePath("good.pt"));
        QVERIFY(saved.wait(10000));
        auto loaded = loadCheckpoint(dir.filePath("good.pt").toStdString());
        QCOMPARE(loaded->steps() % 5, int64_t(0)); // a kept step
        for (const auto &p : loaded->model()->parameters())
            QVERIFY(allFinite(p));
    }

    void explorerSurvivesAFailingDecode() {
        LatentPlot plot;
        LossPlot losses;
        ImagePairView inspector;
        InterpolationPanel panel;
        Explorer explorer({&plot, &losses, &inspector, &panel});
        explorer.start(smallTrainer(), 200);
        QTRY_VERIFY_WITH_TIMEOUT(plot.pointCount() == 200, 5000);
        QSignalSpy failed(&explorer, &Explorer::failed);
        QSignalSpy message(&explorer, &Explorer::message);
        explorer.interpolation()->pickItem(0);
        explorer.interpolation()->pickItem(1);
        QTRY_VERIFY(!explorer.decoding());
        failAt("decode", 100, [] { throw std::bad_alloc(); });
        auto *slider = panel.findChild<QSlider *>(QStringLiteral("interpolationSlider"));
        QTest::keyClick(slider, Qt::Key_End);
        QTest::keyClick(slider, Qt::Key_Home);
        QTRY_VERIFY(!explorer.decoding()); // the preview decodes on a thread of its own
        QCOMPARE(failed.count(), 1);       // a dialog once ...
        QVERIFY(failed.first().at(0).toString().contains("Out of memory"));
        QVERIFY(message.count() >= 1); // ... then the status bar while it repeats
        setFaultHook(nullptr);
        const QImage before = panel.previewImage();
        QTest::keyClick(slider, Qt::Key_End);
        QTRY_VERIFY(!explorer.decoding());
        QVERIFY(panel.previewImage() != before); // decoding works again

        // The manifold map decodes on a pool thread: its failure comes back as a report too.
        failAt("manifold", 1, [] { throw std::bad_alloc(); });
        const int failures = failed.count() + message.count();
        explorer.manifold()->setVisible(true);
        QTRY_COMPARE(failed.count() + message.count(), failures + 1);
        QVERIFY(!plot.tilesVisible());
        setFaultHook(nullptr);
        explorer.manifold()->setVisible(false);
        explorer.manifold()->setVisible(true);
        QTRY_VERIFY(plot.tilesVisible());
    }

    void windowShowsAFailureAndKeepsTraining() {
        MainWindow window;
        QVERIFY(opened(window, [&] { window.files()->createModel(); }));
        QVERIFY(window.explorer()->session());
        failAt("publish", 1, [] { throw std::bad_alloc(); });
        window.explorer()->host()->togglePlay();
        QMessageBox *box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = window.findChild<QMessageBox *>(QStringLiteral("errorBox"))) && box->isVisible(),
            60000);
        QVERIFY2(box->text().contains("Out of memory"), qPrintable(box->text()));
        QVERIFY(!window.explorer()->session()->isPlaying());
        box->close();
        const int64_t before = window.explorer()->session()->latest()->step;
        window.explorer()->host()->togglePlay();
        QTRY_VERIFY_WITH_TIMEOUT(window.explorer()->session()->latest()->step > before, 60000);
        window.explorer()->host()->togglePlay();
    }

    void savedUnderAGermanLocaleOpensInTheCli() {
        // The window's save path (Explorer -> session thread -> checkpoint) under de_DE, read
        // back by latentlab-cli, also under de_DE.
        const char *german = std::setlocale(LC_ALL, "de_DE.UTF-8");
        if (!german)
            QSKIP("de_DE.UTF-8 is not generated here (packaging/deps.sh makes it)");
        char probe[16];
        std::snprintf(probe, sizeof probe, "%.1f", 0.5);
        QCOMPARE(QString(probe), QString("0,5"));

        QTemporaryDir dir;
        const QString path = dir.filePath("german.pt");
        {
            LatentPlot plot;
            LossPlot losses;
            ImagePairView inspector;
            InterpolationPanel panel;
            Explorer explorer({&plot, &losses, &inspector, &panel});
            auto trainer = std::make_unique<Trainer>([] {
                ModelConfig c = ModelConfig::forKind(ModelKind::Acai); // lr 0.0001, mse
                c.hidden = c.discHidden = 32;
                c.height = c.width = 32;
                c.device = "cpu";
                c.labelledFraction = 0.5;
                return c;
            }());
            trainer->setData(makeLinesDataset(128, 1));
            explorer.start(std::move(trainer), 50);
            QSignalSpy saved(explorer.host(), &SessionHost::saved);
            explorer.host()->save(path);
            QVERIFY(saved.wait(10000));
            QCOMPARE(saved.first().at(1).toString(), QString());
        }
        std::setlocale(LC_ALL, "C");

        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("LC_ALL", "de_DE.UTF-8");
        cli.setProcessEnvironment(env);
        cli.start(LATENTLAB_CLI, {"decode", "--checkpoint", path, "--code", "0.5,-0.25", "--out",
                                  dir.filePath("x.png")});
        QVERIFY(cli.waitForFinished(60000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        QVERIFY(QFile::exists(dir.filePath("x.png")));
        const ModelConfig c = readCheckpointConfig(path.toStdString());
        QCOMPARE(c.lrRecon, 1e-4);
        QCOMPARE(c.labelledFraction, 0.5);
    }
};

QTEST_MAIN(TestFailures)
#include "tst_failures.moc"
