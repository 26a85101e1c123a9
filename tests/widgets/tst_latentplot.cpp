// LatentPlot: points are grouped by label into coloured graphs, with a legend entry per class
// that has points, and the density map covers the range it is given.

#include "widgets/latentplot.h"
#include "widgets/palette.h"

#include <QtTest/QtTest>

using namespace latentlab;

class TestLatentPlot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pointsAreGroupedByLabel() {
        LatentPlot plot;
        const QVector<double> x = {0, 1, 2, 3, 4, 5};
        const QVector<double> y = {5, 4, 3, 2, 1, 0};
        const QVector<int> labels = {0, 2, 2, -1, 0, 2};
        plot.setPoints(x, y, labels, {"zero", "one", "two"});
        QCOMPARE(plot.pointCount(), 6);
        QCOMPARE(plot.graphCount(), 4); // three classes and "unlabelled"
        QCOMPARE(plot.graph(0)->data()->size(), 2);
        QCOMPARE(plot.graph(1)->data()->size(), 0);
        QCOMPARE(plot.graph(2)->data()->size(), 3);
        QCOMPARE(plot.graph(3)->data()->size(), 1);
        QCOMPARE(plot.graph(2)->scatterStyle().brush().color(), labelColor(2));
        QCOMPARE(plot.graph(2)->name(), QString("two"));
        // Classes without points stay out of the legend.
        QVERIFY(plot.legend->hasItemWithPlottable(plot.graph(0)));
        QVERIFY(!plot.legend->hasItemWithPlottable(plot.graph(1)));

        // Fewer classes later: the extra graphs go away.
        plot.setPoints({1}, {1}, {0}, {"only"});
        QCOMPARE(plot.graphCount(), 2);
    }

    void densityAndFitCoverPointsAndPrior() {
        LatentPlot plot;
        plot.resize(400, 300);
        plot.setPoints({-1, 1}, {-1, 1}, {0, 0}, {"a"});
        QVector<double> density(20 * 10, 0.0);
        density[5 * 20 + 10] = 2.0;
        plot.setDensity(20, 10, QCPRange(-4, 4), QCPRange(-3, 3), density);
        plot.fitAll();
        QVERIFY(plot.xAxis->range().lower <= -4 && plot.xAxis->range().upper >= 4);
        QVERIFY(plot.yAxis->range().lower <= -3 && plot.yAxis->range().upper >= 3);
        const QPixmap picture = plot.toPixmap(400, 300);
        QVERIFY(!picture.isNull());
    }
};

QTEST_MAIN(TestLatentPlot)
#include "tst_latentplot.moc"
