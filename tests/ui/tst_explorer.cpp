// The explorer end to end with real widgets: a session trains in its thread, the scatter fills
// from snapshots, clicking two points picks the interpolation ends, and moving the slider with
// the keyboard decodes new pictures into the preview.

#include "model/data/lines.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "ui/explorer.h"
#include "ui/imageconvert.h"
#include "ui/interpolationcontroller.h"
#include "widgets/imagepairview.h"
#include "widgets/interpolationpanel.h"
#include "widgets/latentplot.h"
#include "widgets/lossplot.h"

#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace latentlab;

class TestExplorer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void trainPickEndsAndDrag() {
        LatentPlot plot;
        LossPlot losses;
        ImagePairView inspector;
        InterpolationPanel panel;
        plot.resize(600, 500);
        plot.show();
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        Explorer explorer({&plot, &losses, &inspector, &panel});

        ModelConfig c;
        c.kind = ModelKind::Aae;
        c.prior = "mixture10";
        c.labelConditioned = true;
        c.hidden = c.discHidden = 48;
        c.batch = 32;
        c.height = c.width = 32;
        c.device = "cpu";
        auto trainer = std::make_unique<Trainer>(c);
        trainer->setData(makeLinesDataset(400, 1));
        explorer.start(std::move(trainer), 300);
        QCOMPARE(plot.pointCount(), 300);

