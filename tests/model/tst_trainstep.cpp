// How a training step runs, whatever the model: the optimiser computes what LibTorch's Adam
// computes; a loss that turns NaN or infinite rolls back to the last good state and says where,
// also when the losses are read only every few steps; the CUDA graph of the step agrees with
// eager steps (where there is a GPU) and says why it cannot run (where there is none).

#include "model/data/lines.h"
#include "model/data/sample.h"
#include "model/error.h"
#include "model/train/adam.h"
#include "model/train/stepgraph.h"
#include "model/train/trainer.h"
#include "tests/support/smallconfig.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QtTest/QtTest>
#include <torch/cuda.h>

using namespace latentlab;

class TestTrainStep : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aLargeSetsMinibatchIsDrawnWithoutAPermutation() {
        // Above kPermutedDrawLimit: distinct items, in range, repeatable from the seed, and in
        // random order (Floyd's method alone puts the large items last).
        constexpr int64_t size = 70000, count = 60000;
        static_assert(size > kPermutedDrawLimit);
        auto draw = [](uint64_t seed, int64_t n, int64_t k) {
            at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
            return randomDistinct(n, k, gen);
        };
        const torch::Tensor items = draw(3, size, count);
        QCOMPARE(items.size(0), count);
        QCOMPARE(std::get<0>(torch::_unique(items)).size(0), count);
        QVERIFY(items.min().item<int64_t>() >= 0 && items.max().item<int64_t>() < size);
        QVERIFY(torch::equal(items, draw(3, size, count)));
        QVERIFY(!torch::equal(items, draw(4, size, count)));
        // Each end's mean is that of a uniform draw, (size - 1) / 2, within 5 standard errors.
        const double half = (size - 1) / 2.0, se = size / std::sqrt(12.0 * 10000);
        for (const torch::Tensor &part : {items.slice(0, 0, 10000), items.slice(0, -10000)}) {
            const double mean = part.to(torch::kDouble).mean().item<double>();
            QVERIFY2(std::abs(mean - half) < 5 * se, qPrintable(QString::number(mean)));
        }
        // A minibatch of ten million.
        const torch::Tensor batch = draw(1, 10000000, 100);
        QCOMPARE(std::get<0>(torch::_unique(batch)).size(0), int64_t(100));
    }

    void initTestCase() { torch::set_num_threads(1); }

    // The optimiser computes what LibTorch's Adam computes: the same weights after 20 steps,
    // bit for bit on the host; with the counts on the device (the CUDA graph's form) to float
    // rounding. One parameter never gets a gradient, one only from step 6 on (its own count).
    void adamMatchesLibTorch_data() {
        QTest::addColumn<bool>("deviceSteps");
        QTest::newRow("host steps") << false;
        QTest::newRow("device steps") << true;
    }
    void adamMatchesLibTorch() {
        QFETCH(bool, deviceSteps);
        torch::manual_seed(3);
        const std::vector<std::vector<int64_t>> shapes = {{7, 5}, {5}, {3, 2, 2}, {4}};
        std::vector<torch::Tensor> ours, theirs;
        for (const auto &shape : shapes) {
            const torch::Tensor init = torch::randn(shape);
            ours.push_back(init.clone().requires_grad_());
            theirs.push_back(init.clone().requires_grad_());
        }
        AdamSettings settings;
        settings.lr = 0.01;
        settings.beta1 = 0.5;
        Adam adam(ours, settings);
        adam.setDeviceSteps(deviceSteps);
        torch::optim::Adam reference(theirs, torch::optim::AdamOptions(0.01).betas({0.5, 0.999}));
        for (int step = 1; step <= 20; ++step) {
            adam.zeroGrad();
            reference.zero_grad();
            for (size_t i = 0; i < shapes.size(); ++i) {
                if (i == 3 || (i == 2 && step < 6))
                    continue; // no gradient for this parameter in this step
                const torch::Tensor g = torch::randn(shapes[i]) * (1 + double(i));
                ours[i].mutable_grad() = g.clone();
                theirs[i].mutable_grad() = g.clone();
            }
            if (step == 11)
                adam.setLearningRate(0.003), reference.param_groups()[0].options().set_lr(0.003);
            adam.step();
            reference.step();
        }
        for (size_t i = 0; i < shapes.size(); ++i) {
            const double gap = (ours[i] - theirs[i]).abs().max().item<double>();
            QVERIFY2(deviceSteps ? gap < 1e-6 : gap == 0.0,
                     qPrintable(QStringLiteral("parameter %1 differs by %2").arg(i).arg(gap)));
        }
        QCOMPARE(adam.moments(0).step, int64_t(20));
        QCOMPARE(adam.moments(2).step, int64_t(15));
        QCOMPARE(adam.moments(3).step, int64_t(0));
        QVERIFY(!adam.moments(3).avg.defined());
        // Moving the counts between host and device keeps them, and the steps after agree.
        adam.setDeviceSteps(!deviceSteps);
        QCOMPARE(adam.moments(2).step, int64_t(15));
        for (int step = 21; step <= 23; ++step) {
            adam.zeroGrad();
            reference.zero_grad();
            for (size_t i = 0; i < shapes.size(); ++i) {
                const torch::Tensor g = torch::randn(shapes[i]);
                ours[i].mutable_grad() = g.clone();
                theirs[i].mutable_grad() = g.clone();
            }
            adam.step();
            reference.step();
        }
        QCOMPARE(adam.moments(2).step, int64_t(18));
        QCOMPARE(adam.moments(3).step, int64_t(3));
        for (size_t i = 0; i < shapes.size(); ++i)
            QVERIFY2((ours[i] - theirs[i]).abs().max().item<double>() < 1e-6,
                     qPrintable(QStringLiteral("parameter %1 after the switch").arg(i)));
    }

    void adamRefusesMomentsOfAnotherShape() {
        Adam adam({torch::zeros({3, 2}, torch::requires_grad())}, {});
        try {
            adam.setMoments(0, {4, torch::zeros({2, 3}), torch::zeros({2, 3})});
            QFAIL("moments of another shape were taken");
        } catch (const Error &e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QLatin1String("parameter 0")),
                     e.what());
        }
        adam.setMoments(0, {4, torch::ones({3, 2}), torch::ones({3, 2})});
        QCOMPARE(adam.moments(0).step, int64_t(4));
    }

    void divergenceRestoresTheLastGoodState() {
        ModelConfig c = smallTrainingConfig(ModelKind::Aae);
        Trainer t(c);
        t.setRollbackInterval(3);
        t.setData(makeLinesDataset(128, 1));
        for (int i = 0; i < 5; ++i)
            t.step();
        QCOMPARE(t.rollbackStep(), int64_t(3));
        // The state that will be restored: a twin trained to step 3.
        Trainer twin(c);
        twin.setData(makeLinesDataset(128, 1));
        for (int i = 0; i < 3; ++i)
            twin.step();
        {
            torch::NoGradGuard noGrad;
            t.model()->parameters().front().fill_(std::numeric_limits<float>::quiet_NaN());
        }
        try {
            t.step();
            QFAIL("a NaN loss went unreported");
        } catch (const DivergenceError &e) {
            const QString message = e.what();
            QVERIFY2(message.contains("step 6") && message.contains("recon") &&
                         message.contains("step 3 are restored"),
                     e.what());
        }
        QCOMPARE(t.steps(), int64_t(3));
        auto restored = t.model()->named_parameters();
        for (const auto &p : twin.model()->named_parameters())
            QVERIFY2(torch::equal(p.value(), restored[p.key()]), p.key().c_str());
        // Training goes on from there exactly as the twin does.
        const StepLosses a = t.step(), b = twin.step();
        QCOMPARE(a.value("recon"), b.value("recon"));
        QCOMPARE(a.value("disc"), b.value("disc"));
    }

    void lossesReadEveryNthStepTrainTheSame() {
        ModelConfig c = smallTrainingConfig(ModelKind::AaeGaussian);
        Trainer every(c), fifth(c);
        every.setData(makeLinesDataset(128, 1));
        fifth.setData(makeLinesDataset(128, 1));
        fifth.setLossInterval(5);
        for (int i = 1; i <= 10; ++i) {
            const StepLosses a = every.step(), b = fifth.step();
            QCOMPARE(b.step, int64_t(i));
            QCOMPARE(b.values.empty(), i % 5 != 0);
            if (i % 5 == 0)
                QCOMPARE(b.values, a.values);
        }
        auto trained = fifth.model()->named_parameters();
        for (const auto &p : every.model()->named_parameters())
            QVERIFY2(torch::equal(p.value(), trained[p.key()]), p.key().c_str());
        // Between reads, the last step's losses can still be read (once), as before a save.
        const StepLosses a = every.step(), b = fifth.step();
        QVERIFY(b.values.empty());
        QCOMPARE(fifth.readLatestLosses().values, a.values);
        QVERIFY(fifth.readLatestLosses().values.empty());
    }

    void divergenceBetweenReadsIsNoticedAtTheNext() {
        ModelConfig c = smallTrainingConfig(ModelKind::Aae);
        Trainer t(c);
        t.setData(makeLinesDataset(128, 1));
        t.setRollbackInterval(2);
        t.setLossInterval(4);
        for (int i = 0; i < 4; ++i)
            t.step();
        {
            torch::NoGradGuard noGrad;
            t.model()->parameters().front().fill_(std::numeric_limits<float>::quiet_NaN());
        }
        QVERIFY(t.step().values.empty()); // step 5, not read
        try {
            t.readLatestLosses();
            QFAIL("a NaN loss between reads went unreported");
        } catch (const DivergenceError &e) {
            QVERIFY2(QString(e.what()).contains("step 5"), e.what());
        }
        // The state kept at step 2 is back (at step 4 there was nothing finite to keep).
        QCOMPARE(t.steps(), int64_t(2));
        for (const auto &p : t.model()->parameters())
            QVERIFY(torch::isfinite(p).all().item<bool>());
    }

    void cudaGraphsSayWhyTheyCannotRun() {
        ModelConfig c = smallTrainingConfig(ModelKind::Aae);
        Trainer graphed(c), eager(c);
        graphed.setData(makeLinesDataset(128, 1));
        eager.setData(makeLinesDataset(128, 1));
        QVERIFY(!graphed.graphUsable()); // not asked for
        graphed.setCudaGraphs(true);
        QVERIFY(graphed.cudaGraphs());
        QVERIFY(!graphed.graphUsable());
        QVERIFY2(QString::fromStdString(graphed.graphProblem()).contains("cpu"),
                 graphed.graphProblem().c_str());
        for (int i = 0; i < 4; ++i)
            QCOMPARE(graphed.step().values, eager.step().values);
        QCOMPARE(graphed.graphReplays(), int64_t(0));
    }

    // On a GPU: a step replayed from its CUDA graph computes what the eager step computes, for
    // every phase, with inputs and settings that change between replays (the minibatch, noise
    // and prior samples, ACAI's ramped lambda, a new learning rate and adversarial weight).
    void graphAndEagerStepsAgree_data() {
        if (!torch::cuda::is_available())
            QSKIP("no CUDA device here: this test runs on a GPU");
        if (!StepGraph::supported())
            QSKIP("built without CUDA: this test needs a CUDA LibTorch");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("arch");
        QTest::addColumn<bool>("conditioned");
        QTest::newRow("aae") << int(ModelKind::Aae) << "mlp" << false;
        QTest::newRow("aae, label-conditioned") << int(ModelKind::Aae) << "mlp" << true;
        QTest::newRow("aae-gaussian") << int(ModelKind::AaeGaussian) << "mlp" << false;
        QTest::newRow("aae-universal") << int(ModelKind::AaeUniversal) << "mlp" << false;
        QTest::newRow("aae-supervised") << int(ModelKind::AaeSupervised) << "mlp" << false;
        QTest::newRow("aae-semi") << int(ModelKind::AaeSemiSupervised) << "mlp" << false;
        QTest::newRow("aae-cluster") << int(ModelKind::AaeClustering) << "mlp" << false;
        QTest::newRow("denoising") << int(ModelKind::Denoising) << "mlp" << false;
        QTest::newRow("dropout") << int(ModelKind::Dropout) << "mlp" << false;
        QTest::newRow("vae") << int(ModelKind::Vae) << "mlp" << false;
        QTest::newRow("acai conv") << int(ModelKind::Acai) << "conv" << false;
    }
    void graphAndEagerStepsAgree() {
        QFETCH(int, kind);
        QFETCH(QString, arch);
        QFETCH(bool, conditioned);
        ModelConfig c = smallTrainingConfig(ModelConfig::forKind(ModelKind(kind)), 64);
        c.device = "cuda";
        c.seed = 11;
        c.arch = architectureFromString(arch.toStdString());
        c.labelConditioned = conditioned;
        if (conditioned)
            c.prior = "mixture10";
        c.labelledFraction = c.kind == ModelKind::AaeSemiSupervised || conditioned ? 0.5 : 1.0;
        c.acaiWarmup = 10;
        Trainer graphed(c), eager(c);
        graphed.setData(makeLinesDataset(256, 1));
        eager.setData(makeLinesDataset(256, 1));
        graphed.setCudaGraphs(true);
        QVERIFY2(graphed.graphUsable(), graphed.graphProblem().c_str());
        for (int i = 1; i <= 20; ++i) {
            if (i == 12)
                for (Trainer *t : {&graphed, &eager})
                    t->setLearningRates(c.lrRecon / 2, c.lrDisc / 2, c.lrGen / 2);
            if (i == 15)
                for (Trainer *t : {&graphed, &eager})
                    t->setAdversarialWeight(0.5);
            if (i == 17) // new weights and moments (a rollback, a checkpoint) capture anew
                graphed.setState(eager.state(), "the eager twin");
            const StepLosses a = graphed.step(), b = eager.step();
            QCOMPARE(a.values.size(), b.values.size());
            for (size_t k = 0; k < a.values.size(); ++k)
                QVERIFY2(std::abs(a.values[k].second - b.values[k].second) <=
                             1e-4 * (1 + std::abs(b.values[k].second)),
                         qPrintable(QString("step %1, %2: graph %3, eager %4")
                                        .arg(i)
                                        .arg(QString::fromStdString(a.values[k].first))
                                        .arg(a.values[k].second)
                                        .arg(b.values[k].second)));
        }
        QVERIFY2(graphed.graphUsable(), graphed.graphProblem().c_str());
        // Two warm-ups, then the capture and replays at steps 3 to 16; after the new state two
        // warm-ups again (17, 18), then 19 and 20.
        QCOMPARE(graphed.graphReplays(), int64_t(16));
        auto trained = graphed.model()->named_parameters();
        for (const auto &p : eager.model()->named_parameters())
            QVERIFY2(torch::allclose(trained[p.key()], p.value(), 1e-4, 1e-5), p.key().c_str());
        // A new batch size captures anew; losses read every other step.
        graphed.setBatchSize(16);
        eager.setBatchSize(16);
        graphed.setLossInterval(2);
        for (int i = 0; i < 5; ++i)
            graphed.step(), eager.step();
        QCOMPARE(graphed.graphReplays(), int64_t(19));
        const StepLosses last = eager.step(), replayed = graphed.step();
        QCOMPARE(replayed.values.size(), last.values.size());
        trained = graphed.model()->named_parameters();
        for (const auto &p : eager.model()->named_parameters())
            QVERIFY2(torch::allclose(trained[p.key()], p.value(), 1e-4, 1e-5), p.key().c_str());
    }

    void divergenceIsReportedNotHidden() {
        ModelConfig c = smallTrainingConfig(ModelKind::Autoencoder);
        c.loss = "mse";
        Trainer t(c);
        Dataset ds = makeLinesDataset(64, 1);
        ds.images = pixels(ds.images); // floats, to hold a NaN
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

QTEST_GUILESS_MAIN(TestTrainStep)
#include "tst_trainstep.moc"
