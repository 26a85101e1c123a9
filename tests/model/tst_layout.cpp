// 2-D layouts of codes (model/analysis/layout.h) on data with a known answer: UMAP finds
// clusters that PCA lays on one another and keeps the neighbourhoods of a swiss roll that PCA
// flattens (its PCA start fails both, so only its optimisation passes them), and follows moved
// codes from a warm start; the exact neighbour search agrees with a plain double loop,
// neighbour preservation is 1 for a copy and near chance for noise, PCA finds the direction
// the data is stretched along.

#include "model/analysis/layout.h"
#include "model/error.h"
#include "tests/support/layoutdata.h"

#include <QtTest/QtTest>
#include <torch/torch.h>

using namespace latentlab;

namespace {

// `clusters` Gaussian blobs of `each` points in `dim` dimensions, centres 20 apart; labels.
// Their PCA start already separates them: for following moved codes, not for finding clusters.
std::pair<torch::Tensor, torch::Tensor> blobs(int clusters, int each, int dim, uint64_t seed) {
    auto gen = at::detail::createCPUGenerator(seed);
    const torch::Tensor centres = torch::randn({clusters, dim}, gen, torch::kFloat) * 20;
    const torch::Tensor labels = torch::arange(clusters, torch::kLong).repeat_interleave(each);
    const torch::Tensor points =
        centres.index_select(0, labels) + torch::randn({clusters * each, dim}, gen, torch::kFloat);
    return {points, labels};
}

} // namespace

class TestLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void exactNeighboursAgreeWithALoop() {
        auto gen = at::detail::createCPUGenerator(3);
        const torch::Tensor points = torch::randn({300, 5}, gen, torch::kFloat);
        const auto [index, distance] = nearestNeighbours(points, points, 4, true);
        auto p = points.accessor<float, 2>();
        for (int i = 0; i < 300; i += 7) {
            std::vector<std::pair<double, int>> all;
            for (int j = 0; j < 300; ++j) {
                if (j == i)
                    continue;
                double d = 0;
                for (int c = 0; c < 5; ++c)
                    d += (p[i][c] - p[j][c]) * (p[i][c] - p[j][c]);
                all.emplace_back(std::sqrt(d), j);
            }
            std::sort(all.begin(), all.end());
            for (int r = 0; r < 4; ++r) {
                QCOMPARE(index[i][r].item<int64_t>(), int64_t(all[size_t(r)].second));
                QVERIFY(std::abs(distance[i][r].item<double>() - all[size_t(r)].first) < 1e-4);
            }
        }
    }

    void distancesOfLargeCodesAreExact() {
        // Codes far from the origin: the quick form of the distance loses the small ones, and
        // an item must still find itself at 0 and its near twin at the true distance.
        torch::manual_seed(4);
        torch::Tensor points = torch::randn({300, 16}) * 5 + 400;
        points[7] = points[3] + 0.01;
        const auto [index, distance] = nearestNeighbours(points, points.slice(0, 3, 4), 2);
        QCOMPARE(index[0][0].item<int64_t>(), int64_t(3));
        QCOMPARE(distance[0][0].item<float>(), 0.0f);
        QCOMPARE(index[0][1].item<int64_t>(), int64_t(7));
        QVERIFY(std::abs(distance[0][1].item<double>() - 0.04) < 1e-3); // 0.01 * sqrt(16)
    }

    void preservationIsOneForACopyAndLowForNoise() {
        auto gen = at::detail::createCPUGenerator(5);
        const torch::Tensor points = torch::randn({500, 2}, gen, torch::kFloat);
        QCOMPARE(neighbourPreservation(points, points * 3 + 1, 10), 1.0);
        const double noise =
            neighbourPreservation(points, torch::randn({500, 2}, gen, torch::kFloat), 10);
        QVERIFY2(noise < 0.1, qPrintable(QString::number(noise))); // chance: 10 / 499
    }

    // Over a sample of query items the measure is the whole one's estimate: exact for a copy,
    // close to the full mean for a layout that keeps some neighbours, and the same each time.
    void aSampledPreservationEstimatesTheWhole() {
        auto gen = at::detail::createCPUGenerator(6);
        const torch::Tensor points = torch::randn({3000, 4}, gen, torch::kFloat);
        QCOMPARE(neighbourPreservation(points, points * 2 - 1, 10, 300), 1.0);
        // Two of four dimensions: some neighbours kept (about 0.09), far from all.
        const torch::Tensor flat = points.slice(1, 0, 2).contiguous();
        const double whole = neighbourPreservation(points, flat, 10);
        const double sampled = neighbourPreservation(points, flat, 10, 600);
        QVERIFY2(whole > 0.05 && whole < 0.6, qPrintable(QString::number(whole)));
        QVERIFY2(std::abs(sampled - whole) < 0.03,
                 qPrintable(QString("%1 vs %2").arg(sampled).arg(whole)));
        QCOMPARE(neighbourPreservation(points, flat, 10, 600), sampled);
        // Duplicated points: each query still leaves itself out and keeps k neighbours.
        const torch::Tensor twice = torch::cat({points, points});
        QCOMPARE(neighbourPreservation(twice, twice, 5, 100), 1.0);
    }

    void principalAxisFollowsTheStretch() {
        auto gen = at::detail::createCPUGenerator(7);
        torch::Tensor z = torch::randn({2000, 4}, gen, torch::kFloat);
        z.select(1, 2).mul_(10); // most variance along dimension 2
        const auto [mean, axes] = principalAxes(z, 2);
        QCOMPARE(axes.sizes(), (std::vector<int64_t>{2, 4}));
        QVERIFY(std::abs(axes[0][2].item<double>()) > 0.99);
        QVERIFY(std::abs(axes[0].dot(axes[1]).item<double>()) < 1e-4);
    }

    void curveMatchesTheReferenceFit() {
        // UMAP's reference fit for min_dist 0.1, spread 1: a = 1.577, b = 0.8951.
        const auto [a, b] = UmapLayout::curveFor(0.1);
        QVERIFY2(std::abs(a - 1.577) < 0.05 && std::abs(b - 0.8951) < 0.02,
                 qPrintable(QString("a %1, b %2").arg(a).arg(b)));
    }

    void umapFindsClustersThatPcaHides() {
        // Five clusters that PCA's plane lays on one another (tests/support/layoutdata.h).
        const auto [points, labels] = hiddenClusters(5, 120, 11);
        UmapOptions options;
        options.epochs = 200;
        UmapLayout umap(options);
        umap.setCodes(points);
        QVERIFY(!umap.settled());
        // The start is PCA, which fails what the settled layout passes: there a point's nearest
        // neighbour is of its own cluster about as often as chance (1 in 5), and few of its 10
        // nearest codes are among its 10 nearest points.
        const double labelsAbove = 0.6, keptAbove = 0.45;
        const torch::Tensor start = umap.layout();
        const double startLabel = nearestSameLabel(start, labels);
        const double startKept = neighbourPreservation(points, start, 10);
        QVERIFY2(startLabel < labelsAbove && startKept < keptAbove,
                 qPrintable(QString("start: label %1, kept %2").arg(startLabel).arg(startKept)));
        QVERIFY(!umap.run(50)); // a few epochs at a time, as the window draws it
        QCOMPARE(umap.epochsDone(), 50);
        QVERIFY(umap.run(1000));
        const torch::Tensor layout = umap.layout();
        QCOMPARE(layout.sizes(), (std::vector<int64_t>{600, 2}));
        QVERIFY(torch::isfinite(layout).all().item<bool>());
        const double label = nearestSameLabel(layout, labels);
        const double kept = neighbourPreservation(points, layout, 10);
        QVERIFY2(label > labelsAbove && kept > keptAbove,
                 qPrintable(QString("layout: label %1, kept %2").arg(label).arg(kept)));
        // The same seed gives the same layout.
        UmapLayout again(options);
        again.setCodes(points);
        again.run(1000);
        QVERIFY(torch::equal(again.layout(), layout));
    }

    // Two threads share the neighbour search and each epoch's edges: the layout passes what
    // one thread's does (the thresholds above), and no point is left where PCA put it.
    void twoThreadsLayOutAsWell() {
        const auto [points, labels] = hiddenClusters(5, 120, 11);
        UmapOptions options;
        options.epochs = 200;
        options.threads = 2;
        UmapLayout umap(options);
        umap.setCodes(points);
        const torch::Tensor start = umap.layout();
        QVERIFY(umap.run(1000));
        const torch::Tensor layout = umap.layout();
        QVERIFY(torch::isfinite(layout).all().item<bool>());
        const double label = nearestSameLabel(layout, labels);
        const double kept = neighbourPreservation(points, layout, 10);
        QVERIFY2(label > 0.6 && kept > 0.45,
                 qPrintable(QString("layout: label %1, kept %2").arg(label).arg(kept)));
        const torch::Tensor moved = (layout - start).norm(2, 1);
        QVERIFY2(moved.min().item<double>() > 1e-3,
                 qPrintable(QString("least moved %1").arg(moved.min().item<double>())));
    }

    void umapKeepsTheNeighboursOfASwissRoll() {
        // PCA flattens the roll: its turns fall on one another, and a point's neighbours in the
        // flat picture are partly from other turns. UMAP unrolls it.
        const torch::Tensor roll = swissRoll(800, 19);
        UmapOptions options;
        options.epochs = 200;
        UmapLayout umap(options);
        umap.setCodes(roll);
        const double start = neighbourPreservation(roll, umap.layout(), 10);
        QVERIFY2(start < 0.6, qPrintable(QString("start: kept %1").arg(start)));
        QVERIFY(umap.run(1000));
        const double kept = neighbourPreservation(roll, umap.layout(), 10);
        QVERIFY2(kept > 0.6, qPrintable(QString("layout: kept %1").arg(kept)));
    }

    void warmStartMovesPointsLittle() {
        const auto [points, labels] = blobs(4, 60, 8, 13);
        UmapLayout umap;
        umap.setCodes(points);
        umap.run(10000);
        const torch::Tensor first = umap.layout();
        // Training moved the codes a little: the layout follows from where it was.
        auto gen = at::detail::createCPUGenerator(17);
        const torch::Tensor moved =
            points + 0.05 * torch::randn(points.sizes(), gen, torch::kFloat);
        umap.setCodes(moved, first);
        QVERIFY(umap.epochsTotal() < 500);
        umap.run(10000);
        const torch::Tensor second = umap.layout();
        const double shift = (second - first).norm(2, 1).mean().item<double>();
        const double size = (first - first.mean(0)).norm(2, 1).mean().item<double>();
        QVERIFY2(shift < 0.2 * size, qPrintable(QString("moved %1 of %2").arg(shift).arg(size)));
        QVERIFY(nearestSameLabel(second, labels) > 0.99);
    }

    void tooFewCodesIsAnError() {
        UmapLayout umap;
        QVERIFY_THROWS_EXCEPTION(Error, umap.setCodes(torch::zeros({2, 3})));
    }
};

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
