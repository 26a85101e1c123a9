// Work survives a crash: a process killed (SIGKILL) at random moments while it saves leaves a
// checkpoint that opens and decodes, twenty times over; a save that cannot be written (a file
// size limit, as on a full disk; a folder that does not exist or cannot be written) says why
// and leaves the previous file as it was.

#include "model/error.h"
#include "model/io/checkpoint.h"
#include "tests/support/smallconfig.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

using namespace latentlab;

namespace {

std::string readAll(const QString &path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Opens the checkpoint and decodes a code: the whole path a person would take.
void opensAndDecodes(const QString &path) {
    auto trainer = loadCheckpoint(path.toStdString(), "cpu");
    QVERIFY(trainer->steps() >= 1);
    const torch::Tensor image = trainer->decode(torch::zeros({1, 2}));
    QCOMPARE(image.sizes(), (torch::IntArrayRef{1, 1, 32, 32}));
    QVERIFY(torch::isfinite(image).all().item<bool>());
}

} // namespace

class TestCrashSafety : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedWhileSavingLeavesAGoodCheckpoint() {
        QTemporaryDir dir;
        const QString path = dir.filePath("model.pt");
        QRandomGenerator random(20261202);
        int savesSeen = 0;
        for (int round = 0; round < 20; ++round) {
            QProcess helper;
            helper.start(LATENTLAB_SAVE_HELPER, {"loop", path});
            QVERIFY(helper.waitForStarted(10000));
            // Wait for one save of this round, then kill at a random moment of later ones.
            QVERIFY(helper.waitForReadyRead(30000));
            while (!helper.canReadLine() && helper.waitForReadyRead(30000)) {
            }
            QVERIFY(helper.readLine().startsWith("saved"));
            QTest::qWait(int(random.bounded(0, 400)));
            ::kill(pid_t(helper.processId()), SIGKILL);
            QVERIFY(helper.waitForFinished(10000));
            QCOMPARE(helper.exitStatus(), QProcess::CrashExit);
            savesSeen += int(helper.readAllStandardOutput().count("saved"));
            opensAndDecodes(path);
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(QString("round %1: the checkpoint does not open").arg(round)));
        }
        qInfo("20 kills; at least %d saves completed after the first of each round", savesSeen);
    }

    void fullDiskKeepsThePreviousFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath("model.pt");
        QProcess first;
        first.start(LATENTLAB_SAVE_HELPER, {"limited", path, "100000000"});
        QVERIFY(first.waitForFinished(60000));
        QCOMPARE(first.exitCode(), 0);
        const std::string before = readAll(path);
        QVERIFY(before.size() > 10000);

        // 4 KiB of room: the new file cannot be written whole.
        QProcess starved;
        starved.start(LATENTLAB_SAVE_HELPER, {"limited", path, "4096"});
        QVERIFY(starved.waitForFinished(60000));
        const QString said = QString::fromUtf8(starved.readAllStandardOutput());
        QCOMPARE(starved.exitCode(), 3);
        QVERIFY2(said.contains("model.pt") && said.contains("too large") &&
                     said.contains("previous file is untouched"),
                 qPrintable(said));
        QCOMPARE(readAll(path), before);
        opensAndDecodes(path);
    }

    void unwritableFolderSaysWhy() {
        QTemporaryDir dir;
        Trainer trainer(smallTrainingConfig(ModelKind::Aae, 16));
        // A folder that does not exist. The reason comes from the C library, in the
        // language of the locale (CI runs every suite again under de_DE.UTF-8).
        try {
            saveCheckpoint(trainer, dir.filePath("missing/model.pt").toStdString());
            QFAIL("a save into a missing folder succeeded");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).contains(QString::fromLocal8Bit(std::strerror(ENOENT))),
                     e.what());
        }
        // A folder without write permission (root may write anywhere: nothing to check then).
        if (::geteuid() == 0)
            return;
        const QString locked = dir.filePath("locked");
        QVERIFY(QDir().mkdir(locked));
        saveCheckpoint(trainer, (locked + "/model.pt").toStdString());
        const std::string before = readAll(locked + "/model.pt");
        QFile::setPermissions(locked, QFile::ReadOwner | QFile::ExeOwner);
        try {
            saveCheckpoint(trainer, (locked + "/model.pt").toStdString());
            QFAIL("a save into a read-only folder succeeded");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).contains(QString::fromLocal8Bit(std::strerror(EACCES))),
                     e.what());
        }
        QFile::setPermissions(locked, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(readAll(locked + "/model.pt"), before);
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
