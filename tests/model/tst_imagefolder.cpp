// Image folders: labels from sub-folder names, resizing, grey or colour, and files that cannot
// be read are listed as warnings rather than stopping the load.

#include "model/data/imagefolder.h"
#include "model/data/imageio.h"
#include "model/error.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>

using namespace latentlab;

namespace {

// A 10x10 image of one value, written as PNG (with LatentLab's 1 px grid border: 12x12).
void writeSolid(const QString &path, float value, int channels = 1) {
    writeImageGrid(path.toStdString(), torch::full({1, channels, 10, 10}, value), 1, 1);
}

} // namespace

class TestImageFolder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QDir root(dir_.path());
        QVERIFY(root.mkpath("dogs") && root.mkpath("cats/nested"));
        writeSolid(root.filePath("cats/a.png"), 1.0f);
        writeSolid(root.filePath("cats/b.png"), 1.0f);
        writeSolid(root.filePath("cats/nested/c.png"), 1.0f); // still a cat
        writeSolid(root.filePath("dogs/d.png"), 0.0f, 3);
        writeSolid(root.filePath("dogs/e.png"), 0.0f);
        std::ofstream(root.filePath("dogs/broken.png").toStdString()) << "not a picture";
        std::ofstream(root.filePath("dogs/broken2.png").toStdString()) << "nor this";
        std::ofstream(root.filePath("dogs/notes.txt").toStdString()) << "ignored";
        writeSolid(root.filePath("loose.png"), 0.5f);
    }

    void labelsComeFromSubFolders() {
        const Dataset ds = loadImageFolder(dir_.path().toStdString(), 8, false);
        QCOMPARE(ds.size(), int64_t(5));
        QCOMPARE(ds.images.sizes(), (torch::IntArrayRef{5, 1, 8, 8}));
        QCOMPARE(ds.classNames, (std::vector<std::string>{"cats", "dogs"}));
        QCOMPARE(ds.numClasses, 2);
        QCOMPARE(torch::bincount(ds.labels)[0].item<int64_t>(), int64_t(3));
        // Cats are white inside their grey border, dogs black.
        for (int64_t i = 0; i < ds.size(); ++i) {
            const int centre = ds.images[i][0][4][4].item<int>();
            QCOMPARE(centre, ds.labels[i].item<int64_t>() == 0 ? 255 : 0);
        }
    }

    void unreadableAndLooseFilesAreWarnings() {
        const Dataset ds = loadImageFolder(dir_.path().toStdString(), 8, false);
        // One sentence for each kind, with the count and the first file: a folder of a
        // million pictures with ten thousand bad ones says so in two lines.
        QCOMPARE(ds.warnings.size(), size_t(2));
        const std::string root = dir_.path().toStdString();
        QCOMPARE(QString::fromStdString(ds.warnings[0]),
                 QString::fromStdString("1 file was skipped because it is not inside a class "
                                        "folder: " +
                                        root + "/loose.png."));
        QCOMPARE(
            QString::fromStdString(ds.warnings[1]),
            QString::fromStdString("2 files were skipped because they cannot be read by OpenCV, "
                                   "the first " +
                                   root + "/dogs/broken.png."));
    }

    void colourKeepsThreeChannels() {
        const Dataset ds = loadImageFolder(dir_.path().toStdString(), 12, true);
        QCOMPARE(ds.images.sizes(), (torch::IntArrayRef{5, 3, 12, 12}));
    }

    void emptyOrMissingFoldersAreErrors() {
        QTemporaryDir empty;
        QVERIFY_THROWS_EXCEPTION(Error, loadImageFolder(empty.path().toStdString(), 8, false));
        QVERIFY_THROWS_EXCEPTION(Error, loadImageFolder("/no/such/folder", 8, false));
    }

private:
    QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
