// LatentPlot: points are grouped by label into coloured graphs, with a legend entry per class
// that has points, and the density map covers the range it is given.

#include "widgets/palette.h"
#include "widgets/scatter/latentplot.h"

#include <QSignalSpy>
#include <QtTest/QtTest>

#include <random>

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
        QCOMPARE(plot.classGraphCount(), 4); // three classes and "unlabelled"
        QCOMPARE(plot.classGraph(0)->data()->size(), 2);
        QCOMPARE(plot.classGraph(1)->data()->size(), 0);
        QCOMPARE(plot.classGraph(2)->data()->size(), 3);
        QCOMPARE(plot.classGraph(3)->data()->size(), 1);
        const QImage sprite = plot.classGraph(2)->scatterStyle().pixmap().toImage();
        QCOMPARE(sprite.pixelColor(sprite.width() / 2, sprite.height() / 2), labelColor(2));
        QCOMPARE(plot.classGraph(2)->name(), QString("two"));
        // Classes without points stay out of the legend.
        QVERIFY(plot.legend->hasItemWithPlottable(plot.classGraph(0)));
        QVERIFY(!plot.legend->hasItemWithPlottable(plot.classGraph(1)));

        // Fewer classes later: the extra graphs go away.
        const int before = plot.graphCount();
        plot.setPoints({1}, {1}, {0}, {"only"});
        QCOMPARE(plot.classGraphCount(), 2);
        QCOMPARE(plot.graphCount(), before - 2);
    }

    void densityAndFitCoverPointsAndPrior() {
        LatentPlot plot;
        plot.resize(400, 300);
        plot.setPoints({-1, 1}, {-1, 1}, {0, 0}, {"a"});
        QVector<double> density(20 * 10, 0.0);
        density[5 * 20 + 10] = 2.0;
        plot.setDensity(20, 10, QCPRange(-8, 8), QCPRange(-6, 6), density);
        // Without a prior extent the fit is the points' (the density grid is generous).
        plot.fitAll();
        QVERIFY(plot.xAxis->range().lower < -1 && plot.xAxis->range().lower > -2);
        // With one, both the points and where the prior has its mass stay in view.
        plot.setPriorExtent(QRectF(QPointF(-4, -3), QPointF(4, 3)));
        plot.fitAll();
        QVERIFY(plot.xAxis->range().lower <= -4 && plot.xAxis->range().upper >= 4);
        QVERIFY(plot.yAxis->range().lower <= -3 && plot.yAxis->range().upper >= 3);
        QVERIFY(plot.xAxis->range().upper < 8);
        const QPixmap picture = plot.toPixmap(400, 300);
        QVERIFY(!picture.isNull());
    }

    void hoverClickAndDragWithTheMouse() {
        LatentPlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setPoints({-2, 0, 2}, {-1, 0, 1}, {0, 1, 2}, {"a", "b", "c"});
        plot.xAxis->setRange(-3, 3);
        plot.yAxis->setRange(-3, 3);
        plot.replot();
        auto pixelOf = [&](double x, double y) {
            return QPoint(int(plot.xAxis->coordToPixel(x)), int(plot.yAxis->coordToPixel(y)));
        };

        QSignalSpy hovered(&plot, &LatentPlot::pointHovered);
        QTest::mouseMove(&plot, pixelOf(2, 1) + QPoint(2, 1));
        QVERIFY(hovered.count() >= 1);
        QCOMPARE(hovered.last().at(0).toInt(), 2);
        QTest::mouseMove(&plot, pixelOf(-1, 2)); // empty space
        QCOMPARE(hovered.last().at(0).toInt(), -1);

        QSignalSpy clicked(&plot, &LatentPlot::pointClicked);
        QTest::mouseClick(&plot, Qt::LeftButton, Qt::ShiftModifier, pixelOf(-2, -1));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().at(0).toInt(), 0);
        QCOMPARE(clicked.first().at(1).value<Qt::KeyboardModifiers>(), Qt::ShiftModifier);

        // Dragging end B moves it, not the view.
        plot.setEnds(QPointF(-2, -1), QPointF(2, 1));
        plot.replot();
        QSignalSpy moved(&plot, &LatentPlot::endMoved);
        const QCPRange before = plot.xAxis->range();
        QTest::mousePress(&plot, Qt::LeftButton, {}, pixelOf(2, 1));
        QMouseEvent drag(QEvent::MouseMove, pixelOf(1, -2), plot.mapToGlobal(pixelOf(1, -2)),
                         Qt::NoButton, Qt::LeftButton, {});
        QApplication::sendEvent(&plot, &drag);
        QTest::mouseRelease(&plot, Qt::LeftButton, {}, pixelOf(1, -2));
        QVERIFY(moved.count() >= 1);
        QCOMPARE(moved.last().at(0).toInt(), 1);
        const QPointF to = moved.last().at(1).toPointF();
        QVERIFY2(std::abs(to.x() - 1) < 0.05 && std::abs(to.y() + 2) < 0.05,
                 qPrintable(QString("%1 %2").arg(to.x()).arg(to.y())));
        QCOMPARE(plot.xAxis->range(), before);
        QVERIFY(plot.followsData());
    }

    // What hover reports (the Inspector) and what a click picks are one item, also when the
    // points move under a resting mouse: the dock beside the plot widened and the scatter
    // narrowed (issue 32: hover showed item 620, the click picked 4243).
    void hoverAndClickAgreeUnderAMovedView() {
        LatentPlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        // A row of points 0.1 apart: a few pixels each.
        QVector<double> x, y;
        QVector<int> labels;
        for (int i = 0; i < 60; ++i) {
            x << 0.1 * i;
            y << 0;
            labels << i % 10;
        }
        plot.setPoints(x, y, labels, {});
        plot.xAxis->setRange(-1, 7);
        plot.yAxis->setRange(-1, 1);
        plot.replot();
        const QPoint at(int(plot.xAxis->coordToPixel(3.0)), int(plot.yAxis->coordToPixel(0)));
        QSignalSpy hovered(&plot, &LatentPlot::pointHovered);
        QTest::mouseMove(&plot, at);
        QVERIFY(!hovered.isEmpty());
        QCOMPARE(hovered.last().at(0).toInt(), 30);

        plot.resize(420, 400); // the window gave the dock beside it more room
        QTRY_COMPARE(plot.width(), 420);
        plot.replot();
        QSignalSpy clicked(&plot, &LatentPlot::pointClicked);
        QTest::mouseClick(&plot, Qt::LeftButton, {}, at);
        QCOMPARE(clicked.count(), 1);
        const int picked = clicked.first().at(0).toInt();
        QVERIFY(picked != 30); // the view did move under the mouse
        QCOMPARE(hovered.last().at(0).toInt(), picked);
    }

    // The legend goes to the corner over the fewest points (issue 32: it covered the ones'
    // cluster under UMAP), and there is no empty legend before any points come.
    void theLegendKeepsOutOfTheDataWay() {
        LatentPlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QVERIFY(!plot.legend->visible());
        // A dense cluster where the legend starts (top right) and a sparse one bottom left.
        QVector<double> x, y;
        QVector<int> labels;
        for (int i = 0; i < 400; ++i) {
            x << 0.75 + 0.25 * (i % 20) / 19.0;
            y << 0.75 + 0.25 * (i / 20) / 19.0;
            labels << i % 3;
        }
        for (double v : {0.0, 0.05, 0.1}) {
            x << v;
            y << v;
            labels << 0;
        }
        plot.setPoints(x, y, labels, {"a", "b", "c"});
        QVERIFY(plot.legend->visible());
        plot.fitAll();
        plot.replot();
        plot.replot(); // the legend's size is known after a first layout
        QCOMPARE(plot.legendCorner(), Qt::AlignTop | Qt::AlignLeft);
        const QRect box = plot.legend->outerRect();
        int covered = 0;
        for (int i = 0; i < x.size(); ++i)
            covered += box.contains(
                QPoint(int(plot.xAxis->coordToPixel(x[i])), int(plot.yAxis->coordToPixel(y[i]))));
        QCOMPARE(covered, 0);
    }

    // Above the point budget the scatter is a density picture, every point in it and the
    // classes still in the legend; zoomed in under the budget, the points are drawn again,
    // every one in view among them.
    void manyPointsBecomeAPictureAndZoomingBringsThemBack() {
        LatentPlot plot;
        plot.resize(600, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setPointBudget(5000);
        QVector<double> x, y;
        QVector<int> labels;
        std::mt19937 rng(3);
        std::normal_distribution<double> normal;
        for (int i = 0; i < 40000; ++i) {
            x << 3 * std::cos(i % 4) + normal(rng);
            y << 3 * std::sin(i % 4) + normal(rng);
            labels << i % 4;
        }
        plot.setPoints(x, y, labels, {"a", "b", "c", "d"});
        plot.fitAll();
        plot.replot();
        QVERIFY(plot.drawsDensity());
        QTRY_VERIFY(plot.classGraph(0)->dataCount() == 0); // once the crossfade is over
        QVERIFY(plot.legend->hasItemWithPlottable(plot.classGraph(3)));
        const QImage picture = plot.densityPicture();
        QCOMPARE(picture.size(), plot.axisRect()->size());
        int painted = 0;
        for (int r = 0; r < picture.height(); ++r)
            for (int c = 0; c < picture.width(); ++c)
                painted += qAlpha(picture.pixel(c, r)) > 0;
        QVERIFY2(painted > 5000, qPrintable(QString::number(painted)));

        plot.xAxis->setRange(2.5, 3.5);
        plot.yAxis->setRange(-0.5, 0.5);
        plot.replot();
        QVERIFY(!plot.drawsDensity());
        QSet<QPair<double, double>> drawn;
        for (int g = 0; g < plot.classGraphCount(); ++g)
            for (auto it = plot.classGraph(g)->data()->begin();
                 it != plot.classGraph(g)->data()->end(); ++it)
                drawn.insert({it->key, it->value});
        int inView = 0;
        for (int i = 0; i < x.size(); ++i)
            if (x[i] >= 2.5 && x[i] <= 3.5 && y[i] >= -0.5 && y[i] <= 0.5) {
                ++inView;
                QVERIFY(drawn.contains({x[i], y[i]}));
            }
        QVERIFY(inView > 100);
        QVERIFY(drawn.size() < x.size()); // only those near the view
        // Hover finds points through the index at any level.
        const QPointF at(plot.xAxis->coordToPixel(x[0]), plot.yAxis->coordToPixel(y[0]));
        QCOMPARE(plot.pointAt(plot.nearestPoint(at, 0.5)), QPointF(x[0], y[0]));
    }

    // A lasso selects exactly the points inside it; Shift adds, Alt removes; unselected points
    // are drawn grey (or not at all); the selection is of items, so it outlives new codes.
    void aLassoSelectsThePointsInsideIt() {
        LatentPlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QVector<double> x, y;
        QVector<int> labels;
        for (int i = 0; i < 400; ++i) {
            x << (i % 20) / 19.0 * 4 - 2;
            y << (i / 20) / 19.0 * 4 - 2;
            labels << i % 2;
        }
        plot.setPoints(x, y, labels, {"even", "odd"});
        plot.xAxis->setRange(-3, 3);
        plot.yAxis->setRange(-3, 3);
        plot.replot();
        auto pixel = [&](double px, double py) {
            return QPointF(plot.xAxis->coordToPixel(px), plot.yAxis->coordToPixel(py));
        };
        const QPolygonF triangle({QPointF(-2.1, -2.1), QPointF(1.3, -1.7), QPointF(-1.5, 1.9)});
        QPolygonF pixels;
        for (const QPointF &p : triangle)
            pixels << pixel(p.x(), p.y());
        QVector<int> inside;
        for (int i = 0; i < x.size(); ++i)
            if (QPolygonF(pixels).containsPoint(pixel(x[i], y[i]), Qt::OddEvenFill))
                inside << i;
        QVERIFY(inside.size() > 50);

        QSignalSpy changed(&plot, &LatentPlot::selectionChanged);
        plot.setTool(LatentPlot::Tool::Lasso);
        QTest::mousePress(&plot, Qt::LeftButton, {}, pixels[0].toPoint());
        for (int k = 1; k <= 3; ++k) {
            const QPointF p = pixels[k % 3];
            QMouseEvent move(QEvent::MouseMove, p, plot.mapToGlobal(p), Qt::NoButton,
                             Qt::LeftButton, {});
            QApplication::sendEvent(&plot, &move);
        }
        QTest::mouseRelease(&plot, Qt::LeftButton, {}, pixels[0].toPoint());
        QCOMPARE(changed.count(), 1);
        // The mouse's whole pixels move the corners a little: compare with the polygon drawn.
        QVector<int> drawnInside;
        QPolygonF drawn({pixels[0].toPoint(), pixels[1], pixels[2], pixels[0].toPoint()});
        for (int i = 0; i < x.size(); ++i)
            if (drawn.containsPoint(pixel(x[i], y[i]), Qt::OddEvenFill))
                drawnInside << i;
        QCOMPARE(plot.selected(), drawnInside);
        QVERIFY(std::abs(drawnInside.size() - inside.size()) <= 4);

        // Unselected points are grey, and only those.
        int coloured = 0;
        for (int g = 0; g < plot.classGraphCount(); ++g)
            coloured += plot.classGraph(g)->dataCount();
        QCOMPARE(coloured, int(drawnInside.size()));
        plot.setShowOnlySelected(true);
        plot.replot();
        QCOMPARE(plot.graph(0)->dataCount() + coloured, int(drawnInside.size()));
        plot.setShowOnlySelected(false);

        // Alt takes a rectangle away; Shift adds one; the legend selects a class.
        plot.selectUnder({pixel(-2.5, -2.5), pixel(0, 0)}, Qt::AltModifier);
        for (int i : plot.selected())
            QVERIFY(!(x[i] <= 0 && y[i] <= 0));
        plot.selectUnder({pixel(1.5, 1.5), pixel(2.5, 2.5)}, Qt::ShiftModifier);
        QVERIFY(plot.selected().contains(399));
        const int before = plot.selectedCount();
        QVector<double> moved = x;
        for (double &v : moved)
            v += 10;
        plot.setPoints(moved, y, labels, {"even", "odd"}); // a new snapshot
        QCOMPARE(plot.selectedCount(), before);
        plot.invertSelection();
        QCOMPARE(plot.selectedCount(), 400 - before);
        plot.selectLabel(1);
        QCOMPARE(plot.selectedCount(), 200);
        for (int i : plot.selected())
            QCOMPARE(labels[i], 1);
    }

    // Above the point budget the window indexes and colours its points on a worker thread
    // (buildFrame) and the plot shows the frame; one coloured for a selection since edited is
    // coloured again: the selected outer ring (every seventh item, radius 7) in its label's
    // orange, the inner rings grey.
    void aFrameBuiltElsewhereIsShownInTheSelectionsColours() {
        LatentPlot plot;
        plot.resize(400, 300);
        plot.setPointBudget(1000);
        QVector<double> x, y;
        for (int i = 0; i < 30000; ++i) {
            x << std::cos(i * 0.37) * (1 + i % 7);
            y << std::sin(i * 0.37) * (1 + i % 7);
        }
        const QVector<int> labels(x.size(), 1);
        plot.setPoints(x, y, labels, {"a", "b"});
        ScatterFrame frame = buildFrame(x, y, labels, 2, plot.colouring());
        QVector<int> outer;
        for (int i = 6; i < x.size(); i += 7)
            outer << i;
        plot.setSelected(outer); // while the frame is "built"
        plot.showFrame(std::move(frame), {"a", "b"});
        QCOMPARE(plot.pointCount(), x.size());
        QCOMPARE(plot.pointAt(123), QPointF(x[123], y[123]));
        QCOMPARE(plot.selectedCount(), outer.size());
        QVERIFY(plot.legend->hasItemWithPlottable(plot.classGraph(1)));
        QVERIFY(!plot.legend->hasItemWithPlottable(plot.classGraph(0)));
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.xAxis->setRange(-8, 8);
        plot.yAxis->setRange(-8, 8);
        plot.replot();
        QVERIFY(plot.drawsDensity());
        const QImage picture = plot.densityPicture();
        auto pixelOf = [&](int i) { // the most opaque pixel around the item
            const QPoint at(int(plot.xAxis->coordToPixel(x[i])) - plot.axisRect()->left(),
                            int(plot.yAxis->coordToPixel(y[i])) - plot.axisRect()->top());
            QColor best(0, 0, 0, 0);
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    if (const QColor c = picture.pixelColor(at + QPoint(dx, dy));
                        c.alpha() > best.alpha())
                        best = c;
            return best; // (pixelColor() undoes the premultiplication)
        };
        const QColor chosen = pixelOf(6), grey = pixelOf(0);
        QVERIFY2(chosen.red() > chosen.blue() + 60, qPrintable(chosen.name()));
        QVERIFY2(std::abs(grey.red() - grey.blue()) < 20, qPrintable(grey.name()));
    }

    void nearestPointNeedsToBeNear() {
        LatentPlot plot;
        plot.resize(300, 300);
        plot.setPoints({0}, {0}, {0}, {"a"});
        plot.xAxis->setRange(-1, 1);
        plot.yAxis->setRange(-1, 1);
        plot.replot();
        const QPointF centre(plot.xAxis->coordToPixel(0), plot.yAxis->coordToPixel(0));
        QCOMPARE(plot.nearestPoint(centre + QPointF(3, 3)), 0);
        QCOMPARE(plot.nearestPoint(centre + QPointF(30, 0)), -1);
    }
};

QTEST_MAIN(TestLatentPlot)
#include "tst_latentplot.moc"
