// LatentLab and PyTorch: a model exported with `latentlab-cli export` and rebuilt in Python by
// resources/python/latentlab_models.py decodes the same codes to the same pixels, and encodes
// the same images to the same codes, to 1e-5. Runs when a python3 with torch is installed
// (Debian's python3-torch; packaging/deps.sh installs it), else skips.

#include "model/error.h"
#include "model/io/pythonexport.h"
#include "model/train/trainer.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <torch/serialize.h>

#include <fstream>

using namespace latentlab;

namespace {

// A python3 that imports torch: $LATENTLAB_PYTHON, else Debian's, else the first on PATH.
QString pythonWithTorch() {
    QStringList candidates;
    if (qEnvironmentVariableIsSet("LATENTLAB_PYTHON"))
        candidates << qEnvironmentVariable("LATENTLAB_PYTHON");
    candidates << QStringLiteral("/usr/bin/python3") << QStringLiteral("python3");
    for (const QString &python : candidates) {
        QProcess p;
        p.start(python, {QStringLiteral("-c"), QStringLiteral("import torch")});
        if (p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit &&
            p.exitCode() == 0)
            return python;
    }
    return {};
}

void writeBytes(const QString &path, const std::vector<char> &bytes) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
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
        ModelConfig c = ModelConfig::forKind(modelKindFromString(kind.toStdString()));
        c.arch = architectureFromString(arch.toStdString());
        c.hidden = c.discHidden = 48;
        c.convDepth = 4;
        c.height = c.width = 16;
        c.batch = 16;
        c.numClasses = 10;
        c.device = "cpu";
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

    void exportIntoAMissingFolderSaysWhy() {
        // A folder that does not exist: one sentence, nothing written.
        ModelConfig c;
        c.hidden = c.discHidden = 16;
        c.device = "cpu";
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
