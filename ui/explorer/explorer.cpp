#include "ui/explorer/explorer.h"

#include "model/error.h"
#include "model/io/export.h"
#include "ui/explorer/directionscontroller.h"
#include "ui/explorer/interpolationcontroller.h"
#include "ui/explorer/layoutworker.h"
#include "ui/explorer/nearestitems.h"
#include "ui/explorer/prioroverlay.h"
#include "ui/figures/imageconvert.h"
#include "ui/session/modelfactory.h"
#include "ui/threads/failure.h"
#include "ui/threads/latestwork.h"
#include "widgets/imagepairview.h"
#include "widgets/latentplot.h"
#include "widgets/lossplot.h"

#include <QThread>
#include <torch/torch.h>

namespace latentlab {

namespace {

QStringList toQStrings(const std::vector<std::string> &texts) {
    QStringList list;
    for (const auto &text : texts)
        list << QString::fromStdString(text);
    return list;
}

} // namespace

Explorer::Explorer(const Views &views, QObject *parent)
    : QObject(parent)
    , views_(views)
    , interpolation_(
          new InterpolationController(views.latent, views.interpolation, &projection_, this))
    , inspectorWork_(new LatestWork(this, Yield::Pictures))
    , manifoldWork_(new LatestWork(this, Yield::Background))
    , priorOverlay_(views.latent)
    , layoutWorker_(new LayoutWorker(this)) {
    for (LatestWork *work : {inspectorWork_, manifoldWork_})
        connect(work, &LatestWork::failed, this, &Explorer::report);
    connect(layoutWorker_, &LayoutWorker::frame, this,
            [this](const std::shared_ptr<const LayoutFrame> &frame) {
                guard([&] { showLayout(frame); });
            });
    connect(layoutWorker_, &LayoutWorker::failed, this, &Explorer::report);
    if (views.directions) {
        directions_ = new DirectionsController(views.directions, views.latent, this);
        connect(directions_, &DirectionsController::message, this, &Explorer::message);
        connect(directions_, &DirectionsController::failed, this, &Explorer::report);
        connect(directions_, &DirectionsController::edited, this, &Explorer::noteEdit);
    }
    // Pan and zoom change the visible region; the map follows once the mouse rests.
    manifoldTimer_.setObjectName(QStringLiteral("manifoldTimer")); // names for profiles (soak)
    redraw_.setObjectName(QStringLiteral("redrawTimer"));
    manifoldTimer_.setSingleShot(true);
    manifoldTimer_.setInterval(80);
    connect(&manifoldTimer_, &QTimer::timeout, this,
            [this] { guard([this] { updateManifold(); }); });
    connect(views_.latent->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            [this] {
                if (manifoldVisible_)
                    manifoldTimer_.start();
            });
    connect(views_.latent, &LatentPlot::probed, this,
            [this](QPointF at) { guard([&] { probe(at); }); });
    lossRedraw_.setObjectName(QStringLiteral("lossRedrawTimer"));
    lossRedraw_.setSingleShot(true);
    lossRedraw_.setInterval(30);
    connect(&lossRedraw_, &QTimer::timeout, this, &Explorer::redrawLosses);
    redraw_.setSingleShot(true);
    redraw_.setInterval(40);
    connect(&redraw_, &QTimer::timeout, this, [this] { guard([this] { showNewest(); }); });
    connect(views_.latent, &LatentPlot::pointHovered, this, [this](int index) {
        if (index >= 0)
            guard([&] { showItem(index); });
    });
    connect(views_.latent, &LatentPlot::pointClicked, this,
            [this](int index, Qt::KeyboardModifiers mods) {
                guard([&] {
                    showItem(index);
                    interpolation_->pickItem(index, mods & Qt::ShiftModifier);
                    if (directions_)
                        directions_->setItem(index);
                });
            });
    connect(views_.latent, &LatentPlot::pointsSelected, this, [this](const QVector<int> &items) {
        Q_EMIT message(tr("%n item(s) selected: the Directions dock can go from or to them.",
                          nullptr, int(items.size())));
    });
    connect(interpolation_, &InterpolationController::message, this, &Explorer::message);
    connect(interpolation_, &InterpolationController::failed, this, &Explorer::report);
}

void Explorer::guard(const std::function<void()> &work) {
    const QString failure = failureOf(work);
    if (!failure.isEmpty())
        report(failure);
}

void Explorer::report(const QString &failure) {
    const bool repeated =
        failure == lastFailure_ && lastFailureAge_.isValid() && lastFailureAge_.elapsed() < 5000;
    lastFailure_ = failure;
    lastFailureAge_.start();
    if (repeated)
        Q_EMIT message(failure);
    else
        Q_EMIT failed(failure);
}

Explorer::~Explorer() {
    stop();
    // The workers' threads end here, while everything their results would reach still exists
    // (as children they would go after the members).
    delete inspectorWork_;
    delete manifoldWork_;
    delete layoutWorker_;
}

void Explorer::start(std::unique_ptr<Trainer> trainer, int64_t shown, bool keepView,
                     std::vector<Direction> directions) {
    // The new session encodes its items before the old one stops: a model that fails on them
    // (a TorchScript module that passed its probe but not real data) leaves the one on show.
    const int64_t steps = trainer->steps();
    keepView = keepView && session_ &&
               session_->config().codeSize() == trainer->config().codeSize() &&
               session_->data().size() == trainer->data().size();
    auto session =
        std::make_unique<TrainingSession>(std::move(trainer), shown, std::move(directions));
    stop();
    unsaved_.reset(steps);
    session_ = session.release();
    thread_ = new QThread(this);
    thread_->setObjectName(QStringLiteral("training"));
    session_->moveToThread(thread_);
    connect(thread_, &QThread::started, session_, &TrainingSession::run);
    connect(session_, &TrainingSession::snapshotReady, this, [this] {
        if (!redraw_.isActive())
            redraw_.start();
    });
    connect(session_, &TrainingSession::failed, this, &Explorer::failed);
    connect(session_, &TrainingSession::targetReached, this, &Explorer::targetReached);
    connect(session_, &TrainingSession::saved, this,
            [this](const QString &path, const QString &error, qint64 step) {
                if (path == autosavePath_)
                    return Q_EMIT autosaved(path, error);
                unsaved_.saveAnswered(path, error.isEmpty(), step);
                updateUnsaved();
                Q_EMIT saved(path, error);
            });
    connect(session_, &TrainingSession::playingChanged, this,
            [this] { guard([this] { showNewest(); }); });

    const Dataset &data = session_->data();
    labels_.clear();
    const int64_t n = session_->latest()->codes.size(0);
    if (data.hasLabels()) {
        torch::Tensor l = data.labels.slice(0, 0, n).to(torch::kInt).contiguous();
        labels_ = QVector<int>(l.data_ptr<int>(), l.data_ptr<int>() + n);
    } else {
        labels_.fill(-1, int(n));
    }
    classNames_.clear();
    for (const auto &name : data.classNames)
        classNames_ << QString::fromStdString(name);

    views_.losses->setNames(toQStrings(session_->lossNames()));
    if (!keepView) {
        inspected_ = -1;
        views_.inspector->clear();
        views_.latent->setHighlighted({});
        layoutWorker_->cancel();
        layoutShown_ = false;
        projection_.reset();
        // The categorical AAEs' codes start with the style z, where the prior's density is
        // drawn.
        const ExplorableModel &model = *session_->latest()->model;
        const int style = model.codeSize() - model.categories();
        if (model.codeSize() > 2 && !(model.categories() > 0 && style == 2))
            projection_.setPca();
        else
            projection_.setDimensions(0, 1);
    }
    interpolation_->reset(&session_->data(), keepView);
    if (directions_)
        directions_->reset(session_, keepView);
    // A TorchScript model may name no prior: none is drawn.
    const ExplorableModel &model = *session_->latest()->model;
    priorOverlay_.setPrior(session_->prior(), !model.prior().empty(), model.labelConditioned());
    shown_.reset();
    showNewest();
    if (!keepView)
        views_.latent->fitAll();
    thread_->start();
    updateUnsaved();
    Q_EMIT projectionChanged();
    Q_EMIT sessionStarted(steps);
}

QString Explorer::stop(const QString &savePath) {
    if (!session_)
        return {};
    inspectorWork_->forget(); // pictures still being decoded for this session are not shown
    manifoldWork_->forget();
    layoutWorker_->cancel();
    QString result;
    if (!savePath.isEmpty()) {
        // Answered on the worker thread just before the loop ends; wait() below orders it.
        connect(
            session_, &TrainingSession::saved, this,
            [&result](const QString &, const QString &error) { result = error; },
            Qt::DirectConnection);
        session_->requestSave(savePath);
    }
    session_->requestStop();
    thread_->quit();
    thread_->wait();
    delete session_;
    session_ = nullptr;
    delete thread_;
    thread_ = nullptr;
    shown_.reset();
    redraw_.stop();
    return result;
}

void Explorer::showLosses(const LossTable &table, int64_t upToStep) {
    views_.losses->setNames(toQStrings(table.names));
    for (size_t row = 0; row < table.steps.size() && table.steps[row] <= upToStep; ++row)
        views_.losses->append(double(table.steps[row]),
                              QVector<double>(table.values[row].begin(), table.values[row].end()));
    views_.losses->refresh();
}

void Explorer::markUnsaved() {
    unsaved_.markAllUnsaved();
    updateUnsaved();
}

void Explorer::noteEdit() {
    unsaved_.noteEdit();
    updateUnsaved();
}

void Explorer::updateUnsaved() {
    if (hasUnsavedWork() == unsavedShown_)
        return;
    unsavedShown_ = hasUnsavedWork();
    Q_EMIT unsavedWorkChanged(unsavedShown_);
}

void Explorer::setLearningRates(double recon, double disc, double gen) {
    if (!session_)
        return;
    session_->setLearningRates(recon, disc, gen);
    noteEdit();
}

void Explorer::setBatchSize(int batch) {
    if (!session_)
        return;
    session_->setBatchSize(batch);
    noteEdit();
}

void Explorer::setAdversarialWeight(double weight) {
    if (!session_)
        return;
    session_->setAdversarialWeight(weight);
    noteEdit();
}

void Explorer::togglePlay() {
    if (!session_)
        return;
    if (session_->isPlaying())
        session_->pause();
    else
        session_->play();
}

void Explorer::stepOnce() {
    if (session_)
        session_->requestSteps(1);
}

void Explorer::save(const QString &path) {
    if (!session_)
        return;
    unsaved_.saveRequested(path);
    session_->requestSave(path);
}

void Explorer::autosave(const QString &path) {
    autosavePath_ = path;
    if (session_)
        session_->requestSave(path);
}

void Explorer::setDensityVisible(bool visible) {
    priorOverlay_.setDensityVisible(visible);
    priorOverlay_.show(projection_);
    views_.latent->refresh();
}

void Explorer::setPriorSamplesVisible(bool visible) {
    priorOverlay_.setSamplesVisible(visible);
    priorOverlay_.show(projection_);
    views_.latent->refresh();
}

void Explorer::fitView() {
    views_.latent->fitAll();
    views_.latent->replot(QCustomPlot::rpQueuedReplot);
}

void Explorer::showNewest() {
    if (!session_)
        return;
    auto snapshot = session_->latest();
    for (const LossRecord &r : session_->takeLosses())
        views_.losses->append(double(r.step), QVector<double>(r.values.begin(), r.values.end()));
    // Loss curves need no more than 4 redraws a second (each takes 5 to 15 ms). While training,
    // one due as the scatter redraws waits 30 ms, so that the two redraws (up to 30 ms each on
    // a busy machine) do not hold the event loop back to back (the soak, docs/RELIABILITY.md).
    if (!session_->isPlaying() || !lossAge_.isValid() || lossAge_.elapsed() >= 250) {
        if (session_->isPlaying() && snapshot != shown_) {
            if (!lossRedraw_.isActive())
                lossRedraw_.start();
        } else {
            lossRedraw_.stop();
            redrawLosses();
        }
    }
    unsaved_.noteStep(snapshot->step);
    updateUnsaved();
    Q_EMIT statusChanged(snapshot->step, snapshot->stepsPerSecond, session_->isPlaying());
    if (snapshot == shown_)
        return;
    shown_ = snapshot;
    projection_.fit(snapshot->codes);
    requestLayout(false);
    reproject();
    interpolation_->setSnapshot(snapshot);
    if (directions_)
        directions_->setSnapshot(snapshot);
    refreshInspector();
    // While training runs the map is redrawn a few times a second at most.
    if (manifoldVisible_ && (!manifoldAge_.isValid() || manifoldAge_.elapsed() > 250))
        updateManifold();
    views_.latent->refresh();
}

void Explorer::redrawLosses() {
    views_.losses->refresh();
    lossAge_.start();
}

void Explorer::reproject() {
    if (!shown_)
        return;
    QVector<double> x, y;
    projection_.projectItems(shown_->codes, x, y);
    views_.latent->setPoints(x, y, labels_, classNames_);
    views_.latent->setAxisLabels(projection_.axisName(0), projection_.axisName(1));
    priorOverlay_.project(projection_, shown_->codes.size(1)); // the caller refreshes
}

void Explorer::setProjection(Projection::Kind kind, int xDim, int yDim) {
    switch (kind) {
    case Projection::Kind::Pca:
        projection_.setPca();
        break;
    case Projection::Kind::Umap:
        projection_.setUmap();
        break;
    case Projection::Kind::Dimensions:
        projection_.setDimensions(xDim, yDim);
        break;
    }
    if (kind != Projection::Kind::Umap) {
        layoutWorker_->cancel();
        layoutShown_ = false;
    }
    if (!projection_.invertible()) {
        if (views_.latent->probeMode())
            setProbeMode(false);
        if (manifoldVisible_)
            setManifoldVisible(false);
    }
    guard([this] {
        if (shown_)
            projection_.fit(shown_->codes);
        requestLayout(true);
        reproject();
        interpolation_->updateMarks();
        if (manifoldVisible_)
            updateManifold();
    });
    views_.latent->fitAll();
    views_.latent->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT projectionChanged();
}

void Explorer::setUmapOptions(int neighbours, double minDistance) {
    if (neighbours == umapOptions_.neighbours && minDistance == umapOptions_.minDistance)
        return;
    umapOptions_.neighbours = neighbours;
    umapOptions_.minDistance = minDistance;
    guard([this] { requestLayout(true); });
}

bool Explorer::layingOut() const {
    return layoutWorker_->busy();
}

void Explorer::requestLayout(bool restart) {
    if (!shown_ || projection_.kind() != Projection::Kind::Umap)
        return;
    if (shown_->codes.size(0) < 3) {
        Q_EMIT message(tr("UMAP needs at least 3 items; the view shows principal components."));
        return;
    }
    if (restart)
        layoutShown_ = false;
    layoutWorker_->submit(shown_->codes, umapOptions_, restart);
}

void Explorer::showLayout(const std::shared_ptr<const LayoutFrame> &frame) {
    if (!shown_ || projection_.kind() != Projection::Kind::Umap ||
        frame->codes.size(0) != shown_->codes.size(0))
        return;
    projection_.setLayout(frame->codes, frame->layout);
    reproject();
    interpolation_->updateMarks();
    // A layout from scratch grows as it settles: the view follows it. A warm one (newer codes
    // while training) keeps the view, so points are seen to move.
    if (!frame->warm || !layoutShown_)
        views_.latent->fitAll();
    if (frame->settled) {
        layoutShown_ = true;
        if (!frame->warm)
            Q_EMIT message(tr("UMAP layout of %L1 items settled in %2 s")
                               .arg(frame->codes.size(0))
                               .arg(frame->seconds, 0, 'f', 1));
    } else if (!frame->warm) {
        Q_EMIT message(tr("UMAP: epoch %1 of %2").arg(frame->epochsDone).arg(frame->epochsTotal));
    }
    views_.latent->refresh();
}

void Explorer::exportCodes(const QString &path) const {
    if (!shown_)
        throw Error(path.toStdString() + ": there are no codes to export yet.");
    const Dataset &data = session_->data();
    const int64_t n = shown_->codes.size(0);
    writeCodesCsv(path.toStdString(), shown_->codes,
                  data.hasLabels() ? data.labels.slice(0, 0, n) : torch::Tensor());
}

void Explorer::setProbeMode(bool on) {
    if (on && !projection_.invertible()) {
        Q_EMIT message(tr("The probe decodes a point of the view, and a point of a UMAP layout "
                          "is not a code: show principal components or dimensions to probe."));
        on = false;
    }
    views_.latent->setProbeMode(on);
}

void Explorer::setPointsVisible(bool visible) {
    views_.latent->setPointsVisible(visible);
    views_.latent->replot(QCustomPlot::rpQueuedReplot);
}

void Explorer::setManifoldVisible(bool visible) {
    if (visible && !projection_.invertible()) {
        Q_EMIT message(tr("The manifold map decodes the points of the view, and a point of a "
                          "UMAP layout is not a code: show principal components or dimensions "
                          "to see it."));
        visible = false;
    }
    manifoldVisible_ = visible;
    if (visible)
        guard([this] { updateManifold(); });
    else
        views_.latent->setTiles(QImage(), {});
    views_.latent->replot(QCustomPlot::rpQueuedReplot);
}

bool Explorer::decoding() const {
    return inspectorWork_->busy() || interpolation_->decoding() ||
           (directions_ && directions_->decoding());
}

void Explorer::refreshInspector() {
    if (inspected_ >= 0)
        showItem(inspected_);
    else if (inspected_ == -2 && projection_.invertible())
        probe(probed_);
}

void Explorer::probe(QPointF position) {
    if (!shown_ || !projection_.invertible())
        return;
    inspected_ = -2;
    probed_ = position;
    const int d = shown_->model->codeSize();
    inspectorWork_->submit([this, model = shown_->model, codes = shown_->codes,
                            images = session_->data().images,
                            code = projection_.codeAt(position, d), position] {
        const QImage image =
            toQImage(model->decode(code.unsqueeze(0), torch::zeros({1}, torch::kLong))[0]);
        const QString caption =
            tr("probe at (%1, %2)").arg(position.x(), 0, 'f', 2).arg(position.y(), 0, 'f', 2);
        NearestItems nearest = nearestItems(codes, images, code, ImagePairView::kMaxNeighbours);
        return [this, image, caption, nearest = std::move(nearest)] {
            views_.inspector->setImages(QImage(), image, caption);
            showNeighbours(tr("Nearest training items to the probe (distance in the code space):"),
                           nearest);
        };
    });
}

void Explorer::showNeighbours(const QString &title, const NearestItems &nearest) {
    views_.inspector->setNeighbours(title, nearest.images, nearest.captions());
    views_.latent->setHighlighted(nearest.items);
    views_.latent->refreshMarks();
}

void Explorer::updateManifold() {
    if (!shown_ || !manifoldVisible_ || !projection_.invertible())
        return;
    manifoldAge_.start();
    const QCPRange xr = views_.latent->xAxis->range(), yr = views_.latent->yAxis->range();
    constexpr int kTiles = 16; // per side: 256 decodes in one batch
    const int d = shown_->model->codeSize();
    std::vector<torch::Tensor> codes;
    for (int row = 0; row < kTiles; ++row) // row 0 at the top of the view
        for (int col = 0; col < kTiles; ++col)
            codes.push_back(projection_.codeAt(QPointF(xr.lower + (col + 0.5) * xr.size() / kTiles,
                                                       yr.upper - (row + 0.5) * yr.size() / kTiles),
                                               d));
    // 256 decodes of the paper's MLP take 30 to 100 ms on one core: too long for the GUI
    // thread. The snapshot's model is frozen and may decode on any thread; holding it keeps
    // the session's pool from reusing it meanwhile.
    const QRectF region(QPointF(xr.lower, yr.lower), QPointF(xr.upper, yr.upper));
    // A newer view replaces a request still waiting (LatestWork).
    manifoldWork_->submit(
        [this, model = shown_->model, batch = torch::stack(codes), region]() -> LatestWork::Show {
            faultPoint("manifold");
            const torch::Tensor images =
                model->decode(batch, torch::zeros({batch.size(0)}, torch::kLong));
            const int h = int(images.size(2)), w = int(images.size(3));
            // [rows, cols, C, h, w] -> one picture [C, rows*h, cols*w]
            const torch::Tensor mosaic = images.view({kTiles, kTiles, images.size(1), h, w})
                                             .permute({2, 0, 3, 1, 4})
                                             .reshape({images.size(1), kTiles * h, kTiles * w});
            return [this, image = toQImage(mosaic), region] { showManifold(image, region); };
        });
}

void Explorer::showManifold(const QImage &image, const QRectF &region) {
    if (manifoldVisible_)
        views_.latent->setTiles(image, region);
    views_.latent->replot(QCustomPlot::rpQueuedReplot);
}

void Explorer::showItem(int index) {
    if (!shown_ || index < 0 || index >= shown_->codes.size(0))
        return;
    inspected_ = index;
    const Dataset &data = session_->data();
    const torch::Tensor label =
        data.hasLabels() ? data.labels.slice(0, index, index + 1) : torch::zeros({1}, torch::kLong);
    inspectorWork_->submit([this, index, model = shown_->model, images = data.images, label,
                            labelled = data.hasLabels(), names = classNames_,
                            codes = shown_->codes] {
        const torch::Tensor code = codes.slice(0, index, index + 1);
        const QImage reconstruction = toQImage(model->decode(code, label)[0]);
        QString caption = tr("item %1").arg(index);
        if (labelled) {
            const int l = int(label[0].item<int64_t>());
            caption += tr(", label %1").arg(names.value(l, QString::number(l)));
        }
        caption += tr(", code (%1, %2%3)")
                       .arg(code[0][0].item<double>(), 0, 'f', 2)
                       .arg(code.size(1) > 1 ? code[0][1].item<double>() : 0.0, 0, 'f', 2)
                       .arg(code.size(1) > 2 ? QStringLiteral(", …") : QString());
        NearestItems nearest =
            nearestItems(codes, images, code[0], ImagePairView::kMaxNeighbours, index);
        return [this, original = toQImage(images[index]), reconstruction, caption,
                nearest = std::move(nearest)] {
            views_.inspector->setImages(original, reconstruction, caption);
            showNeighbours(tr("Nearest neighbours in the code space (item, distance):"), nearest);
        };
    });
}

} // namespace latentlab
