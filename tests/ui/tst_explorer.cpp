// The explorer end to end with real widgets: a session trains in its thread, the scatter fills
// from snapshots, clicking two points picks the interpolation ends, and moving the slider with
// the keyboard decodes new pictures into the preview.

#include "model/data/lines.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "tests/support/smallconfig.h"
#include "ui/explorer/directionscontroller.h"
#include "ui/explorer/explorer.h"
#include "ui/explorer/inspectorcontroller.h"
#include "ui/explorer/interpolationcontroller.h"
#include "ui/explorer/manifoldcontroller.h"
#include "ui/figures/imageconvert.h"
#include "ui/session/sessionhost.h"
#include "ui/threads/backgroundtasks.h"
#include "widgets/directionspanel.h"
#include "widgets/imagepairview.h"
#include "widgets/interpolationpanel.h"
#include "widgets/lossplot.h"
#include "widgets/scatter/latentplot.h"

#include <QFile>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace latentlab;

namespace {

// The views an Explorer keeps, on screen, with the Explorer over them.
struct Rig {
    LatentPlot plot;
    LossPlot losses;
    ImagePairView inspector;
    InterpolationPanel panel;
    std::unique_ptr<Explorer> explorer;

    Rig() {
        plot.resize(600, 500);
        plot.show();
        panel.show();
        explorer = std::make_unique<Explorer>(Explorer::Views{&plot, &losses, &inspector, &panel});
    }
    ~Rig() { explorer->host()->stop(); }
    QPoint pixelOf(int index) const {
        const QPointF p = plot.pointAt(index);
        return QPoint(int(plot.xAxis->coordToPixel(p.x())), int(plot.yAxis->coordToPixel(p.y())));
    }
    QSlider *slider() { return panel.findChild<QSlider *>(QStringLiteral("interpolationSlider")); }
};

// The label-conditioned AAE of these tests: 48 units, on 32 x 32 lines.
ModelConfig smallAae() {
    ModelConfig c = smallTrainingConfig(ModelKind::Aae, 48);
    c.prior = "mixture10";
    c.labelConditioned = true;
    return c;
}

} // namespace

class TestExplorer : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString trained_; // smallAae() after 400 steps on lines(400, seed 1)

    // A paused session on the trained model, its 300 first items on the scatter, fitted.
    void startTrained(Rig &rig) {
        auto trainer = openModel(trained_.toStdString(), "cpu");
        trainer->setData(makeLinesDataset(400, 1));
        rig.explorer->start(std::move(trainer), 300);
        QVERIFY(QTest::qWaitForWindowExposed(&rig.plot));
        rig.explorer->fitView();
        rig.plot.replot();
    }

    // Item 0 and the item drawn farthest from it, as two ends.
    std::pair<int, int> twoFarItems(const Rig &rig) const {
        int far = 0;
        for (int i = 1; i < rig.plot.pointCount(); ++i)
            if ((rig.pixelOf(i) - rig.pixelOf(0)).manhattanLength() >
                (rig.pixelOf(far) - rig.pixelOf(0)).manhattanLength())
                far = i;
        return {0, far};
    }

    // startTrained(), with item 0 and the item drawn farthest from it as the ends A and B.
    std::pair<int, int> startWithTwoEnds(Rig &rig) {
        startTrained(rig);
        const auto ends = twoFarItems(rig);
        rig.explorer->interpolation()->pickItem(ends.first);
        rig.explorer->interpolation()->pickItem(ends.second);
        return ends;
    }

