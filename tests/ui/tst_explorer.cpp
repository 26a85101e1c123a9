// The explorer end to end with real widgets: a session trains in its thread, the scatter fills
// from snapshots, clicking two points picks the interpolation ends, and moving the slider with
// the keyboard decodes new pictures into the preview.

#include "model/data/lines.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "ui/explorer/directionscontroller.h"
#include "ui/explorer/explorer.h"
#include "ui/explorer/inspectorcontroller.h"
#include "ui/explorer/manifoldcontroller.h"
#include "ui/session/sessionhost.h"
#include "ui/threads/backgroundtasks.h"
#include "ui/explorer/interpolationcontroller.h"
#include "ui/figures/imageconvert.h"
#include "widgets/directionspanel.h"
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

        QSignalSpy status(explorer.host(), &SessionHost::statusChanged);
        explorer.host()->togglePlay();
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty() && status.last().at(0).toLongLong() > 400,
                                 120000);
        explorer.host()->togglePlay(); // pause; the views keep the last snapshot
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty() && !status.last().at(2).toBool(), 5000);
        // The status says "paused" at once; a step begun before the pause may still run. Its
        // settled snapshot, the last, is the one the ends below are picked from.
        QTRY_VERIFY_WITH_TIMEOUT(explorer.session()->latest()->settled &&
                                     explorer.shownSnapshot() == explorer.session()->latest(),
                                 30000);
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
        // At t = 0 the frame is item A's code: its nearest training item is A, at distance 0.
        QVERIFY2(panel.nearestText().startsWith(
                     QStringLiteral("Nearest training item #%1 at 0 ").arg(a)),
                 qPrintable(panel.nearestText()));
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
        explorer.manifold()->setVisible(true); // decoded on a pool thread, shown when done
        QTRY_VERIFY(plot.tilesVisible());
        explorer.manifold()->setVisible(false);
        QVERIFY(!plot.tilesVisible());
        explorer.inspector()->setProbeMode(true);
        const QPoint corner(int(plot.xAxis->coordToPixel(plot.xAxis->range().lower)) + 5,
                            int(plot.yAxis->coordToPixel(plot.yAxis->range().upper)) + 5);
        QTest::mouseClick(&plot, Qt::LeftButton, {}, corner);
        QTRY_VERIFY(!explorer.decoding());
        QVERIFY2(inspector.caption().startsWith(QStringLiteral("probe at")),
                 qPrintable(inspector.caption()));

        // Another model on the same two items: a checkpoint of this very model gives the same
        // strip; a model for other image sizes is refused in words.
        QTemporaryDir dir;
        QSignalSpy saved(explorer.host(), &SessionHost::saved);
        explorer.host()->save(dir.filePath("same.pt"));
        QVERIFY(saved.wait(10000));
        QTest::keyClick(slider, Qt::Key_Home);
        explorer.interpolation()->pickItem(a);
        explorer.interpolation()->pickItem(b);
        explorer.interpolation()->addComparison(dir.filePath("same.pt"));
        QCOMPARE(explorer.interpolation()->comparisonCount(), 0); // read in the background
        QTRY_VERIFY(!explorer.decoding());
        QCOMPARE(explorer.interpolation()->comparisonCount(), 1);
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
        QSignalSpy failed(&explorer, &Explorer::failed);
        explorer.interpolation()->addComparison(dir.filePath("other.pt"));
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("1x28x28")),
                 qPrintable(failed.first().at(0).toString()));
        QCOMPARE(explorer.interpolation()->comparisonCount(), 1);

        // An image file as an end: it is encoded and interpolated like an item.
        const QImage line = toQImage(renderLine(1.0));
        explorer.interpolation()->setEndFromImage(line.scaled(64, 64), QStringLiteral("line.png"));
        QVERIFY(!panel.endsText().contains(QStringLiteral("line.png"))); // encoded in the background
        QTRY_VERIFY(panel.endsText().contains(QStringLiteral("A: line.png")));
        QVERIFY(explorer.interpolation()->hasBothEnds());

        // The animation is decoded and written in the background: an MP4, or where OpenCV
        // has no encoder, numbered PNGs beside where it was asked for.
        QSignalSpy said(&explorer, &Explorer::message);
        explorer.interpolation()->exportAnimation(dir.filePath("path.mp4"));
        QVERIFY(explorer.tasks()->busy());
        QTRY_VERIFY_WITH_TIMEOUT(!explorer.tasks()->busy(), 20000);
        QVERIFY(QFileInfo(dir.filePath("path.mp4")).size() > 0 ||
                QDir(dir.filePath("path_frames")).entryList(QDir::Files).size() == 60);
        QVERIFY(!said.isEmpty());
        QCOMPARE(explorer.interpolation()->decodePath(5).size(0), int64_t(5));

        QVERIFY(explorer.host()->stop().isEmpty());
        QVERIFY(!explorer.session());
    }

    // The Inspector follows training: the item it shows is shown again from each newer
    // snapshot (issue 32: it kept the item's old code while training ran).
    void theInspectorFollowsTraining() {
        LatentPlot plot;
        LossPlot losses;
        ImagePairView inspector;
        InterpolationPanel panel;
        Explorer explorer({&plot, &losses, &inspector, &panel});
        ModelConfig c;
        c.kind = ModelKind::Autoencoder;
        c.hidden = 32;
        c.batch = 32;
        c.lrRecon = 0.01;
        c.height = c.width = 32;
        c.device = "cpu";
        auto trainer = std::make_unique<Trainer>(c);
        trainer->setData(makeLinesDataset(200, 3));
        explorer.start(std::move(trainer), 200);
        Q_EMIT plot.pointHovered(5);
        QTRY_VERIFY(!explorer.decoding());
        const QString before = inspector.caption();
        QVERIFY2(before.startsWith(QLatin1String("item 5,")), qPrintable(before));

        explorer.session()->requestSteps(30);
        QTRY_VERIFY_WITH_TIMEOUT(explorer.shownSnapshot() && explorer.shownSnapshot()->step == 30 &&
                                     explorer.shownSnapshot()->settled,
                                 60000);
        QTRY_VERIFY(!explorer.decoding());
        const torch::Tensor code = explorer.shownSnapshot()->codes[5];
        const QString expected = QStringLiteral("code (%1, %2)")
                                     .arg(code[0].item<double>(), 0, 'f', 2)
                                     .arg(code[1].item<double>(), 0, 'f', 2);
        QVERIFY2(inspector.caption().endsWith(expected),
                 qPrintable(inspector.caption() + " / " + expected));
        QVERIFY2(inspector.caption() != before, qPrintable(before)); // the code did move
        explorer.host()->stop();
    }

    void directionsMoveTheClickedItem() {
        LatentPlot plot;
        LossPlot losses;
        ImagePairView inspector;
        InterpolationPanel panel;
        DirectionsPanel directions;
        plot.resize(600, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        Explorer explorer({&plot, &losses, &inspector, &panel, &directions});
        DirectionsController *controller = explorer.directions();
        QVERIFY(controller);

        ModelConfig c;
        c.kind = ModelKind::Autoencoder;
        c.latent = 4;
        c.hidden = 32;
        c.height = c.width = 32;
        c.device = "cpu";
        auto trainer = std::make_unique<Trainer>(c);
        trainer->setData(makeLinesDataset(300, 2));
        explorer.start(std::move(trainer), 300);
        explorer.setProjection(Projection::Kind::Dimensions, 0, 1);
        explorer.fitView();
        plot.replot();

        // From the mean of class 0 to that of class 1: one step takes the clicked item's code
        // by the difference of the means, decoded into the dock.
        controller->addClassDirection(0, 1);
        QCOMPARE(directions.directionNames().size(), 1);
        QCOMPARE(directions.currentDirection(), 0);
        const auto snapshot = explorer.session()->latest();
        const QPointF at = plot.pointAt(5);
        QTest::mouseClick(
            &plot, Qt::LeftButton, {},
            QPoint(int(plot.xAxis->coordToPixel(at.x())), int(plot.yAxis->coordToPixel(at.y()))));
        QTRY_VERIFY(!explorer.decoding());
        const int item = inspector.caption().section(QLatin1Char(','), 0, 0).mid(5).toInt();

        // The Inspector shows the item's nearest neighbours in the code space (brute force
        // agrees), ringed on the scatter.
        const torch::Tensor distance = (snapshot->codes - snapshot->codes[item]).norm(2, 1);
        const torch::Tensor order = distance.argsort();
        QCOMPARE(order[0].item<int64_t>(), int64_t(item));
        const QVector<int> ringed = plot.highlighted();
        QCOMPARE(ringed.size(), ImagePairView::kMaxNeighbours);
        const QStringList captions = inspector.neighbourCaptions();
        QCOMPARE(captions.size(), ImagePairView::kMaxNeighbours);
        for (int k = 0; k < ringed.size(); ++k) {
            QCOMPARE(int64_t(ringed[k]), order[k + 1].item<int64_t>());
            QVERIFY(captions[k].startsWith(QStringLiteral("#%1\n").arg(ringed[k])));
        }
        QVERIFY(inspector.neighboursTitle().contains(QStringLiteral("code space")));
        directions.setAmount(1.0);
        QTRY_VERIFY(!explorer.decoding());
        const Direction d = controller->directions()[0]; // a copy: the list grows
        const torch::Tensor moved = moveAlong(snapshot->codes[item], d, 1.0);
        const QImage expected = toQImage(snapshot->model->decode(
            moved.unsqueeze(0), explorer.session()->data().labels.slice(0, item, item + 1))[0]);
        QCOMPARE(directions.previewImage(), expected);
        QVERIFY(directions.previewCaption().contains(QStringLiteral("1.00 steps")));

        // Ctrl-drag two rectangles: the selections' means make a direction.
        auto pixel = [&](double x, double y) {
            return QPoint(int(plot.xAxis->coordToPixel(x)), int(plot.yAxis->coordToPixel(y)));
        };
        const QCPRange xr = plot.xAxis->range(), yr = plot.yAxis->range();
        std::vector<double> xs;
        for (int i = 0; i < plot.pointCount(); ++i)
            xs.push_back(plot.pointAt(i).x());
        std::sort(xs.begin(), xs.end());
        const double median = xs[xs.size() / 2];
        auto select = [&](double x0, double x1) { // the items between x0 and x1
            QTest::mousePress(&plot, Qt::LeftButton, Qt::ControlModifier, pixel(x0, yr.upper));
            const QPoint to = pixel(x1, yr.lower);
            QMouseEvent move(QEvent::MouseMove, to, plot.mapToGlobal(to), Qt::NoButton,
                             Qt::LeftButton, Qt::ControlModifier);
            QApplication::sendEvent(&plot, &move);
            QTest::mouseRelease(&plot, Qt::LeftButton, Qt::ControlModifier, to);
            return plot.selected();
        };
        QVERIFY_THROWS_EXCEPTION(Error, controller->addSelectionDirection());
        const QVector<int> left = select(xr.lower, median);
        QVERIFY(!left.isEmpty());
        controller->useSelection(0);
        const QVector<int> right = select(median, xr.upper);
        QVERIFY(!right.isEmpty());
        controller->useSelection(1);
        controller->addSelectionDirection();
        QCOMPARE(controller->directions().size(), size_t(2));
        const Direction s = controller->directions()[1];
        std::vector<int64_t> l(left.begin(), left.end()), r(right.begin(), right.end());
        QVERIFY(torch::allclose(s.vector, selectionDirection(snapshot->codes, l, r, "").vector));

        // Principal directions; all are saved with the model and come back with it.
        controller->addPrincipalDirections(2);
        const auto &names = explorer.session()->data().classNames;
        QCOMPARE(directions.directionNames(),
                 QStringList({QString::fromStdString(names[0] + " → " + names[1]),
                              QString::fromStdString(s.name), QStringLiteral("PC1"),
                              QStringLiteral("PC2")}));
        QTemporaryDir dir;
        QSignalSpy saved(explorer.host(), &SessionHost::saved);
        explorer.host()->save(dir.filePath("with-directions.pt"));
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.last().at(1).toString(), QString());
        const Checkpoint loaded = readCheckpoint(dir.filePath("with-directions.pt").toStdString());
        QCOMPARE(loaded.directions.size(), size_t(4));
        QVERIFY(torch::equal(loaded.directions[0].vector, d.vector));
        QVERIFY(explorer.host()->stop().isEmpty());
    }

    void umapFollowsTheCodes() {
        LatentPlot plot;
        LossPlot losses;
        ImagePairView inspector;
        InterpolationPanel panel;
        plot.resize(600, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        Explorer explorer({&plot, &losses, &inspector, &panel});
        QStringList messages;
        connect(&explorer, &Explorer::message, this, [&](const QString &m) { messages << m; });

        ModelConfig c;
        c.kind = ModelKind::Autoencoder;
        c.latent = 8;
        c.hidden = 48;
        c.batch = 32;
        c.height = c.width = 32;
        c.device = "cpu";
        auto trainer = std::make_unique<Trainer>(c);
        trainer->setData(makeLinesDataset(400, 1));
        explorer.start(std::move(trainer), 300);

        // The layout settles on its own thread; the scatter shows it, each item where UMAP
        // put it, with the axes named for it.
        explorer.setProjection(Projection::Kind::Umap);
        QTRY_VERIFY_WITH_TIMEOUT(!explorer.layingOut(), 60000);
        QVERIFY(explorer.projection().hasLayout(300));
        QCOMPARE(plot.xAxis->label(), QStringLiteral("UMAP 1"));
        QVERIFY2(messages.filter(QStringLiteral("settled")).size() == 1,
                 qPrintable(messages.join(QLatin1Char('\n'))));
        auto showsTheLayout = [&] {
            const auto snapshot = explorer.session()->latest();
            if (!torch::equal(explorer.projection().layoutCodes(), snapshot->codes))
                return false;
            for (int i : {0, 150, 299}) {
                const QPointF placed = explorer.projection().project(snapshot->codes[i]);
                if ((placed - plot.pointAt(i)).manhattanLength() > 1e-3)
                    return false;
            }
            return true;
        };
        QVERIFY(showsTheLayout());
        int drawn = 0;
        for (int g = 0; g < plot.classGraphCount(); ++g)
            if (plot.classGraph(g)->visible())
                drawn += plot.classGraph(g)->dataCount();
        QCOMPARE(drawn, 300);
        {
            const QImage picture = plot.toPixmap(300, 250).toImage();
            int coloured = 0;
            for (int y = 0; y < picture.height(); ++y)
                for (int x = 0; x < picture.width(); ++x) {
                    const QColor c = picture.pixelColor(x, y);
                    coloured += c.saturation() > 80;
                }
            QVERIFY2(coloured > 100, qPrintable(QString::number(coloured))); // drawn in colour
        }

        // A point of the layout is not a code: no probe, no manifold map, no dragged end; the
        // interpolation between two picked items still runs, drawn through the layout.
        explorer.inspector()->setProbeMode(true);
        QVERIFY(!plot.probeMode());
        explorer.manifold()->setVisible(true);
        QVERIFY(!plot.tilesVisible());
        QCOMPARE(messages.filter(QStringLiteral("not a code")).size(), 2);
        explorer.interpolation()->pickItem(0);
        explorer.interpolation()->pickItem(299);
        QTRY_VERIFY(!explorer.decoding());
        QVERIFY(!panel.stripImage().isNull());
        explorer.interpolation()->moveEnd(1, QPointF(0, 0));
        QVERIFY(messages.last().contains(QStringLiteral("cannot be dragged")));

        // Training moves the codes; the layout follows them.
        QSignalSpy status(explorer.host(), &SessionHost::statusChanged);
        explorer.host()->togglePlay();
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty() && status.last().at(0).toLongLong() > 100,
                                 120000);
        explorer.host()->togglePlay();
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty() && !status.last().at(2).toBool(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!explorer.layingOut() && showsTheLayout(), 60000);

        // Back to principal components: the probe decodes points of the view again.
        explorer.setProjection(Projection::Kind::Pca);
        QVERIFY(!explorer.projection().hasLayout(300));
        explorer.inspector()->setProbeMode(true);
        QVERIFY(plot.probeMode());
        QVERIFY(explorer.host()->stop().isEmpty());
    }
};

QTEST_MAIN(TestExplorer)
#include "tst_explorer.moc"
