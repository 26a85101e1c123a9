// IDX reader: good files (raw and gzipped), and every kind of bad file gives a clear error.

#include "model/data/dataset.h"
#include "model/data/idx.h"
#include "model/error.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>
#include <functional>
#include <memory>

using namespace latentlab;

namespace {

IdxArray images(uint32_t n, uint32_t h, uint32_t w) {
    IdxArray a;
    a.dims = {n, h, w};
    a.data.resize(size_t(n) * h * w);
    for (size_t i = 0; i < a.data.size(); ++i)
        a.data[i] = uint8_t(i * 7 % 256);
    return a;
}

IdxArray labels(uint32_t n) {
    IdxArray a;
    a.dims = {n};
    for (uint32_t i = 0; i < n; ++i)
        a.data.push_back(uint8_t(i % 10));
    return a;
}

void writeBytes(const std::string &path, const std::vector<uint8_t> &bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size()));
}

std::vector<uint8_t> header(uint8_t type, std::vector<uint32_t> dims) {
    std::vector<uint8_t> h = {0, 0, type, uint8_t(dims.size())};
    for (uint32_t d : dims)
        for (int s = 24; s >= 0; s -= 8)
            h.push_back(uint8_t(d >> s));
    return h;
}

QString errorOf(const std::function<void()> &f) {
    try {
        f();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestIdx : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        dir_ = std::make_unique<QTemporaryDir>(); // a fresh folder for every test
        QVERIFY(dir_->isValid());
    }

    void roundTrip_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("raw") << "train-images-idx3-ubyte";
        QTest::newRow("gzip") << "train-images-idx3-ubyte.gz";
    }
    void roundTrip() {
        QFETCH(QString, name);
        const std::string path = dir_->filePath(name).toStdString();
        const IdxArray written = images(12, 5, 4);
        writeIdx(path, written);
        const IdxArray read = readIdx(path);
        QCOMPARE(read.dims, written.dims);
        QCOMPARE(read.data, written.data);
    }

    void datasetFromFolderPairsImagesWithLabels() {
        writeIdx(dir_->filePath("train-images-idx3-ubyte.gz").toStdString(), images(20, 6, 6));
        writeIdx(dir_->filePath("train-labels-idx1-ubyte.gz").toStdString(), labels(20));
        const Dataset ds = loadDataset("idx:" + dir_->path().toStdString(), {});
        QCOMPARE(ds.size(), int64_t(20));
        QCOMPARE(ds.images.sizes(), (torch::IntArrayRef{20, 1, 6, 6}));
        QCOMPARE(ds.labels[13].item<int64_t>(), int64_t(3));
        QCOMPARE(ds.numClasses, 10);
        // Pixel i of the data maps to byte i * 7 % 256, scaled to [0, 1].
        QCOMPARE(ds.images.flatten()[9].item<int>(), 63);
        QCOMPARE(pixels(ds.images).flatten()[9].item<float>(), float(63) / 255.0f);
    }

    void badFilesAreNamedAndExplained_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        auto bytes = [](std::vector<uint8_t> v) {
            return QByteArray(reinterpret_cast<const char *>(v.data()), int(v.size()));
        };

        std::vector<uint8_t> wrongMagic = header(0x08, {2, 2, 2});
        wrongMagic[0] = 0x50;
        wrongMagic.resize(wrongMagic.size() + 8);
        QTest::newRow("wrong magic") << bytes(wrongMagic) << "not an IDX file";

        std::vector<uint8_t> floats = header(0x0D, {2, 2, 2});
        floats.resize(floats.size() + 32);
        QTest::newRow("float type") << bytes(floats) << "not supported";

        std::vector<uint8_t> truncated = header(0x08, {10, 4, 4});
        truncated.resize(truncated.size() + 50); // 160 promised
        QTest::newRow("truncated") << bytes(truncated) << "truncated";

        // The header claims 60000 28x28 images; the file holds 100 bytes of them.
        std::vector<uint8_t> lying = header(0x08, {60000, 28, 28});
        lying.resize(lying.size() + 100);
        QTest::newRow("header larger than file") << bytes(lying) << "60000 items";

        std::vector<uint8_t> huge = header(0x08, {0xFFFFFFFF, 0xFFFF, 0xFFFF});
        QTest::newRow("absurd header") << bytes(huge) << "GiB of data";
        // 2^20 x 2^20 x 2^24 is 2^64: a product that wraps to 0 in 64 bits.
        QTest::newRow("wrapping header")
            << bytes(header(0x08, {1u << 20, 1u << 20, 1u << 24})) << "GiB of data";

        QTest::newRow("cut inside header") << bytes({0, 0, 8, 3, 0, 0}) << "inside its header";
        QTest::newRow("empty") << QByteArray() << "too short";

        std::vector<uint8_t> extra = header(0x08, {1, 2, 2});
        extra.resize(extra.size() + 4 + 3);
        QTest::newRow("trailing bytes") << bytes(extra) << "more data than its header";
    }
    void badFilesAreNamedAndExplained() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const std::string path = dir_->filePath("bad-images-idx3-ubyte").toStdString();
        writeBytes(path, std::vector<uint8_t>(bytes.begin(), bytes.end()));
        // Read, and mapped: the same sentence either way.
        for (const QString &message :
             {errorOf([&] { readIdx(path); }), errorOf([&] { mapIdx(path); })}) {
            QVERIFY2(message.contains(expected), qPrintable(message));
            QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        }
    }

    void aRawFileIsMappedAndAGzipIsRead() {
        const QString raw = dir_->filePath("train-images-idx3-ubyte");
        writeIdx(raw.toStdString(), images(300, 28, 28));
        QVERIFY(QDir(dir_->path()).mkpath("gz"));
        writeIdx(dir_->filePath("gz/train-images-idx3-ubyte.gz").toStdString(),
                 images(300, 28, 28));
        auto mappings = [] {
            QFile maps("/proc/self/maps");
            return maps.open(QIODevice::ReadOnly) ? QString::fromUtf8(maps.readAll()) : QString();
        };
        {
            const Dataset mapped = loadDataset("idx:" + raw.toStdString(), {});
            const Dataset read = loadDataset("idx:" + dir_->filePath("gz").toStdString(), {});
            QCOMPARE(mapped.images.scalar_type(), torch::kUInt8);
            QVERIFY(torch::equal(mapped.images, read.images));
            QVERIFY2(mappings().contains(raw), "the raw file is not mapped");
            QVERIFY(!mappings().contains(dir_->filePath("gz")));
            // A slice shares the mapping; it outlives the data set.
            const torch::Tensor kept = mapped.slice(10, 20).images;
            QCOMPARE(kept.flatten()[0].item<int>(), int(10 * 28 * 28 * 7 % 256));
        }
        QVERIFY2(!mappings().contains(raw), "the mapping outlived its tensors");
    }

    void aFileLargerThanMemoryIsMapped() {
        // 2^26 images of 64 x 64: 256 GiB of zeros in a sparse file (no disk used), more than
        // any machine this runs on has of memory and swap.
        const QString path = dir_->filePath("huge-images-idx3-ubyte");
        const std::vector<uint8_t> head = header(0x08, {1u << 26, 64, 64});
        writeBytes(path.toStdString(), head);
        constexpr int64_t kValues = int64_t(1) << 38;
        QFile file(path);
        if (!file.resize(qint64(head.size()) + kValues))
            QSKIP("this file system holds no sparse file of 256 GiB");
        const IdxTensor mapped = mapIdx(path.toStdString());
        QCOMPARE(mapped.data.numel(), kValues);
        QCOMPARE(mapped.data[kValues - 1].item<int>(), 0);
    }

    void aSetThatCannotFitIsRefusedBeforeItIsAllocated() {
        const QString message =
            errorOf([] { checkFitsInMemory(uint64_t(1) << 50, "folder:/photos"); });
        QVERIFY2(message.startsWith("folder:/photos: its images need 1125899.9 GB") &&
                     message.contains("this machine has"),
                 qPrintable(message));
        QVERIFY(errorOf([] { checkFitsInMemory(uint64_t(1) << 20, "lines:1000"); }).isEmpty());
    }

    void truncatedGzipIsRefused() {
        const std::string path = dir_->filePath("cut-images-idx3-ubyte.gz").toStdString();
        writeIdx(path, images(50, 28, 28));
        std::ifstream in(path, std::ios::binary);
        std::vector<uint8_t> all((std::istreambuf_iterator<char>(in)), {});
        all.resize(all.size() / 2);
        writeBytes(path, all);
        const QString message = errorOf([&] { readIdx(path); });
        QVERIFY2(!message.isEmpty(), "a gzip cut in half was accepted");
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
    }

    void labelCountMismatchNamesBothFiles() {
        writeIdx(dir_->filePath("train-images-idx3-ubyte").toStdString(), images(20, 4, 4));
        writeIdx(dir_->filePath("train-labels-idx1-ubyte").toStdString(), labels(19));
        const QString message = errorOf([&] {
            loadDataset("idx:" + dir_->filePath("train-images-idx3-ubyte").toStdString(), {});
        });
        QVERIFY2(message.contains("19 labels") && message.contains("20 images"),
                 qPrintable(message));
    }

    void missingPathsAndUnknownSpecs() {
        QVERIFY(errorOf([] { loadDataset("idx:/no/such/place", {}); }).contains("no such"));
        QVERIFY(errorOf([] { loadDataset("cifar", {}); }).contains("unknown data set"));
        DataOptions o;
        o.dataDir = "/no/such/dir";
        QVERIFY(errorOf([&] { loadDataset("mnist", o); }).contains("fetch-mnist"));
    }

private:
    std::unique_ptr<QTemporaryDir> dir_;
};

QTEST_GUILESS_MAIN(TestIdx)
#include "tst_idx.moc"
