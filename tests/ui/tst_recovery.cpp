// Crash recovery: the window autosaves while training runs and when it pauses, without counting
// that as the person's save; a recovery file is offered back only when the window that wrote it
// is gone; the main window restores it as unsaved work and removes it; a clean end leaves none.

#include "model/data/lines.h"
#include "model/io/checkpoint.h"
#include "tests/support/windowwait.h"
#include "ui/explorer/explorer.h"
#include "ui/session/sessionhost.h"
#include "ui/session/sessionrecovery.h"
#include "ui/window/mainwindow.h"
#include "ui/window/modelpanel.h"
#include "widgets/imagepairview.h"
#include "widgets/interpolationpanel.h"
#include "widgets/lossplot.h"
#include "widgets/scatter/latentplot.h"

#include <QDir>
#include <QMessageBox>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace latentlab;

namespace {

std::unique_ptr<Trainer> smallTrainer() {
    ModelConfig c;
    c.kind = ModelKind::Aae;
    c.hidden = c.discHidden = 32;
    c.batch = 16;
    c.height = c.width = 32;
    c.device = "cpu";
    c.data = "lines:128";
    auto t = std::make_unique<Trainer>(c);
    t->setData(makeLinesDataset(128, 1));
    return t;
}

// A checkpoint at `steps` steps, as a window would have autosaved it.
void writeCheckpoint(const QString &path, int steps) {
    auto t = smallTrainer();
    for (int i = 0; i < steps; ++i)
        t->step();
    saveCheckpoint(*t, path.toStdString());
}

struct Views {
    LatentPlot plot;
    LossPlot losses;
    ImagePairView inspector;
    InterpolationPanel panel;
    Explorer explorer{{&plot, &losses, &inspector, &panel}};
};

} // namespace

