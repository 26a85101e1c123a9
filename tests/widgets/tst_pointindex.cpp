// PointIndex and the density picture against brute force: the nearest point, the points in a
// rectangle and in a lasso (QPolygonF's own odd-even test), and the binned counts, on clusters
// with far outliers and non-finite points mixed in.

#include "widgets/scatter/densityimage.h"
#include "widgets/scatter/pointindex.h"

#include <QtTest/QtTest>

#include <cmath>
#include <random>

using namespace latentlab;

namespace {

struct Cloud {
    QVector<double> x, y;
};

// Ten tight clusters, a few points far away, and some NaN and infinite codes.
Cloud cloud(int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal;
    Cloud c;
    for (int i = 0; i < n; ++i) {
        const int k = i % 10;
        c.x << 3 * std::cos(k) + 0.3 * normal(rng);
        c.y << 3 * std::sin(k) + 0.3 * normal(rng);
    }
    c.x[5] = 400;
    c.y[6] = -250;
    c.x[7] = std::nan("");
    c.y[8] = INFINITY;
    return c;
}

QPolygonF lasso(std::mt19937 &rng, int vertices) {
    std::uniform_real_distribution<double> u(0, 1);
    const QPointF centre(6 * u(rng) - 3, 6 * u(rng) - 3);
    QPolygonF p;
    for (int v = 0; v < vertices; ++v) {
        // A wobbly loop that sometimes crosses itself (the angle steps back now and then).
        const double angle = 2 * M_PI * (v + 1.5 * (u(rng) - 0.5)) / vertices;
        const double r = 0.5 + 3 * u(rng);
        p << centre + QPointF(r * std::cos(angle), r * std::sin(angle));
    }
    return p;
}

} // namespace