        QSignalSpy status(&explorer, &Explorer::statusChanged);
        explorer.togglePlay();
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty() && status.last().at(0).toLongLong() > 400,
                                 120000);
        explorer.togglePlay(); // pause; the views keep the last snapshot
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty() && !status.last().at(2).toBool(), 5000);
        QTest::qWait(200);
        QVERIFY(losses.pointCount() > 40);

        // Click two items on the scatter: they become A and B.
        explorer.fitView();
        plot.replot();
        auto pixelOf = [&](int index) {
            const QPointF p = plot.pointAt(index);
            return QPoint(int(plot.xAxis->coordToPixel(p.x())),
                          int(plot.yAxis->coordToPixel(p.y())));
        };
        // Click item 0 and the item farthest from it; several items may share a pixel, so
        // the Inspector's caption says which item each click chose.
        int far = 0;
        for (int i = 1; i < plot.pointCount(); ++i)
            if ((pixelOf(i) - pixelOf(0)).manhattanLength() >
                (pixelOf(far) - pixelOf(0)).manhattanLength())
                far = i;
        QVERIFY((pixelOf(far) - pixelOf(0)).manhattanLength() > 30);
        auto chosenItem = [&] {
            return inspector.caption().section(QLatin1Char(','), 0, 0).mid(5).toInt();
        };
        // The pictures decode on threads of their own: wait until they are shown.
        QTest::mouseClick(&plot, Qt::LeftButton, {}, pixelOf(0));
        QTRY_VERIFY(!explorer.decoding());
        QVERIFY(inspector.caption().startsWith(QStringLiteral("item ")));
        const int a = chosenItem();
        QTest::mouseClick(&plot, Qt::LeftButton, {}, pixelOf(far));
        QTRY_VERIFY(!explorer.decoding());
        const int b = chosenItem();
        QVERIFY(a != b);
        QVERIFY(explorer.interpolation()->hasBothEnds());
        QVERIFY(!panel.stripImage().isNull());

        // The slider moved by keys decodes into the preview: t = 0 is item A's code decoded.
        auto *slider = panel.findChild<QSlider *>(QStringLiteral("interpolationSlider"));
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_Home);
        QTRY_VERIFY(!explorer.decoding());
        const QImage atA = panel.previewImage();
        QVERIFY(!atA.isNull());
        const auto snapshot = explorer.session()->latest();
        const QImage expectedA = toQImage(snapshot->model->decode(
            snapshot->codes.slice(0, a, a + 1),
            torch::tensor({explorer.session()->data().labels[a].item<int64_t>()}))[0]);
        QCOMPARE(atA, expectedA);
        QTest::keyClick(slider, Qt::Key_End);
        QTRY_VERIFY(!explorer.decoding());
        const QImage atB = panel.previewImage();
        QVERIFY(atB != atA);

        // Dragging B in the plot changes the picture at t = 1 without re-encoding anything.
        const QPoint from = pixelOf(b);
        const QPoint to = from + QPoint(40, -30);
        QTest::mousePress(&plot, Qt::LeftButton, {}, from);
        QMouseEvent drag(QEvent::MouseMove, to, plot.mapToGlobal(to), Qt::NoButton, Qt::LeftButton,
                         {});
        QApplication::sendEvent(&plot, &drag);
        QTest::mouseRelease(&plot, Qt::LeftButton, {}, to);
        QTRY_VERIFY(!explorer.decoding());
        QVERIFY(panel.previewImage() != atB);

        // The manifold map tiles decoded images over the view; the probe decodes empty space.
        explorer.setManifoldVisible(true); // decoded on a pool thread, shown when done
        QTRY_VERIFY(plot.tilesVisible());
        explorer.setManifoldVisible(false);
        QVERIFY(!plot.tilesVisible());
        explorer.setProbeMode(true);
        const QPoint corner(int(plot.xAxis->coordToPixel(plot.xAxis->range().lower)) + 5,
                            int(plot.yAxis->coordToPixel(plot.yAxis->range().upper)) + 5);
        QTest::mouseClick(&plot, Qt::LeftButton, {}, corner);
        QTRY_VERIFY(!explorer.decoding());
        QVERIFY2(inspector.caption().startsWith(QStringLiteral("probe at")),
                 qPrintable(inspector.caption()));

        // Another model on the same two items: a checkpoint of this very model gives the same
        // strip; a model for other image sizes is refused in words.
        QTemporaryDir dir;
        QSignalSpy saved(&explorer, &Explorer::saved);
        explorer.save(dir.filePath("same.pt"));
        QVERIFY(saved.wait(10000));
        QTest::keyClick(slider, Qt::Key_Home);
        explorer.interpolation()->pickItem(a);
        explorer.interpolation()->pickItem(b);
        explorer.interpolation()->addComparison(dir.filePath("same.pt"));
        QCOMPARE(explorer.interpolation()->comparisonCount(), 1);
        QTRY_VERIFY(!explorer.decoding());
        const QImage mine = panel.stripImage();
        const QImage theirs = explorer.interpolation()->comparisonStrip(0);
        QCOMPARE(theirs.size(), mine.size());
        int worst = 0;
        for (int y = 0; y < mine.height(); ++y)
            for (int x = 0; x < mine.width(); ++x)
                worst =
                    std::max(worst, std::abs(qGray(mine.pixel(x, y)) - qGray(theirs.pixel(x, y))));
        QVERIFY2(worst <= 2, qPrintable(QString("pixels differ by up to %1").arg(worst)));
        ModelConfig other = c;
        other.height = other.width = 28;
        saveCheckpoint(Trainer(other), dir.filePath("other.pt").toStdString());
        QVERIFY_THROWS_EXCEPTION(Error,
                                 explorer.interpolation()->addComparison(dir.filePath("other.pt")));
        QCOMPARE(explorer.interpolation()->comparisonCount(), 1);

        // An image file as an end: it is encoded and interpolated like an item.
        const QImage line = toQImage(renderLine(1.0));
        explorer.interpolation()->setEndFromImage(line.scaled(64, 64), QStringLiteral("line.png"));
        QVERIFY(explorer.interpolation()->hasBothEnds());
        QCOMPARE(explorer.interpolation()->decodePath(5).size(0), int64_t(5));

        QVERIFY(explorer.stop().isEmpty());
        QVERIFY(!explorer.session());
    }
};

QTEST_MAIN(TestExplorer)
#include "tst_explorer.moc"
