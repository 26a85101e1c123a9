// Exports: codes as CSV, frames as a video or, failing that, as numbered PNGs.

#include "model/data/lines.h"
#include "model/error.h"
#include "model/io/export.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

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
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
