// latentlab-cli end to end on the generated `lines` set: train writes everything it promises,
// resume continues, the scripting commands work (on LatentLab checkpoints and on TorchScript
// models from Python), and mistakes get one line and exit status 2.

#include "tests/support/pythonmodels.h"

#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest/QtTest>

namespace {

struct Result {
    int code = -1;
    QString out, err;
};

Result run(const QStringList &args, int timeoutMs = 240000) {
    QProcess p;
    p.setProgram(QStringLiteral(LATENTLAB_CLI));
    p.setArguments(args);
    p.start();
    Result r;
    if (!p.waitForFinished(timeoutMs))
        return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

int lineCount(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    return f.readAll().count('\n');
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        out_ = dir_.filePath("run");
    }

    void trainWritesEverything() {
        const Result r =
            run({"train",    "--data",   "lines:400", "--model", "aae",   "--prior", "mixture10",
                 "--labels", "--hidden", "64",        "--batch", "32",    "--steps", "40",
                 "--show",   "300",      "--threads", "1",       "--out", out_});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY(r.out.contains("step 40/40"));
        for (const char *name : {"model.pt", "config.json", "losses.csv", "latents.csv",
                                 "latent.png", "reconstructions.png"})
            QVERIFY2(QFileInfo(out_ + "/" + name).size() > 0, name);
        QCOMPARE(lineCount(out_ + "/losses.csv"), 41); // header and 40 steps
        QCOMPARE(lineCount(out_ + "/latents.csv"), 301);
        QFile csv(out_ + "/losses.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readLine().trimmed(), QByteArray("step,recon,disc,gen"));
        const QImage latent(out_ + "/latent.png");
        QVERIFY(latent.width() > 400 && latent.height() > 300);
        // Coloured points: the picture is not grey only.
        int coloured = 0;
        for (int y = 0; y < latent.height(); y += 3)
            for (int x = 0; x < latent.width(); x += 3) {
                const QColor c = latent.pixelColor(x, y);
                coloured += std::abs(c.red() - c.blue()) > 60 || std::abs(c.red() - c.green()) > 60;
            }
        QVERIFY(coloured > 20);
    }

    void resumeContinues() {
        const Result r =
            run({"train", "--resume", out_ + "/model.pt", "--steps", "60", "--threads", "1"});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY(r.out.contains("resuming") && r.out.contains("step 60/60"));
        QCOMPARE(lineCount(out_ + "/losses.csv"), 61);
        const Result changed = run({"train", "--resume", out_ + "/model.pt", "--model", "ae"});
        QCOMPARE(changed.code, 2);
        QVERIFY(changed.err.contains("cannot be changed when resuming"));
    }

    void projectWritesALayout() {
        // Each method: one row per item in encode's order, x and y, and the figures printed.
        for (const char *method : {"pca", "umap", "dims"}) {
            const QString layout = dir_.filePath(QStringLiteral("layout-%1.csv").arg(method));
            const Result r = run({"project", "--checkpoint", out_ + "/model.pt", "--data",
                                  "lines:300", "--method", method, "--out", layout});
            QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
            QVERIFY2(
                r.out.contains(QStringLiteral("%1 layout of 300 codes of size 2").arg(method)) &&
                    r.out.contains("10-nearest-neighbour preservation"),
                qPrintable(r.out));
            QFile f(layout);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QList<QByteArray> lines = f.readAll().split('\n');
            QCOMPARE(lines.first(), QByteArray("index,label,x,y"));
            QCOMPARE(lines.size(), 302); // header, 300 rows, the empty piece after the last newline
            QVERIFY(lines[1].startsWith("0,"));
        }
        // Codes of size 2 shown as their own dimensions keep every neighbourhood.
        const Result dims = run({"project", "--checkpoint", out_ + "/model.pt", "--data",
                                 "lines:300", "--method", "dims", "--out", dir_.filePath("d.csv")});
        QVERIFY2(dims.out.contains("preservation 1.000"), qPrintable(dims.out));
        const Result bad = run({"project", "--checkpoint", out_ + "/model.pt", "--method", "dims",
                                "--dims", "0,5", "--out", dir_.filePath("x.csv")});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("expected two dimensions from 0 to 1"), qPrintable(bad.err));
    }

    void scriptingCommands() {
        const QString codes = dir_.filePath("codes.csv");
        Result r = run(
            {"encode", "--checkpoint", out_ + "/model.pt", "--data", "lines:50", "--out", codes});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(lineCount(codes), 51);

        const QString image = dir_.filePath("one.png");
        r = run({"decode", "--checkpoint", out_ + "/model.pt", "--code", "0.5,-1", "--out", image});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        // One image is the image, magnified, without the 1-pixel frame of a grid's cells.
        QCOMPARE(QImage(image).size(), QSize(32 * 4, 32 * 4));
        const QString unscaled = dir_.filePath("one-unscaled.png");
        r = run({"decode", "--checkpoint", out_ + "/model.pt", "--code", "0.5,-1", "--scale", "1",
                 "--out", unscaled});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(QImage(unscaled).size(), QSize(32, 32));
        // Each 4 x 4 block of the magnified picture is one pixel of the unscaled one.
        const QImage big(image), small(unscaled);
        for (int y = 0; y < 32; y += 5)
            for (int x = 0; x < 32; x += 3)
                QCOMPARE(big.pixel(4 * x + 3, 4 * y + 3), small.pixel(x, y));

        const QString strip = dir_.filePath("strip.png");
        r = run({"interpolate", "--checkpoint", out_ + "/model.pt", "--data", "lines:50", "--from",
                 "1", "--to", "7", "--steps", "8", "--mode", "slerp", "--scale", "1", "--out",
                 strip});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(QImage(strip).width(), 8 * 33 + 1);

        // export: a zip archive for torch.load (tst_interop reads it in Python); never over
        // the checkpoint itself.
        const QString pth = dir_.filePath("model.pth");
        r = run({"export", "--checkpoint", out_ + "/model.pt", "--out", pth});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("code size 2"), qPrintable(r.out));
        QFile exported(pth);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        QCOMPARE(exported.read(2), QByteArray("PK"));
        const QByteArray before = [&] {
            QFile f(out_ + "/model.pt");
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        r = run({"export", "--checkpoint", out_ + "/model.pt", "--out", out_ + "/./model.pt"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--out is the checkpoint itself"), qPrintable(r.err));
        QFile after(out_ + "/model.pt");
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), before);

        r = run({"--version"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith("latentlab-cli 0.") && r.out.contains("LibTorch"),
                 qPrintable(r.out));
    }

    void evalPrintsAndWritesTheMeasures() {
        const QString json = dir_.filePath("eval.json");
        const Result r = run(
            {"eval", "--checkpoint", out_ + "/model.pt", "--data", "lines:300", "--json", json});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("lines: mean distance") && r.out.contains("k-means accuracy"),
                 qPrintable(r.out));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        for (const char *key :
             {"lines_mean_distance", "lines_smoothness", "probe_accuracy", "kmeans_accuracy"})
            QVERIFY2(text.contains(key), key);
        const Result bad = run({"eval", "--checkpoint", out_ + "/model.pt", "--metrics", "fid"});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains("unknown metric"));
    }

