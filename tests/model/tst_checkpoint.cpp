// Checkpoints: exact round trip and resume; damaged or foreign files are refused in words.

#include "model/data/lines.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "model/io/filekind.h"
#include "tests/support/smallconfig.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using namespace latentlab;

namespace {

ModelConfig config() {
    ModelConfig c = smallTrainingConfig(ModelKind::AaeGaussian, 48);
    c.labelConditioned = true;
    c.prior = "mixture10";
    c.batch = 16;
    c.seed = 17;
    return c;
}

std::string readAll(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const std::string &path, const std::string &bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

// A checkpoint as LatentLab 0.1 wrote it (format version 1) for an untrained trainer: the
// configuration text as given, then a LibTorch archive of the weights and optimiser states.
// With `steps`, each optimiser has first taken that many steps with gradients of one (the
// moments an interrupted run of 0.1 kept).
std::string version1File(Trainer &t, const std::string &configText, int steps = 0) {
    torch::serialize::OutputArchive archive;
    auto optimiser = [&](const char *name, std::vector<torch::Tensor> params) {
        torch::optim::Adam adam(params);
        for (int i = 0; i < steps; ++i) {
            for (torch::Tensor &p : params)
                p.mutable_grad() = torch::ones_like(p);
            adam.step();
        }
        torch::serialize::OutputArchive sub;
        adam.save(sub);
        archive.write(name, sub);
    };
    optimiser("opt_recon", t.model()->autoencoderParameters());
    optimiser("opt_disc", t.model()->discriminatorParameters());
    optimiser("opt_gen", t.model()->encoderParameters());
    archive.write("steps", torch::tensor(int64_t(steps), torch::kLong));
    for (const auto &p : t.model()->named_parameters()) {
        std::string key = p.key();
        std::replace(key.begin(), key.end(), '.', '_');
        archive.write("model_" + key, p.value());
    }
    std::ostringstream payload;
    archive.save_to(payload);
    const std::string weights = payload.str();

    std::string file = "LATENTLAB CHECKPOINT\n";
    auto putLE = [&file](uint64_t v, int n) {
        for (int i = 0; i < n; ++i)
            file += char((v >> (8 * i)) & 0xFF);
    };
    putLE(1, 4);
    putLE(configText.size(), 8);
    file += configText;
    putLE(weights.size(), 8);
    file += weights;
    // The checksum covers the configuration and the weights' part, not the lengths before.
    const size_t checked = 21 + 4 + 8;
    putLE(crc32(0L, reinterpret_cast<const Bytef *>(file.data() + checked),
                uInt(file.size() - checked)),
          4);
    return file;
}

QString loadError(const std::string &path) {
    try {
        loadCheckpoint(path);
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        torch::set_num_threads(1);
        QVERIFY(dir_.isValid());
        path_ = dir_.filePath("model.pt").toStdString();
        Trainer t(config());
        t.setData(makeLinesDataset(128, 1));
        for (int i = 0; i < 7; ++i)
            t.step();
        saveCheckpoint(t, path_);
        QVERIFY(!std::filesystem::exists(path_ + ".tmp"));
    }

    void roundTripIsExact() {
        Trainer original(config());
        original.setData(makeLinesDataset(128, 1));
        for (int i = 0; i < 7; ++i)
            original.step();
        auto loaded = loadCheckpoint(path_);
        QCOMPARE(loaded->steps(), int64_t(7));
        QCOMPARE(loaded->config().toJsonText(), original.config().toJsonText());
        auto a = original.model()->named_parameters();
        auto b = loaded->model()->named_parameters();
        QCOMPARE(a.size(), b.size());
        for (const auto &p : a)
            QVERIFY2(torch::equal(p.value(), b[p.key()]), p.key().c_str());
    }

    void resumeContinuesExactly() {
        // Ten steps straight, against seven, a save and load, and three more.
        Trainer straight(config());
        straight.setData(makeLinesDataset(128, 1));
        std::vector<StepLosses> expected;
        for (int i = 0; i < 10; ++i)
            expected.push_back(straight.step());
        auto resumed = loadCheckpoint(path_);
        resumed->setData(makeLinesDataset(128, 1));
        for (int i = 7; i < 10; ++i) {
            const StepLosses got = resumed->step();
            QCOMPARE(got.step, expected[size_t(i)].step);
            for (const auto &[name, v] : expected[size_t(i)].values)
                QCOMPARE(got.value(name), v);
        }
    }

    // A file is told by its content, whatever its name; each signature is its reader's.
    void fileKindsByContent() {
        auto write = [&](const char *name, const std::string &bytes) {
            const std::string path = dir_.filePath(name).toStdString();
            std::ofstream(path, std::ios::binary) << bytes;
            return path;
        };
        QCOMPARE(fileKindOf(path_), FileKind::Checkpoint);
        QCOMPARE(fileKindOf(write("digits.bin", std::string("\0\0\x08\x03\0\0\0\x01", 8))),
                 FileKind::Idx);
        QCOMPARE(fileKindOf(write("digits.pt", std::string("\x1f\x8b\x08\0", 4))), FileKind::Idx);
        QCOMPARE(fileKindOf(write("model.idx", "PK\x03\x04 and the rest")), FileKind::Zip);
        QCOMPARE(fileKindOf(write("notes.pt", "LATENTLAB CHECKPOINT")), FileKind::Other);
        QCOMPARE(fileKindOf(write("empty.pt", "")), FileKind::Other);
        QCOMPARE(fileKindOf(dir_.path().toStdString()), FileKind::Folder);
        QCOMPARE(fileKindOf(dir_.filePath("missing.pt").toStdString()), FileKind::Missing);
    }

    void configCanBeReadAlone() {
        QCOMPARE(readCheckpointConfig(path_).toJsonText(), config().toJsonText());
    }

    void truncatedFilesAreRefused_data() {
        QTest::addColumn<double>("keep");
        QTest::newRow("a few bytes") << 0.001;
        QTest::newRow("inside the configuration") << 0.0;
        QTest::newRow("half") << 0.5;
        QTest::newRow("all but the checksum") << 0.9999;
    }
    void truncatedFilesAreRefused() {
        QFETCH(double, keep);
        const std::string bytes = readAll(path_);
        const size_t n = keep == 0.0 ? 60 : std::min(bytes.size() - 1, size_t(bytes.size() * keep));
        const std::string cut = dir_.filePath("cut.pt").toStdString();
        writeAll(cut, bytes.substr(0, n));
        const QString message = loadError(cut);
        QVERIFY2(message.contains("cut.pt") &&
                     (message.contains("truncated") || message.contains("not a LatentLab")),
                 qPrintable(message));
    }

    void damagedAndForeignFilesAreRefused() {
        std::string bytes = readAll(path_);
        bytes[bytes.size() / 2] ^= 0x40;
        const std::string flipped = dir_.filePath("flipped.pt").toStdString();
        writeAll(flipped, bytes);
        QVERIFY(loadError(flipped).contains("checksum"));

        const std::string zip = dir_.filePath("torch.pt").toStdString();
        writeAll(zip, std::string("PK\x03\x04 not ours", 14));
        QVERIFY(loadError(zip).contains("PyTorch"));

        const std::string text = dir_.filePath("notes.txt").toStdString();
        writeAll(text, "hello");
        QVERIFY(loadError(text).contains("not a LatentLab checkpoint"));

        std::string future = readAll(path_);
        future[21] = 9; // the version field follows the 21-byte signature
        const std::string newer = dir_.filePath("newer.pt").toStdString();
        writeAll(newer, future);
        QVERIFY(loadError(newer).contains("version 9"));

        QVERIFY(loadError(dir_.filePath("absent.pt").toStdString()).contains("cannot open"));
    }

    void damagedWeightsWithAGoodChecksumAreRefused() {
        // The checksum catches random damage; past it, LibTorch's own reader meets whatever the
        // archive holds. Flip one byte at a time across the weights' part, with the checksum
        // made to match: each load must open or say the file is damaged, never throw anything
        // else (fuzz_checkpoint found an std::out_of_range from the unpickler this way).
        const std::string bytes = readAll(path_);
        uint64_t configSize = 0;
        for (int i = 0; i < 8; ++i)
            configSize |= uint64_t(uint8_t(bytes[25 + size_t(i)])) << (8 * i);
        const size_t checked = 33, payload = checked + size_t(configSize) + 8;
        const size_t end = bytes.size() - 4;
        const std::string damaged = dir_.filePath("damaged.pt").toStdString();
        int refused = 0;
        // Across the whole weights' part, and densely over its last kilobyte.
        std::vector<size_t> positions;
        for (size_t pos = payload; pos < end; pos += (end - payload) / 150)
            positions.push_back(pos);
        for (size_t pos = end - 1024; pos < end; pos += 4)
            positions.push_back(pos);
        for (const size_t pos : positions) {
            std::string b = bytes;
            b[pos] = char(b[pos] ^ 0x5A);
            const uLong crc =
                crc32(0L, reinterpret_cast<const Bytef *>(b.data() + checked), uInt(end - checked));
            for (int i = 0; i < 4; ++i)
                b[end + size_t(i)] = char((crc >> (8 * i)) & 0xFF);
            writeAll(damaged, b);
            try {
                loadCheckpoint(damaged);
            } catch (const Error &e) {
                ++refused;
                QVERIFY2(QString(e.what()).contains("damaged.pt"), e.what());
            }
        }
        qInfo("%d of %zu damaged archives refused, the rest opened", refused, positions.size());
        QVERIFY(refused > 10);
    }

    void version1CheckpointsStillOpen() {
        // Format version 1 (LatentLab 0.1) held a LibTorch archive with the same names the
        // trainer used then. Written here as 0.1 wrote it, for an untrained model.
        Trainer t(config());
        const std::string old = dir_.filePath("v1.pt").toStdString();
        writeAll(old, version1File(t, t.config().toJsonText()));
        auto loaded = loadCheckpoint(old);
        QCOMPARE(loaded->config().toJsonText(), t.config().toJsonText());
        auto expected = t.model()->named_parameters();
        for (const auto &p : loaded->model()->named_parameters())
            QVERIFY2(torch::equal(p.value(), expected[p.key()]), p.key().c_str());
    }

    void version1OptimiserMomentsCarryOver() {
        // LibTorch's Adam kept its moments in its own archive; the trainer's optimiser takes
        // them over, so a run of 0.1 resumes where it stopped.
        Trainer t(config());
        const std::string old = dir_.filePath("v1-trained.pt").toStdString();
        writeAll(old, version1File(t, t.config().toJsonText(), 3));
        auto loaded = loadCheckpoint(old);
        QCOMPARE(loaded->steps(), int64_t(3));
        std::map<std::string, torch::Tensor> state;
        for (const auto &[name, tensor] : loaded->state())
            state[name] = tensor;
        QVERIFY(state.count("opt_recon.0.step") && state.count("opt_gen.0.exp_avg_sq"));
        QCOMPARE(state["opt_recon.0.step"].item<int64_t>(), int64_t(3));
        // Gradients of one: the mean is 1 - 0.9^3, the mean square 1 - 0.999^3.
        QVERIFY(torch::allclose(state["opt_disc.1.exp_avg"],
                                torch::full_like(state["opt_disc.1.exp_avg"], 1 - 0.729)));
        QVERIFY(torch::allclose(
            state["opt_gen.0.exp_avg_sq"],
            torch::full_like(state["opt_gen.0.exp_avg_sq"], 1 - std::pow(0.999, 3))));
        loaded->setData(makeLinesDataset(128, 1));
        QVERIFY(std::isfinite(loaded->step().value("recon")));
    }

    void commaDecimalCheckpointOfVersion01Opens() {
        // Version 0.1 printed the configuration through the C locale: saved from the window under
        // a German locale, its numbers read "0,001". Such a file must still open.
        Trainer t(config());
        static const std::regex decimal(R"(^(\s*"[a-z_]+": -?[0-9]+)\.([0-9]))");
        std::string comma;
        std::istringstream lines(t.config().toJsonText());
        for (std::string line; std::getline(lines, line);)
            comma += std::regex_replace(line, decimal, "$1,$2") + "\n";
        comma.pop_back();
        QVERIFY2(comma.find("\"lr_recon\": 0,001,") != std::string::npos, comma.c_str());
        const std::string old = dir_.filePath("comma.pt").toStdString();
        writeAll(old, version1File(t, comma));
        auto loaded = loadCheckpoint(old);
        QCOMPARE(loaded->config().toJsonText(), config().toJsonText());
    }

    void failedSaveKeepsThePreviousFile() {
        const std::string before = readAll(path_);
        Trainer t(config());
        // The temporary file cannot be created where a folder of that name stands.
        std::filesystem::create_directory(path_ + ".tmp");
        QVERIFY_THROWS_EXCEPTION(Error, saveCheckpoint(t, path_));
        std::filesystem::remove(path_ + ".tmp");
        QCOMPARE(readAll(path_), before);
    }

private:
    QTemporaryDir dir_;
    std::string path_;
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