private Q_SLOTS:
    void initTestCase() {
        torch::set_num_threads(1);
        Trainer trainer(smallAae());
        trainer.setData(makeLinesDataset(400, 1));
        for (int i = 0; i < 400; ++i)
            trainer.step();
        trained_ = dir_.filePath("trained.pt");
        saveCheckpoint(trainer, trained_.toStdString());
    }

    // Training runs in its thread; the scatter and the loss curves fill from its snapshots,
    // and after a pause the views show its last, settled one.
    void trainingFillsTheViews() {
        Rig rig;
        auto trainer = std::make_unique<Trainer>(smallAae());
        trainer->setData(makeLinesDataset(400, 1));
        rig.explorer->start(std::move(trainer), 300);
        QCOMPARE(rig.plot.pointCount(), 300);
        QSignalSpy status(rig.explorer->host(), &SessionHost::statusChanged);
        rig.explorer->host()->togglePlay();
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty() && status.last().at(0).toLongLong() > 400,
                                 120000);
        rig.explorer->host()->togglePlay(); // pause; the views keep the last snapshot
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty() && !status.last().at(2).toBool(), 5000);
        // The status says "paused" at once; a step begun before the pause may still run. Its
        // settled snapshot, the last, is the one shown.
        TrainingSession *session = rig.explorer->session();
        QTRY_VERIFY_WITH_TIMEOUT(session->latest()->settled &&
                                     rig.explorer->shownSnapshot() == session->latest(),
                                 30000);
        QTRY_VERIFY(rig.losses.pointCount() > 40);
        const torch::Tensor shown = rig.explorer->shownSnapshot()->codes;
        QCOMPARE(rig.plot.pointAt(7).x(), rig.explorer->projection().project(shown[7]).x());
    }

    // Above the scatter's point budget the shown items are indexed on a worker: the scatter
    // shows them, under their axes' names, once built; items shown at once meanwhile are not
    // overwritten by a build still running.
    void manyItemsAreIndexedOffTheGuiThread() {
        Rig rig;
        rig.plot.setPointBudget(100);
        auto trainer = openModel(trained_.toStdString(), "cpu");
        trainer->setData(makeLinesDataset(400, 1));
        rig.explorer->start(std::move(trainer), 300);
        QTRY_COMPARE(rig.plot.pointCount(), 300);
        QTRY_VERIFY(!rig.explorer->decoding());
        const torch::Tensor codes = rig.explorer->shownSnapshot()->codes;
        const Projection &projection = rig.explorer->projection();
        // (All items are projected at once and one alone: BLAS may round them apart.)
        auto near = [](QPointF a, QPointF b) { return (a - b).manhattanLength() < 1e-4; };
        QVERIFY(near(rig.plot.pointAt(7), projection.project(codes[7])));

        rig.explorer->setProjection(Projection::Kind::Dimensions, 1, 0);
        QTRY_VERIFY(!rig.explorer->decoding());
        QCOMPARE(rig.plot.pointAt(7),
                 QPointF(codes[7][1].item<double>(), codes[7][0].item<double>()));
        QCOMPARE(rig.plot.xAxis->label(), projection.axisName(0));

        rig.explorer->setProjection(Projection::Kind::Dimensions, 0, 1); // on the worker...
        rig.plot.setPointBudget(1000);
        rig.explorer->setProjection(Projection::Kind::Pca); // ...and this at once
        const QPointF pca = projection.project(codes[7]);
        QVERIFY(!near(pca, QPointF(codes[7][0].item<double>(), codes[7][1].item<double>())));
        QVERIFY(near(rig.plot.pointAt(7), pca));
        QTRY_VERIFY(!rig.explorer->decoding());
        QTest::qWait(100);
        QVERIFY(near(rig.plot.pointAt(7), pca));
        QCOMPARE(rig.plot.xAxis->label(), projection.axisName(0));
    }

    // Clicking two items makes them A and B: the items under the mouse, by the plot's own
    // search; the Inspector shows the one clicked last, and the strip is drawn.
    void clickingTwoItemsPicksTheEnds() {
        Rig rig;
        startTrained(rig);
        const auto [first, far] = twoFarItems(rig);
        QVERIFY((rig.pixelOf(far) - rig.pixelOf(first)).manhattanLength() > 30);
        // Several items may share a pixel: the one picked is the plot's nearest there.
        const int a = rig.plot.nearestPoint(rig.pixelOf(first));
        const int b = rig.plot.nearestPoint(rig.pixelOf(far));
        QTest::mouseClick(&rig.plot, Qt::LeftButton, {}, rig.pixelOf(first));
        QTest::mouseClick(&rig.plot, Qt::LeftButton, {}, rig.pixelOf(far));
        QTRY_VERIFY(!rig.explorer->decoding());
        InterpolationController *ends = rig.explorer->interpolation();
        QCOMPARE(ends->endItem(0), a);
        QCOMPARE(ends->endItem(1), b);
        QVERIFY(rig.inspector.caption().startsWith(QStringLiteral("item %1,").arg(b)));
        QVERIFY(!rig.panel.stripImage().isNull());
    }

    // The slider decodes into the preview: at t = 0 item A's code, decoded, whose nearest
    // training item is A itself; at t = 1 another picture.
    void theSliderDecodesThePath() {
        Rig rig;
        const int a = startWithTwoEnds(rig).first;
        QSlider *slider = rig.slider();
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_Home);
        QTRY_VERIFY(!rig.explorer->decoding());
        const QImage atA = rig.panel.previewImage();
        QVERIFY2(rig.panel.nearestText().startsWith(
                     QStringLiteral("Nearest training item #%1 at 0 ").arg(a)),
                 qPrintable(rig.panel.nearestText()));
        const auto snapshot = rig.explorer->session()->latest();
        const QImage expectedA = toQImage(snapshot->model->decode(
            snapshot->codes.slice(0, a, a + 1),
            torch::tensor({rig.explorer->session()->data().labels[a].item<int64_t>()}))[0]);
        QCOMPARE(atA, expectedA);
        QTest::keyClick(slider, Qt::Key_End);
        QTRY_VERIFY(!rig.explorer->decoding());
        QVERIFY(rig.panel.previewImage() != atA);
        QCOMPARE(rig.explorer->interpolation()->decodePath(5).size(0), int64_t(5));
    }

    // Dragging B on the plot moves its code: the picture at t = 1 changes, and B is no longer
    // an item.
    void draggingAnEndMovesItsCode() {
        Rig rig;
        const int b = startWithTwoEnds(rig).second;
        InterpolationController *ends = rig.explorer->interpolation();
        rig.slider()->setFocus();
        QTest::keyClick(rig.slider(), Qt::Key_End);
        QTRY_VERIFY(!rig.explorer->decoding());
        const QImage atB = rig.panel.previewImage();
        const QPoint from = rig.pixelOf(b);
        const QPoint to = from + QPoint(40, -30);
        QTest::mousePress(&rig.plot, Qt::LeftButton, {}, from);
        QMouseEvent drag(QEvent::MouseMove, to, rig.plot.mapToGlobal(to), Qt::NoButton,
                         Qt::LeftButton, {});
        QApplication::sendEvent(&rig.plot, &drag);
        QTest::mouseRelease(&rig.plot, Qt::LeftButton, {}, to);
        QTRY_VERIFY(!rig.explorer->decoding());
        QCOMPARE(ends->endItem(1), -1);
        QVERIFY(rig.panel.previewImage() != atB);
    }

    // The manifold map tiles decoded images over the view; the probe decodes empty space.
    void manifoldMapAndProbeDecodeTheView() {
        Rig rig;
        startTrained(rig);
        rig.explorer->manifold()->setVisible(true); // decoded on a thread, shown when done
        QTRY_VERIFY(rig.plot.tilesVisible());
        rig.explorer->manifold()->setVisible(false);
        QVERIFY(!rig.plot.tilesVisible());
        rig.explorer->inspector()->setProbeMode(true);
        const QPoint corner(int(rig.plot.xAxis->coordToPixel(rig.plot.xAxis->range().lower)) + 5,
                            int(rig.plot.yAxis->coordToPixel(rig.plot.yAxis->range().upper)) + 5);
        QTest::mouseClick(&rig.plot, Qt::LeftButton, {}, corner);
        QTRY_VERIFY(!rig.explorer->decoding());
        QVERIFY2(rig.inspector.caption().startsWith(QStringLiteral("probe at")),
                 qPrintable(rig.inspector.caption()));
    }

    // Another model on the same two ends, read in the background: a checkpoint of this very
    // model draws the same strip; a model for other image sizes is refused in words.
    void aComparedModelDrawsItsOwnStrip() {
        Rig rig;
        startWithTwoEnds(rig);
        InterpolationController *ends = rig.explorer->interpolation();
        ends->addComparison(trained_);
        QCOMPARE(ends->comparisonCount(), 0); // read in the background
        QTRY_VERIFY(!rig.explorer->decoding());
        QCOMPARE(ends->comparisonCount(), 1);
        const QImage mine = rig.panel.stripImage();
        const QImage theirs = ends->comparisonStrip(0);
        QCOMPARE(theirs.size(), mine.size());
        int worst = 0;
        for (int y = 0; y < mine.height(); ++y)
            for (int x = 0; x < mine.width(); ++x)
                worst =
                    std::max(worst, std::abs(qGray(mine.pixel(x, y)) - qGray(theirs.pixel(x, y))));
        QVERIFY2(worst <= 2, qPrintable(QString("pixels differ by up to %1").arg(worst)));

        QTemporaryDir dir;
        saveCheckpoint(Trainer(smallTrainingConfig(smallAae(), 48, 28)),
                       dir.filePath("other.pt").toStdString());
        QSignalSpy failed(rig.explorer.get(), &Explorer::failed);
        ends->addComparison(dir.filePath("other.pt"));
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("1x28x28")),
                 qPrintable(failed.first().at(0).toString()));
        QCOMPARE(ends->comparisonCount(), 1);
    }

    // An image as an end is encoded in the background, then interpolated like an item.
    void anImageBecomesAnEnd() {
        Rig rig;
        startTrained(rig);
        InterpolationController *ends = rig.explorer->interpolation();
        ends->pickItem(3);
        const QImage line = toQImage(renderLine(1.0));
        ends->setEndFromImage(line.scaled(64, 64), QStringLiteral("line.png"));
        QVERIFY(!ends->hasBothEnds()); // encoded in the background
        QTRY_VERIFY(ends->hasBothEnds());
        QCOMPARE(ends->endItem(1), -1);
        QVERIFY(rig.panel.endsText().contains(QStringLiteral("B: line.png")));
        QCOMPARE(ends->decodePath(5).size(0), int64_t(5));
    }

    // The animation is decoded and written in the background: an MP4, or where OpenCV has no
    // encoder, 60 numbered PNGs beside where it was asked for.
    void theAnimationIsWrittenInTheBackground() {
        Rig rig;
        startTrained(rig);
        InterpolationController *ends = rig.explorer->interpolation();
        ends->pickItem(0);
        ends->pickItem(5);
        QTemporaryDir dir;
        QSignalSpy said(rig.explorer.get(), &Explorer::message);
        ends->exportAnimation(dir.filePath("path.mp4"));
        QVERIFY(rig.explorer->tasks()->busy());
        QTRY_VERIFY_WITH_TIMEOUT(!rig.explorer->tasks()->busy(), 20000);
        QVERIFY(QFileInfo(dir.filePath("path.mp4")).size() > 0 ||
                QDir(dir.filePath("path_frames")).entryList(QDir::Files).size() == 60);
        QVERIFY(!said.isEmpty());
    }

    // The Inspector follows training: the item it shows is shown again from each newer
    // snapshot (issue 32: it kept the item's old code while training ran).
    void theInspectorFollowsTraining() {
        LatentPlot plot;
        LossPlot losses;
        ImagePairView inspector;
        InterpolationPanel panel;
        Explorer explorer({&plot, &losses, &inspector, &panel});
        ModelConfig c = smallTrainingConfig(ModelKind::Autoencoder, 32);
        c.lrRecon = 0.01;
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

        ModelConfig c = smallTrainingConfig(ModelKind::Autoencoder, 32);
        c.latent = 4;
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
        const QPoint clicked(int(plot.xAxis->coordToPixel(at.x())),
                             int(plot.yAxis->coordToPixel(at.y())));
        const int item = plot.nearestPoint(clicked); // the item a click there picks
        QTest::mouseClick(&plot, Qt::LeftButton, {}, clicked);
        QTRY_VERIFY(!explorer.decoding());
        QVERIFY(inspector.caption().startsWith(QStringLiteral("item %1,").arg(item)));

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

        ModelConfig c = smallTrainingConfig(ModelKind::Autoencoder, 48);
        c.latent = 8;
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