    // eval's default metrics are those that apply: a 28x28 model leaves the lines benchmark
    // out and says why; named, the benchmark is still an error.
    void evalDefaultsToWhatApplies() {
        const QString images = dir_.filePath("digits28");
        for (int i = 0; i < 60; ++i) {
            const QString cls = i % 2 ? QStringLiteral("bars") : QStringLiteral("blocks");
            QVERIFY(QDir().mkpath(images + "/" + cls));
            QImage image(28, 28, QImage::Format_Grayscale8);
            image.fill(0);
            for (int y = 0; y < 28; ++y)
                for (int x = 0; x < 28; ++x)
                    if (i % 2 ? (x + i) % 7 < 2 : (x / 7 + y / 7 + i) % 2 == 0)
                        image.setPixel(x, y, qRgb(255, 255, 255));
            QVERIFY(image.save(QStringLiteral("%1/%2/%3.png").arg(images, cls).arg(i)));
        }
        const QString run28 = dir_.filePath("run28");
        Result r = run({"train", "--data", "folder:" + images, "--model", "aae", "--hidden", "32",
                        "--batch", "16", "--steps", "5", "--threads", "1", "--out", run28});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        const QString json = dir_.filePath("eval28.json");
        r = run({"eval", "--checkpoint", run28 + "/model.pt", "--json", json});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("linear probe accuracy") && r.out.contains("k-means accuracy"),
                 qPrintable(r.out));
        QVERIFY2(!r.out.contains("lines: mean distance"), qPrintable(r.out));
        QVERIFY2(r.out.contains("left out lines: the lines benchmark needs a model of 32x32 grey "
                                "images; this one takes 1x28x28."),
                 qPrintable(r.out));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(text.contains("\"left_out\"") && text.contains("\"probe_accuracy\""),
                 text.constData());
        r = run({"eval", "--checkpoint", run28 + "/model.pt", "--metrics", "lines"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("needs a model of 32x32 grey images; this one takes 1x28x28"),
                 qPrintable(r.err));
    }