class TestRecovery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        torch::set_num_threads(1);
        QStandardPaths::setTestModeEnabled(true);
    }

    void autosavesWhileTrainingAndOnPause() {
        QTemporaryDir dir;
        Views v;
        SessionRecovery recovery(v.explorer.host(), dir.path());
        recovery.setInterval(1);
        v.explorer.start(smallTrainer(), 100);
        QSignalSpy autosaved(&recovery, &SessionRecovery::autosaved);
        QSignalSpy saved(v.explorer.host(), &SessionHost::saved);
        QTest::qWait(1500);
        QCOMPARE(autosaved.count(), 0); // an untouched model is not saved

        v.explorer.host()->togglePlay();
        QVERIFY(autosaved.wait(10000)); // the timer, while training runs
        QCOMPARE(autosaved.first().at(1).toString(), QString());
        QCOMPARE(autosaved.first().at(0).toString(), recovery.autosavePath());
        QVERIFY(readCheckpointConfig(recovery.autosavePath().toStdString()).hidden == 32);

        recovery.setInterval(3600);
        v.explorer.host()->togglePlay(); // pause: saved at once
        QVERIFY(autosaved.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(v.explorer.session()->latest()->settled, 30000);
        const int64_t paused = v.explorer.session()->latest()->step;
        QCOMPARE(loadCheckpoint(recovery.autosavePath().toStdString())->steps(), paused);
        QCOMPARE(saved.count(), 0);
        QVERIFY(v.explorer.host()->hasUnsavedSteps()); // an autosave is not the person's save

        recovery.finish();
        QVERIFY(!QFile::exists(recovery.autosavePath()));
        v.explorer.host()->stop();
    }

    void onlyGoneWindowsLeaveOrphans() {
        QTemporaryDir dir;
        Views v;
        SessionRecovery recovery(v.explorer.host(), dir.path());
        // Our own file is never an orphan.
        writeCheckpoint(recovery.autosavePath(), 2);
        // A window that died: its file, no live lock.
        const QString dead = QDir(dir.path()).filePath("999999999.pt");
        writeCheckpoint(dead, 3);
        // A window that is alive: a running process holds the lock of its file.
        QProcess alive;
        alive.start("sleep", {"60"});
        QVERIFY(alive.waitForStarted());
        const QString pid = QString::number(alive.processId());
        const QString live = QDir(dir.path()).filePath(pid + ".pt");
        writeCheckpoint(live, 4);
        {
            QFile lock(QDir(dir.path()).filePath(pid + ".lock"));
            QVERIFY(lock.open(QIODevice::WriteOnly));
            lock.write(QString("%1\nsleep\n%2\n").arg(pid, QSysInfo::machineHostName()).toUtf8());
        }
        QCOMPARE(recovery.orphans(), QStringList{dead});
        alive.kill();
        alive.waitForFinished();
        const QStringList both = recovery.orphans();
        QCOMPARE(both.size(), 2);
        QVERIFY(both.contains(live) && both.contains(dead));
        SessionRecovery::discard(dead);
        QVERIFY(!QFile::exists(dead));
    }

    void windowRestoresAnOrphanAsUnsavedWork() {
        MainWindow window;
        const QString orphan = QDir(window.recovery()->folder()).filePath("999999998.pt");
        writeCheckpoint(orphan, 5);
        QVERIFY(window.recovery()->orphans().contains(orphan));
        QVERIFY(opened(window, [&] { window.files()->restoreRecovery(orphan); }));
        QCOMPARE(window.explorer()->session()->latest()->step, int64_t(5));
        QVERIFY(window.explorer()->host()->hasUnsavedWork()); // closing will ask to save it
        QVERIFY(!QFile::exists(orphan));
        // The window says what it holds: no file in the title, the origin in the model dock.
        auto *panel = window.findChild<ModelPanel *>();
        QVERIFY(panel);
        QVERIFY2(window.windowTitle().startsWith("unsaved model"),
                 qPrintable(window.windowTitle()));
        QVERIFY2(panel->modelText().contains("restored after a crash") &&
                     panel->modelText().contains("step 5"),
                 qPrintable(panel->modelText()));
        // A checkpoint opened by path: its name in the title and the dock.
        QTemporaryDir dir;
        const QString named = dir.filePath("digits.pt");
        writeCheckpoint(named, 7);
        QVERIFY(opened(window, [&] { window.files()->open(named); }));
        QVERIFY2(window.windowTitle().startsWith("digits.pt"), qPrintable(window.windowTitle()));
        QVERIFY2(panel->modelText().contains("LatentLab checkpoint digits.pt") &&
                     panel->modelText().contains("step 7"),
                 qPrintable(panel->modelText()));
        // Recognised by content, not by name.
        const QString renamed = dir.filePath("weights.bin");
        QVERIFY(QFile::copy(named, renamed));
        QVERIFY(opened(window, [&] { window.files()->open(renamed); }));
        QVERIFY2(window.windowTitle().startsWith("weights.bin"), qPrintable(window.windowTitle()));
        QFile junk(dir.filePath("notes.pt"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a model\n");
        junk.close();
        QVERIFY(!opened(window, [&] { window.files()->open(junk.fileName()); }));
        auto *box = window.findChild<QMessageBox *>(QStringLiteral("errorBox"));
        QVERIFY(box);
        QVERIFY2(box->text().contains("is not a LatentLab checkpoint"), qPrintable(box->text()));
        QVERIFY(window.windowTitle().startsWith("weights.bin")); // what was open stays
        window.explorer()->host()->stop();
        window.recovery()->finish();
    }

    void brokenRecoveryFileStays() {
        MainWindow window;
        const QString orphan = QDir(window.recovery()->folder()).filePath("999999997.pt");
        {
            QFile f(orphan);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("LATENTLAB CHECKPOINT\n broken");
        }
        QVERIFY(!opened(window, [&] { window.files()->restoreRecovery(orphan); }));
        QVERIFY(QFile::exists(orphan)); // nothing is thrown away on a failure
        SessionRecovery::discard(orphan);
        window.recovery()->finish();
    }
};

QTEST_MAIN(TestRecovery)
#include "tst_recovery.moc"
