// The papers' measures on hand-made cases with known answers.

#include "model/analysis/eval.h"
#include "model/data/lines.h"
#include "model/error.h"

#include <QtTest/QtTest>

using namespace latentlab;

namespace {
constexpr double kTwoPi = 6.283185307179586;
double referenceAngle(int k) {
    return k * kTwoPi / 10000;
}
} // namespace

class TestEval : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void perfectInterpolationScoresZero() {
        // Two pairs whose frames are exactly reference lines, evenly spaced in angle (one of
        // them across the 0 / 2 pi seam).
        std::vector<double> angles;
        for (int i = 0; i < 16; ++i)
            angles.push_back(referenceAngle(1000 + 100 * i));
        for (int i = 0; i < 16; ++i)
            angles.push_back(referenceAngle((9800 + 30 * i) % 10000));
        const torch::Tensor frames =
            renderLines(torch::tensor(angles, torch::kDouble)).view({2, 16, 1, 32, 32});
        const LinesScore s = linesScore(frames);
        QVERIFY2(s.meanDistance < 1e-6, qPrintable(QString::number(s.meanDistance)));
        // Neighbouring references (0.036 degrees apart) can render to the same pixels, so the
        // nearest-reference angle is quantised slightly: zero up to that (measured 4.5e-5).
        QVERIFY2(std::abs(s.smoothness) < 1e-3, qPrintable(QString::number(s.smoothness)));
        QCOMPARE(s.interpolations, 2);
    }

    void abruptJumpScoresNearOne() {
        std::vector<double> angles;
        for (int i = 0; i < 16; ++i)
            angles.push_back(referenceAngle(i < 8 ? 500 : 2500));
        const torch::Tensor frames =
            renderLines(torch::tensor(angles, torch::kDouble)).view({1, 16, 1, 32, 32});
        const LinesScore s = linesScore(frames);
        QVERIFY(std::abs(s.smoothness - (1.0 - 1.0 / 15)) < 1e-9);
        QVERIFY(s.meanDistance < 1e-6);
    }

    void blurryFramesAreFarFromEveryLine() {
        // Two lines superimposed at half strength are real-looking nowhere: distance > 0.
        const torch::Tensor a = renderLine(0.3), b = renderLine(2.5);
        const torch::Tensor blend = ((a + b) / 2).unsqueeze(0).expand({16, 1, 32, 32});
        // (Measured 0.025; exact lines score below 1e-6.)
        QVERIFY(linesScore(blend.reshape({1, 16, 1, 32, 32})).meanDistance > 0.01);
    }

    void samePathEverywhereCountsAsZeroSmoothness() {
        // total < 1e-4: smoothness undefined, counted as 0 but still in the mean.
        const torch::Tensor still = renderLine(referenceAngle(42)).expand({16, 1, 32, 32});
        std::vector<double> angles;
        for (int i = 0; i < 16; ++i)
            angles.push_back(referenceAngle(i < 8 ? 500 : 2500));
        const torch::Tensor jump = renderLines(torch::tensor(angles, torch::kDouble));
        const torch::Tensor frames = torch::stack({still, jump});
        QVERIFY(std::abs(linesScore(frames).smoothness - (1.0 - 1.0 / 15) / 2) < 1e-9);
    }

    void hungarianFindsTheCheapestAssignment() {
        const torch::Tensor cost =
            torch::tensor({{4.0, 1.0, 3.0}, {2.0, 0.0, 5.0}, {3.0, 2.0, 2.0}}, torch::kDouble);
        QCOMPARE(hungarian(cost), (std::vector<int>{1, 0, 2})); // 1 + 2 + 2 = 5
    }

    void permutedLabellingMatchesFully() {
        const torch::Tensor labels = torch::randint(10, {1000}, torch::kLong);
        const torch::Tensor permutation = torch::randperm(10, torch::kLong);
        QCOMPARE(matchedAccuracy(permutation.index_select(0, labels), labels), 1.0);
        // One cluster for everything: only the largest class is right.
        const double one = matchedAccuracy(torch::zeros({1000}, torch::kLong), labels);
        QCOMPARE(one, torch::bincount(labels).max().item<double>() / 1000.0);
    }

    void kmeansAndProbeOnSeparatedClusters() {
        torch::manual_seed(7);
        const torch::Tensor centres = torch::randn({5, 6}) * 10;
        auto sample = [&](int n) {
            const torch::Tensor labels = torch::randint(5, {n}, torch::kLong);
            return std::make_pair(centres.index_select(0, labels) + torch::randn({n, 6}), labels);
        };
        const auto [train, trainLabels] = sample(1500);
        const auto [test, testLabels] = sample(500);
        QVERIFY(kmeansAccuracy(train, test, testLabels, 5) > 0.98);
        QVERIFY(probeAccuracy(train, trainLabels, test, testLabels, 5) > 0.98);
        // Labels unrelated to the codes: the probe is near chance.
        const torch::Tensor noise = torch::randint(5, {500}, torch::kLong);
        QVERIFY(probeAccuracy(train, trainLabels, test, noise, 5) < 0.35);
    }

    void clustersTakeTheirTrainingMajority() {
        const auto t = [](std::vector<int64_t> v) { return torch::tensor(v, torch::kLong); };
        // Cluster 0 -> 5, 1 -> 7, 2 -> 1, 3 -> 0; cluster 4 has no training item.
        const torch::Tensor trainClusters = t({0, 0, 0, 1, 1, 2, 2, 3, 3});
        const torch::Tensor trainLabels = t({5, 5, 2, 7, 7, 1, 1, 0, 0});
        QCOMPARE(clusterAccuracy(trainClusters, trainLabels, t({0, 2, 3, 1}), t({5, 1, 0, 7}), 5),
                 1.0);
        // An item of the empty cluster is always wrong; one of cluster 0 labelled 2 is too.
        QCOMPARE(clusterAccuracy(trainClusters, trainLabels, t({0, 2, 3, 1, 4, 0}),
                                 t({5, 1, 0, 7, 0, 2}), 5),
                 4.0 / 6.0);
    }

    void parzenWindowOnOneSample() {
        // One sample at 0, sigma 1: the density is N(0, 1) itself.
        const torch::Tensor ll =
            parzenLogLikelihood(torch::zeros({1, 1}), torch::tensor({{0.0}, {1.0}}), 1.0);
        const double c = -0.5 * std::log(2 * M_PI);
        QVERIFY(std::abs(ll[0].item<double>() - c) < 1e-9);
        QVERIFY(std::abs(ll[1].item<double>() - (c - 0.5)) < 1e-9);
        QVERIFY_THROWS_EXCEPTION(
            Error, parzenLogLikelihood(torch::zeros({1, 1}), torch::zeros({1, 1}), 0.0));
    }

    void parzenChoosesTheBandwidthOnValidation() {
        // Samples, validation and test from N(0, I) in 2-D. With many samples the window with
        // sigma 0.3 is close to N(0, 1.09 I), whose expected log-likelihood of N(0, I) data is
        // -log(2 pi 1.09) - 1 / 1.09 = -2.841 (the true entropy gives -2.838); 0.01 overfits the
        // samples and 10 smears them.
        torch::manual_seed(3);
        const torch::Tensor samples = torch::randn({4000, 2});
        const torch::Tensor validation = torch::randn({1000, 2}), test = torch::randn({2000, 2});
        const ParzenScore p = parzenEstimate(samples, validation, test, {0.01, 0.3, 10.0});
        QCOMPARE(p.sigma, 0.3);
        QVERIFY2(std::abs(p.logLikelihood + 2.841) < 0.1,
                 qPrintable(QString::number(p.logLikelihood)));
        QVERIFY(p.standardError > 0 && p.standardError < 0.05);
    }
};

QTEST_GUILESS_MAIN(TestEval)
#include "tst_eval.moc"