    void compareWritesOneTableAndOnePicture() {
        const QString dir = dir_.filePath("compare");
        const Result r = run({"compare", "--data", "lines:300", "--models", "ae,acai,aae-cluster",
                              "--steps", "15", "--hidden", "32", "--latent", "4", "--metrics",
                              "lines,probe,parzen,classify", "--out", dir});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QFile md(dir + "/results.md");
        QVERIFY(md.open(QIODevice::ReadOnly));
        const QString table = QString::fromUtf8(md.readAll());
        QVERIFY2(table.contains("| metric | ae | acai | aae-cluster |"), qPrintable(table));
        for (const char *row : {"| lines: mean distance |", "| lines: smoothness |",
                                "| linear probe accuracy |", "| Parzen log-likelihood (nats) |"})
            QVERIFY2(table.contains(row), row);
        // Only the clustering AAE has a categorical code to classify with.
        QVERIFY2(QRegularExpression(R"(\| classification error \(y\) \| - \| - \| \d+\.\d\d% \|)")
                     .match(table)
                     .hasMatch(),
                 qPrintable(table));
        QFile json(dir + "/results.json");
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QByteArray text = json.readAll();
        QVERIFY(text.contains("\"acai\"") && text.contains("parzen_log_likelihood"));
        // One row of 12 frames per model, 3x magnified with 1-pixel gaps.
        QCOMPARE(QImage(dir + "/interpolations.png").size(), QSize(12 * 97 + 1, 3 * 97 + 1));
        QVERIFY(QFile::exists(dir + "/aae-cluster/model.pt"));
    }

    void mistakesGetOneLineAndStatus2_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown command") << QStringList{"fly"} << "unknown command";
        QTest::newRow("unknown option") << QStringList{"train", "--colour-me"} << "unknown option";
        QTest::newRow("bad number")
            << QStringList{"train", "--data", "lines", "--steps", "ten", "--out", "x"}
            << "not a whole number";
        QTest::newRow("missing value") << QStringList{"train", "--data"} << "needs a value";
        QTest::newRow("missing out") << QStringList{"train", "--data", "lines"} << "--out";
        QTest::newRow("unknown model to compare")
            << QStringList{"compare", "--data", "lines", "--models", "ae,gan", "--out", "x"}
            << "unknown model 'gan'";
        QTest::newRow("wrong code size")
            << QStringList{"decode", "--checkpoint", "CKPT", "--code", "1,2,3", "--out", "x.png"}
            << "code size";
    }
    void mistakesGetOneLineAndStatus2() {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        args.replaceInStrings("CKPT", out_ + "/model.pt");
        const Result r = run(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);
    }

    void torchScriptModelsFromPython() {
        const QString python = pythonWithTorch();
        if (python.isEmpty())
            QSKIP("no python3 with torch here (apt-get install python3-torch)");
        const QString models = dir_.filePath("torchscript");
        const QString made = makeTorchScriptModels(python, models);
        QVERIFY2(made.isEmpty(), qPrintable(made));
        const QString model = models + "/aae.ts";
        // 1x32x32: the lines set is its own data when --data is not given.
        const QString codes = dir_.filePath("ts-codes.csv");
        Result r = run({"encode", "--checkpoint", model, "--out", codes});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(lineCount(codes) > 100);
        const QString image = dir_.filePath("ts-one.png");
        r = run({"decode", "--checkpoint", model, "--code", "0.5,-1", "--out", image});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(QImage(image).size(), QSize(32 * 4, 32 * 4));
        const QString strip = dir_.filePath("ts-strip.png");
        r = run({"interpolate", "--checkpoint", model, "--data", "lines:50", "--from", "1", "--to",
                 "7", "--steps", "5", "--scale", "1", "--out", strip});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(QImage(strip).width(), 5 * 33 + 1);
        const QString json = dir_.filePath("ts-eval.json");
        r = run({"eval", "--checkpoint", model, "--data", "lines:300", "--metrics", "lines,probe",
                 "--json", json});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("lines: mean distance") && r.out.contains("probe"),
                 qPrintable(r.out));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("\"model\": \"torchscript\""));

        // What is not TorchScript, or breaks the interface: one line naming the file and why.
        r = run(
            {"decode", "--checkpoint", models + "/state_dict.pt", "--code", "0,0", "--out", image});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("state_dict.pt was written by torch.save"), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        r = run({"encode", "--checkpoint", models + "/no_decode.ts", "--out", codes});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no `decode` method"), qPrintable(r.err));
    }

    void runTimeErrorsNameTheProblem() {
        QFile junk(dir_.filePath("junk.pt"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a checkpoint at all");
        junk.close();
        const Result r = run({"encode", "--checkpoint", junk.fileName(), "--out", "x.csv"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("junk.pt") && r.err.contains("not a LatentLab checkpoint"),
                 qPrintable(r.err));
        const Result bad = run({"train", "--data", "lines", "--prior", "swissroll", "--latent", "3",
                                "--steps", "1", "--out", dir_.filePath("x")});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("swissroll"), qPrintable(bad.err));
    }

private:
    QTemporaryDir dir_;
    QString out_;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
