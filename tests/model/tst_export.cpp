// Exports: codes as CSV, frames as a video or, failing that, as numbered PNGs.

#include "model/data/lines.h"
#include "model/error.h"
#include "model/io/export.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest/QtTest>

#include <sys/stat.h>

#include <filesystem>

using namespace latentlab;

class TestExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void codesCsvHasOneRowPerCode() {
        QTemporaryDir dir;
        const QString path = dir.filePath("codes.csv");
        writeCodesCsv(path.toStdString(), torch::tensor({{0.5f, -1.25f}, {2.0f, 3.0f}}),
                      torch::tensor({7, 1}, torch::kLong));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("index,label,z0,z1\n0,7,0.5,-1.25\n1,1,2,3\n"));
        writeCodesCsv(path.toStdString(), torch::zeros({1, 3}), {});
        QFile g(path);
        QVERIFY(g.open(QIODevice::ReadOnly));
        QCOMPARE(g.readAll(), QByteArray("index,label,z0,z1,z2\n0,,0,0,0\n"));
        QVERIFY_THROWS_EXCEPTION(Error,
                                 writeCodesCsv("/no/such/dir/c.csv", torch::zeros({1, 2}), {}));
    }

    // What the writer writes, the reader reads back, whatever the locale; a resumed run goes on
    // with the file (one header), a new one starts it anew.
    void codesCsvIsWrittenInPartsAndReplacesTheFileOnlyWhenFinished() {
        QTemporaryDir dir;
        const QString path = dir.filePath("codes.csv");
        writeCodesCsv(path.toStdString(), torch::zeros({1, 1}), {});
        auto contents = [&] {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        const QByteArray before = contents();
        {
            CodesCsvWriter unfinished(path.toStdString(), 1);
            unfinished.append(torch::ones({3, 1}), {});
        } // dropped, as when a later chunk fails
        QCOMPARE(contents(), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"codes.csv"});

        CodesCsvWriter csv(path.toStdString(), 1);
        csv.append(torch::tensor({{0.5f}, {1.5f}}), torch::tensor({4, 5}, torch::kLong));
        QCOMPARE(contents(), before); // not yet
        csv.append(torch::tensor({{2.5f}}), torch::tensor({6}, torch::kLong));
        csv.finish();
        QCOMPARE(csv.rows(), int64_t(3));
        // The rows are numbered on across the parts.
        QCOMPARE(contents(), QByteArray("index,label,z0\n0,4,0.5\n1,5,1.5\n2,6,2.5\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"codes.csv"});
    }

    void codesCsvGoesStraightIntoAPipe() {
        // Not a regular file (a pipe, /dev/stdout): written to, never replaced.
        QTemporaryDir dir;
        const QString fifo = dir.filePath("codes.fifo"), copy = dir.filePath("copy.csv");
        QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
        QProcess cat;
        cat.setStandardOutputFile(copy);
        cat.start("cat", {fifo});
        QVERIFY(cat.waitForStarted());
        writeCodesCsv(fifo.toStdString(), torch::tensor({{1.5f}}), {});
        QVERIFY2(cat.waitForFinished(10000), "the pipe was never written");
        QFile f(copy);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("index,label,z0\n0,,1.5\n"));
        QVERIFY(std::filesystem::is_fifo(fifo.toStdString())); // still the pipe
    }

    void lossesCsvRoundTrips() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("losses.csv").toStdString();
        const std::vector<std::string> names{"recon", "disc"};
        {
            LossesCsvWriter w(path, names, false);
            w.write(1, {{"recon", 0.5}, {"disc", 1.25e-3}});
            w.flush();
        }
        {
            LossesCsvWriter w(path, names, true);
            w.write(2, {{"recon", 0.25}, {"disc", 3.0}});
            w.flush();
        }
        LossTable t = readLossesCsv(path);
        QCOMPARE(t.names, names);
        QCOMPARE(t.steps, (std::vector<int64_t>{1, 2}));
        QCOMPARE(t.values[0], (std::vector<double>{0.5, 1.25e-3}));
        QCOMPARE(t.values[1], (std::vector<double>{0.25, 3.0}));
        {
            LossesCsvWriter w(path, names, false); // not resumed: a new table
            w.write(5, {{"recon", 1.0}, {"disc", 2.0}});
        }
        t = readLossesCsv(path);
        QCOMPARE(t.steps, (std::vector<int64_t>{5}));
        QVERIFY_THROWS_EXCEPTION(Error, LossesCsvWriter("/no/such/dir/losses.csv", names, false));
    }

    void lossesCsvSkipsARowBeingWritten() {
        // As a window following a run reads it while the trainer appends: the last row has no
        // newline yet, and one row is of another length.
        QTemporaryDir dir;
        const QString path = dir.filePath("losses.csv");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("step,recon,disc\n1,0.5,1.25\n2,0.25\n3,0.125,1e-3\n4,0.0625,");
        f.close();
        const LossTable t = readLossesCsv(path.toStdString());
        QCOMPARE(t.names, (std::vector<std::string>{"recon", "disc"}));
        QCOMPARE(t.steps, (std::vector<int64_t>{1, 3}));
        QCOMPARE(t.values[1], (std::vector<double>{0.125, 0.001}));

        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("index,label,z0\n0,1,0.5\n");
        f.close();
        try {
            readLossesCsv(path.toStdString());
            QFAIL("a table of codes read as losses");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).contains("not a table of losses"), e.what());
        }
    }

    void videoOrNothing() {
        QTemporaryDir dir;
        const QString path = dir.filePath("path.mp4");
        const torch::Tensor frames = makeLinesDataset(12, 1).images;
        if (writeVideo(path.toStdString(), frames, 12.0, 4))
            QVERIFY(QFileInfo(path).size() > 1000);
        else
            QVERIFY(!QFileInfo::exists(path)); // no encoder: nothing half-written is left
    }

    void imageSequenceNumbersFrames() {
        QTemporaryDir dir;
        const QString folder = dir.filePath("frames");
        writeImageSequence(folder.toStdString(), makeLinesDataset(3, 1).images, 2);
        QCOMPARE(QDir(folder).entryList({"*.png"}),
                 (QStringList{"frame_000.png", "frame_001.png", "frame_002.png"}));
        // Each frame is the picture, magnified, without a grid's frame around it.
        QFile frame(folder + "/frame_001.png");
        QVERIFY(frame.open(QIODevice::ReadOnly));
        const QByteArray header = frame.read(24); // PNG: width and height at bytes 16 to 23
        QCOMPARE(qFromBigEndian<quint32>(header.constData() + 16), 64u);
        QCOMPARE(qFromBigEndian<quint32>(header.constData() + 20), 64u);
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