class TestPointIndex : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nearestIsTheBruteForceNearest() {
        const Cloud c = cloud(20000, 1);
        const PointIndex index(c.x, c.y);
        QCOMPARE(index.size(), 20000);
        std::mt19937 rng(2);
        std::uniform_real_distribution<double> u(-4.5, 4.5), scale(20, 300);
        int found = 0;
        for (int q = 0; q < 400; ++q) {
            const QPointF at(u(rng), u(rng));
            const double sx = scale(rng), sy = scale(rng), radius = 8;
            int best = -1;
            double bestD = radius * radius;
            for (int i = 0; i < c.x.size(); ++i) {
                const double dx = (c.x[i] - at.x()) * sx, dy = (c.y[i] - at.y()) * sy;
                const double d = dx * dx + dy * dy;
                if (std::isfinite(d) && d <= bestD) {
                    bestD = d;
                    best = i;
                }
            }
            QCOMPARE(index.nearest(at, sx, -sy, radius), best);
            found += best >= 0;
        }
        QVERIFY(found > 100); // the queries are not all in empty space
        // Outliers are found too, though the grid spans where most points are.
        QCOMPARE(index.nearest(QPointF(400, c.y[5]), 10, 10, 4), 5);
    }

    void nearestPassesOverSkippedItems() {
        const PointIndex index({0, 0.1, 5}, {0, 0, 0});
        std::vector<uint8_t> skip = {0, 1, 0};
        QCOMPARE(index.nearest(QPointF(0.09, 0), 100, 100, 50), 1);
        QCOMPARE(index.nearest(QPointF(0.09, 0), 100, 100, 50, &skip), 0);
    }

    void rectanglesHoldTheBruteForcePoints() {
        const Cloud c = cloud(30000, 3);
        const PointIndex index(c.x, c.y);
        QVERIFY(index.bounds().contains(QPointF(399, c.y[5])));
        std::mt19937 rng(4);
        std::uniform_real_distribution<double> u(-5, 5);
        for (int q = 0; q < 50; ++q) {
            const QRectF r = QRectF(QPointF(u(rng), u(rng)), QPointF(u(rng), u(rng))).normalized();
            QVector<int> expected;
            for (int i = 0; i < c.x.size(); ++i)
                if (c.x[i] >= r.left() && c.x[i] <= r.right() && c.y[i] >= r.top() &&
                    c.y[i] <= r.bottom())
                    expected << i;
            QCOMPARE(index.in(r), expected);
            QCOMPARE(index.countIn(r), int(expected.size()));
        }
        QCOMPARE(index.countIn(QRectF(-1e9, -1e9, 2e9, 2e9)), 30000 - 2); // all but NaN, inf
        QCOMPARE(index.countIn(QRectF(std::nan(""), 0, 1, 1)), 0);        // a view not laid out yet
    }

    void aLassoHoldsExactlyThePointsInsideIt() {
        const Cloud c = cloud(30000, 5);
        const PointIndex index(c.x, c.y);
        std::mt19937 rng(6);
        int total = 0;
        for (int q = 0; q < 40; ++q) {
            const QPolygonF polygon = lasso(rng, 5 + q * 7);
            QVector<int> expected;
            for (int i = 0; i < c.x.size(); ++i)
                if (std::isfinite(c.x[i]) && std::isfinite(c.y[i]) &&
                    polygon.containsPoint(QPointF(c.x[i], c.y[i]), Qt::OddEvenFill))
                    expected << i;
            QCOMPARE(index.in(polygon), expected);
            total += expected.size();
        }
        QVERIFY(total > 10000); // the lassos caught many points, not none
        QVERIFY(index.in(QPolygonF({QPointF(0, 0), QPointF(1, 1)})).isEmpty()); // no area
    }

    void theDensityCountsAreTheBinnedPoints() {
        const Cloud c = cloud(50000, 7);
        const PointIndex index(c.x, c.y);
        std::vector<QRgb> colours(c.x.size(), qRgb(200, 0, 0));
        for (int i = 0; i < int(colours.size()); ++i)
            if ((i / 10) % 2 == 0) // half of each cluster
                colours[i] = qRgb(0, 0, 200);
        colours[11] = qRgba(0, 0, 0, 0); // left out
        const QRectF view(QPointF(-3.3, -2.1), QPointF(3.9, 3.4));
        const QSize pixels(173, 91);
        std::vector<QRgb> inOrder;
        for (int i : index.order())
            inOrder.push_back(colours[i]);
        const DensityBins bins = binPoints(index, inOrder, view, pixels);
        std::vector<uint32_t> expected(173 * 91, 0);
        for (int i = 0; i < c.x.size(); ++i) {
            if (i == 11 || !std::isfinite(c.x[i]) || !view.contains(c.x[i], c.y[i]))
                continue;
            const int col = std::min(172, int((c.x[i] - view.left()) / view.width() * 173));
            const int row = std::min(90, int((view.bottom() - c.y[i]) / view.height() * 91));
            ++expected[row * 173 + col];
        }
        QVERIFY(bins.counts == expected);
        QVERIFY(bins.total() > 10000);

        // A pixel's colour is its points' mean; empty pixels stay transparent; one point shows.
        const QImage image = shadeBins(bins).convertToFormat(QImage::Format_ARGB32);
        QCOMPARE(image.size(), pixels);
        int mixed = 0;
        for (int p = 0; p < int(expected.size()); ++p) {
            const QColor colour = QColor::fromRgba(image.pixel(p % 173, p / 173));
            if (expected[p] == 0) {
                QCOMPARE(colour.alpha(), 0);
                continue;
            }
            QVERIFY(colour.alpha() >= 139);
            const double red = bins.rgb[3 * p] / expected[p],
                         blue = bins.rgb[3 * p + 2] / expected[p];
            QVERIFY(std::abs(colour.red() - red) <= 3 && std::abs(colour.blue() - blue) <= 3);
            mixed += colour.red() > 20 && colour.blue() > 20;
        }
        QVERIFY(mixed > 0); // pixels holding both colours show a mix
    }
};

QTEST_APPLESS_MAIN(TestPointIndex)
#include "tst_pointindex.moc"
