// The AAE family trains: every variant's reconstruction loss falls on small data, runs are
// repeatable from a seed, and on a 2-D Gaussian prior the codes take on the prior's moments.

#include "model/error.h"
#include "model/lines.h"
#include "model/trainer.h"

#include <QtTest/QtTest>

using namespace latentlab;

namespace {

ModelConfig smallConfig(ModelKind kind) {
    ModelConfig c;
    c.kind = kind;
    c.hidden = 96;
    c.discHidden = 96;
    c.batch = 32;
    c.height = c.width = 32;
    c.numClasses = 10;
    c.data = "lines";
    c.device = "cpu";
    c.seed = 5;
    return c;
}

double meanRecon(Trainer &t, int steps) {
    double sum = 0;
    for (int i = 0; i < steps; ++i)
        sum += t.step().value("recon");
    return sum / steps;
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void reconstructionLossFalls_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("conditioned");
        QTest::addColumn<QString>("arch");
        QTest::newRow("ae") << int(ModelKind::Autoencoder) << false << "mlp";
        QTest::newRow("aae") << int(ModelKind::Aae) << false << "mlp";
        QTest::newRow("aae-gaussian") << int(ModelKind::AaeGaussian) << false << "mlp";
        QTest::newRow("aae-universal") << int(ModelKind::AaeUniversal) << false << "mlp";
        QTest::newRow("aae-supervised") << int(ModelKind::AaeSupervised) << false << "mlp";
        QTest::newRow("aae label-conditioned") << int(ModelKind::Aae) << true << "mlp";
        QTest::newRow("aae conv") << int(ModelKind::Aae) << false << "conv";
        QTest::newRow("aae-gaussian conv") << int(ModelKind::AaeGaussian) << false << "conv";
        QTest::newRow("denoising") << int(ModelKind::Denoising) << false << "mlp";
        QTest::newRow("dropout") << int(ModelKind::Dropout) << false << "mlp";
        QTest::newRow("vae") << int(ModelKind::Vae) << false << "mlp";
        QTest::newRow("vae, mixture prior") << int(ModelKind::Vae) << true << "mlp";
        QTest::newRow("acai") << int(ModelKind::Acai) << false << "mlp";
        QTest::newRow("acai conv") << int(ModelKind::Acai) << false << "conv";
    }
    void reconstructionLossFalls() {
        QFETCH(int, kind);
        QFETCH(bool, conditioned);
        QFETCH(QString, arch);
        ModelConfig c = smallConfig(ModelKind(kind));
        c.labelConditioned = conditioned && c.adversarial();
        c.labelledFraction = 0.5;
        c.prior = conditioned ? "mixture10" : "gaussian";
        c.arch = architectureFromString(arch.toStdString());
        c.convDepth = 8;
        Trainer t(c);
        t.setData(makeLinesDataset(512, 1));
        const double before = meanRecon(t, 5);
        for (int i = 0; i < 150; ++i)
            t.step();
        const double after = meanRecon(t, 5);
        QVERIFY2(after < 0.75 * before,
                 qPrintable(QString("recon %1 -> %2").arg(before).arg(after)));
        QCOMPARE(t.steps(), int64_t(160));
        QCOMPARE(t.lossNames().size(), t.step().values.size());
    }

    void acaiCriticLearnsTheMixingCoefficient() {
        // An autoencoder trained on reconstruction alone (lambda 0), then frozen: the critic
        // alone must learn to read alpha off a decoded interpolant.
        ModelConfig c = smallConfig(ModelKind::Acai);
        c.acaiLambda = 0;
        c.lrDisc = 1e-3;
        c.latent = 8;
        Trainer t(c);
        t.setData(makeLinesDataset(512, 1));
        for (int i = 0; i < 600; ++i)
            t.step();
        t.setLearningRates(1e-12, 1e-3, 1e-3);
        for (int i = 0; i < 1500; ++i)
            t.step();
        torch::NoGradGuard noGrad;
        t.model()->eval();
        const torch::Tensor x = t.data().images.slice(0, 0, 256);
        const torch::Tensor z = t.model()->encode(x).code;
        const torch::Tensor alpha = torch::linspace(0, 0.5, 256).unsqueeze(1);
        const torch::Tensor mixed = t.model()->decode(alpha * z + (1 - alpha) * z.flip(0));
        const torch::Tensor predicted = t.model()->critic(mixed);
        const torch::Tensor target = alpha.squeeze(1);
        const double error = (predicted - target).abs().mean().item<double>();
        const torch::Tensor p = predicted - predicted.mean(), q = target - target.mean();
        const double correlation =
            (p * q).sum().item<double>() / (p.norm() * q.norm()).item<double>();
        // Guessing the mean, 0.25, would be off by 0.125 on average and not correlate at all.
        QVERIFY2(error < 0.118 && correlation > 0.3, // measured: 0.109 and 0.45
                 qPrintable(QString("mean error %1, correlation %2").arg(error).arg(correlation)));
    }

