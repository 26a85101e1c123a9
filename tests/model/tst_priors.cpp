// Priors: sample statistics, component assignment, densities that integrate to one.

#include "model/error.h"
#include "model/nets/prior.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QtTest/QtTest>

#include <cmath>

using namespace latentlab;

namespace {

constexpr double kPi = 3.14159265358979323846;

at::Generator generator(uint64_t seed) {
    return at::make_generator<at::CPUGeneratorImpl>(seed);
}

torch::Tensor covariance(const torch::Tensor &z) {
    torch::Tensor c = z - z.mean(0);
    return c.t().mm(c) / double(z.size(0) - 1);
}

// Riemann sum of the 2-D density over a square that holds nearly all of its mass.
double integrate(const Prior &prior, double half) {
    const int n = 300;
    torch::Tensor xs = torch::linspace(-half, half, n);
    auto grid = torch::meshgrid({xs, xs}, "ij");
    torch::Tensor pts = torch::stack({grid[0].flatten(), grid[1].flatten()}, 1);
    const double cell = std::pow(2 * half / (n - 1), 2);
    return prior.density2d(pts).sum().item<double>() * cell;
}

} // namespace

class TestPriors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void gaussianMomentsInAnyDimension_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("dim");
        QTest::addColumn<double>("std");
        QTest::newRow("2-D unit") << "gaussian" << 2 << 1.0;
        QTest::newRow("8-D wide") << "gaussian:2.5" << 8 << 2.5;
    }
    void gaussianMomentsInAnyDimension() {
        QFETCH(QString, spec);
        QFETCH(int, dim);
        QFETCH(double, std);
        auto prior = makePrior(spec.toStdString(), dim);
        auto gen = generator(1);
        const torch::Tensor z = prior->sample(40000, gen).codes;
        QCOMPARE(z.sizes(), (torch::IntArrayRef{40000, dim}));
        QVERIFY(z.mean(0).abs().max().item<double>() < 0.05 * std);
        const torch::Tensor expected = torch::eye(dim) * (std * std);
        QVERIFY((covariance(z) - expected).abs().max().item<double>() < 0.06 * std * std);
    }

    void mixtureComponentsSitOnACircle() {
        auto prior = makePrior("mixture10", 2);
        QCOMPARE(prior->components(), 10);
        auto gen = generator(2);
        const PriorSample s = prior->sample(50000, gen);
        for (int k = 0; k < 10; ++k) {
            const torch::Tensor mine = s.codes.index({s.components == k});
            QVERIFY(mine.size(0) > 4000); // about a tenth each
            const torch::Tensor mean = mine.mean(0);
            const double angle = std::atan2(mean[1].item<double>(), mean[0].item<double>());
            const double expected = 2 * kPi * k / 10;
            QVERIFY2(std::abs(std::remainder(angle - expected, 2 * kPi)) < 0.05,
                     qPrintable(QString("component %1 at angle %2").arg(k).arg(angle)));
            QVERIFY(std::abs(mean.norm().item<double>() - 4.0) < 0.1);
        }
    }

    void labelsSelectTheirComponent_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("dim");
        QTest::newRow("mixture") << "mixture:6" << 2;
        QTest::newRow("mixture in 5-D") << "mixture10" << 5;
        QTest::newRow("swiss roll") << "swissroll" << 2;
        QTest::newRow("categorical") << "categorical" << 10;
    }
    void labelsSelectTheirComponent() {
        // Codes sampled for label k are more likely under component k than any other.
        QFETCH(QString, spec);
        QFETCH(int, dim);
        auto prior = makePrior(spec.toStdString(), dim);
        auto gen = generator(3);
        const int k = prior->components();
        const torch::Tensor labels = torch::arange(k, torch::kLong).repeat({200});
        const torch::Tensor z = prior->sampleForLabels(labels, gen);
        QCOMPARE(z.size(0), labels.size(0));
        if (spec == "categorical") {
            QVERIFY(torch::equal(z.argmax(1), labels));
            return;
        }
        const torch::Tensor owner = prior->componentDensity2d(z.slice(1, 0, 2)).argmax(1);
        const double agree = (owner == labels).to(torch::kDouble).mean().item<double>();
        QVERIFY2(agree > 0.9, qPrintable(QString("%1 of codes in their component").arg(agree)));
        // A label of -1 means any component: all components appear.
        const torch::Tensor any =
            prior->sampleForLabels(torch::full({2000}, -1, torch::kLong), gen);
        const torch::Tensor owners = prior->componentDensity2d(any.slice(1, 0, 2)).argmax(1);
        QCOMPARE(std::get<0>(torch::_unique(owners)).size(0), int64_t(k));
    }

    void densitiesIntegrateToOne_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<double>("half");
        QTest::newRow("gaussian") << "gaussian" << 6.0;
        QTest::newRow("mixture10") << "mixture10" << 8.0;
        QTest::newRow("swissroll") << "swissroll" << 5.0;
        QTest::newRow("uniform") << "uniform" << 3.0;
    }
    void densitiesIntegrateToOne() {
        QFETCH(QString, spec);
        QFETCH(double, half);
        auto prior = makePrior(spec.toStdString(), 2);
        const double mass = integrate(*prior, half);
        QVERIFY2(std::abs(mass - 1.0) < 0.03, qPrintable(QString("mass %1").arg(mass)));
    }

    void uniformStaysInItsBox() {
        auto prior = makePrior("uniform:1.5", 3);
        auto gen = generator(4);
        const torch::Tensor z = prior->sample(20000, gen).codes;
        QVERIFY(z.abs().max().item<double>() <= 1.5);
        QVERIFY(z.abs().max().item<double>() > 1.45);
        QVERIFY(z.mean(0).abs().max().item<double>() < 0.05);
    }

    void sameGeneratorSeedSameSamples() {
        auto prior = makePrior("swissroll", 2);
        auto a = generator(9), b = generator(9);
        QVERIFY(torch::equal(prior->sample(100, a).codes, prior->sample(100, b).codes));
    }

    void badSpecsAreRefused_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("dim");
        QTest::newRow("unknown") << "laplace" << 2;
        QTest::newRow("swiss roll in 3-D") << "swissroll" << 3;
        QTest::newRow("zero components") << "mixture:0" << 2;
        QTest::newRow("negative std") << "gaussian:-1" << 2;
        QTest::newRow("not a number") << "uniform:wide" << 2;
    }
    void badSpecsAreRefused() {
        QFETCH(QString, spec);
        QFETCH(int, dim);
        QVERIFY_THROWS_EXCEPTION(Error, makePrior(spec.toStdString(), dim));
    }
};

QTEST_GUILESS_MAIN(TestPriors)
#include "tst_priors.moc"
