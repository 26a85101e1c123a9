// LatentLab and PyTorch, both ways, to 1e-5: a model exported with `latentlab-cli export` and
// rebuilt in Python by resources/python/latentlab_models.py decodes the same codes to the same
// pixels and encodes the same images to the same codes; and a small AAE trained in PyTorch and
// saved as TorchScript (tests/python/make_torchscript.py) encodes and decodes in LatentLab as
// in Python, while modules that break the interface get a sentence naming what is wrong. Runs
// when a python3 with torch is installed (Debian's python3-torch; packaging/deps.sh installs
// it), else skips.

#include "model/error.h"
#include "model/io/checkpoint.h"
#include "model/io/pythonexport.h"
#include "model/nets/scriptedmodel.h"
#include "model/train/trainer.h"
#include "tests/support/pythonmodels.h"
#include "tests/support/smallconfig.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <torch/serialize.h>

#include <fstream>
#include <functional>

using namespace latentlab;

namespace {

void writeBytes(const QString &path, const std::vector<char> &bytes) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::vector<char> readBytes(const QString &path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

double largestDifference(const torch::Tensor &a, const torch::Tensor &b) {
    return (a - b).abs().max().item<double>();
}

// What `work` threw as latentlab::Error, or "" when it did not throw.
QString errorOf(const std::function<void()> &work) {
    try {
        work();
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestInterop : public QObject {
    Q_OBJECT
    QString python_;

private Q_SLOTS:
    void initTestCase() {
        torch::set_num_threads(1);
        python_ = pythonWithTorch();
    }

    void exportedModelsDecodeAlikeInPython_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("arch");
        QTest::newRow("aae mlp") << "aae"
                                 << "mlp";
        QTest::newRow("aae-gaussian conv") << "aae-gaussian"
                                           << "conv";
        QTest::newRow("aae-universal mlp") << "aae-universal"
                                           << "mlp";
        QTest::newRow("aae-supervised conv") << "aae-supervised"
                                             << "conv";
        QTest::newRow("aae-semi mlp") << "aae-semi"
                                      << "mlp";
        QTest::newRow("vae mlp") << "vae"
                                 << "mlp";
        QTest::newRow("acai conv") << "acai"
                                   << "conv";
    }
    void exportedModelsDecodeAlikeInPython() {
        if (python_.isEmpty())
            QSKIP("no python3 with torch here (apt-get install python3-torch)");
        QFETCH(QString, kind);
        QFETCH(QString, arch);
        // forKind: the kind's own output layer (ACAI's is linear), which Python must rebuild.
        ModelConfig c = smallTrainingConfig(
            ModelConfig::forKind(modelKindFromString(kind.toStdString())), 48, 16);
        c.arch = architectureFromString(arch.toStdString());
        c.convDepth = 4;
        c.batch = 16;
        Trainer trainer(c);
        Dataset data;
        data.name = "random";
        data.images = torch::rand({64, 1, 16, 16});
        data.labels = torch::arange(64, torch::kLong) % 10;
        data.numClasses = 10;
        trainer.setData(data);
        for (int i = 0; i < 3; ++i) // weights that are not the initial ones
            trainer.step();

        QTemporaryDir dir;
        const QString model = dir.filePath("model.pth"), expected = dir.filePath("expected.pt");
        exportForPython(trainer.config(), trainer.model(), trainer.steps(), model.toStdString());
        torch::manual_seed(1);
        const int d = trainer.config().codeSize();
        const torch::Tensor codes = torch::randn({6, d}), labels = torch::arange(6, torch::kLong);
        const torch::Tensor inputs = data.images.slice(0, 0, 6);
        c10::impl::GenericDict blob(c10::StringType::get(), c10::AnyType::get());
        blob.insert(std::string("codes"), codes);
        blob.insert(std::string("labels"), labels);
        blob.insert(std::string("images"), trainer.decode(codes, labels));
        blob.insert(std::string("inputs"), inputs);
        blob.insert(std::string("encoded"), trainer.encode(inputs));
        writeBytes(expected, torch::pickle_save(c10::IValue(blob)));

        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(python_, {QStringLiteral(LATENTLAB_SOURCE_DIR "/tests/python/check_export.py"),
                          model, expected});
        QVERIFY(p.waitForFinished(300000));
        const QString said = QString::fromUtf8(p.readAll()).trimmed();
        qInfo("%s", qPrintable(said));
        QVERIFY2(p.exitCode() == 0, qPrintable(said));
    }

    void torchScriptModelsEncodeAndDecodeAsInPython() {
        if (python_.isEmpty())
            QSKIP("no python3 with torch here (apt-get install python3-torch)");
        QTemporaryDir dir;
        const QString made = makeTorchScriptModels(python_, dir.path());
        QVERIFY2(made.isEmpty(), qPrintable(made));
        const c10::IValue loaded = torch::pickle_load(readBytes(dir.filePath("expected.pt")));
        const c10::Dict<c10::IValue, c10::IValue> expected = loaded.toGenericDict();
        auto tensor = [&](const char *key) { return expected.at(std::string(key)).toTensor(); };
        const torch::Tensor inputs = tensor("inputs"), codes = tensor("codes");

        // Scripted, decode_output "logits", a prior named; recognised by content, whatever its
        // name.
        QVERIFY(QFile::copy(dir.filePath("aae.ts"), dir.filePath("from-python.bin")));
        for (const char *name : {"aae.ts", "from-python.bin"}) {
            auto trainer = openModel(dir.filePath(name).toStdString());
            const ModelConfig &c = trainer->config();
            QVERIFY(!c.script.empty());
            QCOMPARE(c.codeSize(), 2);
            QCOMPARE(c.prior, std::string("mixture10"));
            QCOMPARE(c.data, std::string("lines")); // 1x32x32: the lines benchmark's shape
            const double encodeError =
                largestDifference(trainer->encode(inputs), tensor("aae_encoded"));
            const double decodeError =
                largestDifference(trainer->decode(codes), tensor("aae_decoded"));
            qInfo("%s: largest difference encode %.3g, decode %.3g", name, encodeError,
                  decodeError);
            QVERIFY(encodeError < 1e-5);
            QVERIFY(decodeError < 1e-5);
        }
        // Traced networks in a scripted wrapper, decode_output "pixels" (the default), no prior.
        auto traced = openModel(dir.filePath("traced.ts").toStdString());
        QVERIFY(traced->config().prior.empty());
        QVERIFY(largestDifference(traced->encode(inputs), tensor("traced_encoded")) < 1e-5);
        QVERIFY(largestDifference(traced->decode(codes), tensor("traced_decoded")) < 1e-5);

        // Explored, not trained, and not written as a LatentLab checkpoint.
        QVERIFY(errorOf([&] { traced->step(); }).contains("does not train it"));
        QVERIFY(errorOf([&] {
                    saveCheckpoint(*traced, dir.filePath("x.pt").toStdString());
                }).contains("TorchScript model"));
        QVERIFY(!QFile::exists(dir.filePath("x.pt")));
    }

    void modulesThatBreakTheInterfaceSayWhat() {
        if (python_.isEmpty())
            QSKIP("no python3 with torch here (apt-get install python3-torch)");
        QTemporaryDir dir;
        const QString made = makeTorchScriptModels(python_, dir.path());
        QVERIFY2(made.isEmpty(), qPrintable(made));
        const std::vector<std::pair<const char *, const char *>> cases = {
            {"no_decode.ts", "has no `decode` method"},
            {"wrong_shape.ts",
             "decode gave [2, 1024] for probe codes [2, 2]; expected [2, 1, 32, 32]"},
            {"state_dict.pt", "was written by torch.save, not as TorchScript"},
            {"missing.ts", "cannot open"},
        };
        for (const auto &[file, said] : cases) {
            const QString error = errorOf([&] { openModel(dir.filePath(file).toStdString()); });
            QVERIFY2(error.contains(said), qPrintable(QString(file) + ": " + error));
            QVERIFY2(error.contains(dir.filePath(file)), qPrintable(error)); // names the file
        }
    }

    void exportIntoAMissingFolderSaysWhy() {
        // A folder that does not exist: one sentence, nothing written.
        const ModelConfig c = smallTrainingConfig(ModelKind::Aae, 16);
        Trainer trainer(c);
        QTemporaryDir dir;
        try {
            exportForPython(c, trainer.model(), 0, dir.filePath("missing/m.pth").toStdString());
            QFAIL("an export into a missing folder succeeded");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).contains("the export for Python"), e.what());
        }
        QVERIFY(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestInterop)
#include "tst_interop.moc"