    void vaeRefusesAPriorWithoutDensity() {
        ModelConfig c = smallConfig(ModelKind::Vae);
        c.prior = "uniform";
        QVERIFY_THROWS_EXCEPTION(Error, Trainer{c});
    }

    void sameSeedSameLosses() {
        auto run = [](uint64_t seed) {
            ModelConfig c = smallConfig(ModelKind::AaeUniversal);
            c.seed = seed;
            Trainer t(c);
            t.setData(makeLinesDataset(256, 1));
            std::vector<double> losses;
            for (int i = 0; i < 5; ++i)
                for (const auto &v : t.step().values)
                    losses.push_back(v.second);
            return losses;
        };
        QCOMPARE(run(3), run(3));
        QVERIFY(run(3) != run(4));
    }

    void codesApproachAGaussianPrior() {
        ModelConfig c = smallConfig(ModelKind::Aae);
        c.hidden = c.discHidden = 128;
        c.batch = 64;
        c.lrDisc = c.lrGen = 5e-4;
        Trainer t(c);
        t.setData(makeLinesDataset(2048, 2));
        auto moments = [&] {
            torch::Tensor z = t.encode(t.data().images).to(torch::kDouble);
            torch::Tensor centred = z - z.mean(0);
            return std::make_pair(z.mean(0), centred.t().mm(centred) / double(z.size(0) - 1));
        };
        const auto [mean0, cov0] = moments();
        for (int i = 0; i < 1500; ++i)
            t.step();
        const auto [mean, cov] = moments();
        const double meanErr = mean.abs().max().item<double>();
        const double covErr = (cov - torch::eye(2, torch::kDouble)).abs().max().item<double>();
        const double covErr0 = (cov0 - torch::eye(2, torch::kDouble)).abs().max().item<double>();
        QVERIFY2(meanErr < 0.3 && covErr < 0.45,
                 qPrintable(QString("mean %1 %2, cov %3 %4 / %5 %6 (before: cov error %7)")
                                .arg(mean[0].item<double>())
                                .arg(mean[1].item<double>())
                                .arg(cov[0][0].item<double>())
                                .arg(cov[0][1].item<double>())
                                .arg(cov[1][0].item<double>())
                                .arg(cov[1][1].item<double>())
                                .arg(covErr0)));
        QVERIFY(covErr < covErr0);
    }

    void supervisedDecodesOneStyleWithEveryLabel() {
        Trainer t(smallConfig(ModelKind::AaeSupervised));
        t.setData(makeLinesDataset(128, 1));
        t.step();
        const torch::Tensor row = t.decodeWithEveryLabel(torch::zeros({2}));
        QCOMPARE(row.sizes(), (torch::IntArrayRef{10, 1, 32, 32}));
        QVERIFY(!torch::allclose(row[0], row[5])); // the label changes the picture
    }

    void refusesDataItCannotUse() {
        Trainer t(smallConfig(ModelKind::AaeSupervised));
        QVERIFY_THROWS_EXCEPTION(Error, t.step()); // no data yet
        Dataset unlabelled = makeLinesDataset(16, 1);
        unlabelled.labels = torch::Tensor();
        QVERIFY_THROWS_EXCEPTION(Error, t.setData(unlabelled));
        Dataset wrongSize = makeLinesDataset(16, 1);
        wrongSize.images = torch::zeros({16, 1, 28, 28});
        QVERIFY_THROWS_EXCEPTION(Error, t.setData(wrongSize));
    }

    void divergenceIsReportedNotHidden() {
        ModelConfig c = smallConfig(ModelKind::Autoencoder);
        c.loss = "mse";
        Trainer t(c);
        Dataset ds = makeLinesDataset(64, 1);
        ds.images[0][0][0][0] = std::numeric_limits<float>::quiet_NaN();
        ds.images = ds.images.index_select(0, torch::zeros({64}, torch::kLong)); // all the NaN one
        t.setData(ds);
        try {
            t.step();
            QFAIL("a NaN loss went unreported");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).contains("not a number"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
