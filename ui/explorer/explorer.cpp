#include "ui/explorer/explorer.h"

#include "model/error.h"
#include "model/io/export.h"
#include "ui/explorer/directionscontroller.h"
#include "ui/explorer/inspectorcontroller.h"
#include "ui/explorer/interpolationcontroller.h"
#include "ui/explorer/layoutworker.h"
#include "ui/explorer/lossfeed.h"
#include "ui/explorer/manifoldcontroller.h"
#include "ui/session/sessionhost.h"
#include "ui/threads/backgroundtasks.h"
#include "ui/threads/failurereports.h"
#include "ui/threads/latestwork.h"
#include "widgets/scatter/latentplot.h"

#include <QFileInfo>
#include <torch/torch.h>

#include <thread>

namespace latentlab {

Explorer::Explorer(const Views &views, QObject *parent)
    : QObject(parent)
    , views_(views)
    , failures_(new FailureReports(this))
    , host_(new SessionHost(this))
    , tasks_(new BackgroundTasks(this))
    , interpolation_(new InterpolationController(views.latent, views.interpolation, &projection_,
                                                 tasks_, this))
    , inspector_(
          new InspectorController(views.inspector, views.latent, &projection_, failures_, this))
    , manifold_(new ManifoldController(views.latent, &projection_, failures_, this))
    , losses_(new LossFeed(views.losses, this))
    , layoutWorker_(new LayoutWorker(this))
    , scatterWork_(new LatestWork(this, Yield::Pictures))
    , priorOverlay_(views.latent) {
    // The layout worker is niced below the window (ui/threads/yield.h); its threads too.
    umapOptions_.threads = int(std::max(1u, std::thread::hardware_concurrency()));
    if (views.directions)
        directions_ = new DirectionsController(views.directions, views.latent, this);
    connectControllers();
    connect(host_, &SessionHost::stopping, this, &Explorer::forgetSession);
    connect(host_, &SessionHost::statusChanged, this,
            [this] { failures_->guard([this] { showNewest(); }); });
}

void Explorer::connectControllers() {
    connect(failures_, &FailureReports::failed, this, &Explorer::failed);
    connect(failures_, &FailureReports::repeated, this, &Explorer::message);
    connect(layoutWorker_, &LayoutWorker::frame, this,
            [this](const std::shared_ptr<const LayoutFrame> &frame) {
                failures_->guard([&] { showLayout(frame); });
            });
    connect(layoutWorker_, &LayoutWorker::failed, failures_, &FailureReports::report);
    connect(scatterWork_, &LatestWork::failed, failures_, &FailureReports::report);
    connect(tasks_, &BackgroundTasks::failed, failures_, &FailureReports::report);
    connect(inspector_, &InspectorController::message, this, &Explorer::message);
    connect(manifold_, &ManifoldController::message, this, &Explorer::message);
    connect(interpolation_, &InterpolationController::message, this, &Explorer::message);
    connect(interpolation_, &InterpolationController::failed, failures_, &FailureReports::report);
    if (directions_) {
        connect(directions_, &DirectionsController::message, this, &Explorer::message);
        connect(directions_, &DirectionsController::failed, failures_, &FailureReports::report);
        connect(directions_, &DirectionsController::edited, host_, &SessionHost::noteEdit);
    }
    connect(views_.latent, &LatentPlot::pointClicked, this,
            [this](int index, Qt::KeyboardModifiers mods) {
                failures_->guard([&] {
                    inspector_->showItem(index);
                    interpolation_->pickItem(index, mods & Qt::ShiftModifier);
                    if (directions_)
                        directions_->setItem(index);
                });
            });
    connect(views_.latent, &LatentPlot::pointsSelected, this, [this](const QVector<int> &items) {
        Q_EMIT message(tr("%Ln item(s) selected: the Directions dock can go from or to them.",
                          nullptr, int(items.size())));
    });
}

Explorer::~Explorer() {
    host_->stop();
    // The workers' threads end here, while everything their results would reach still exists
    // (as children they would go after the members).
    delete scatterWork_;
    delete tasks_;
    delete inspector_;
    delete manifold_;
    delete layoutWorker_;
}

void Explorer::exportSelection(const QString &path) {
    const QVector<int> chosen = views_.latent->selected();
    if (!shown_ || chosen.isEmpty())
        throw Error("nothing is selected: draw a lasso or a rectangle on the scatter first.");
    torch::Tensor items =
        torch::tensor(std::vector<int64_t>(chosen.begin(), chosen.end()), torch::kLong);
    if (!shown_->complete()) { // items selected before training began may have no code now
        items = items.masked_select(shown_->codes.index_select(0, items).isfinite().all(1));
        if (items.size(0) == 0)
            throw Error("none of the selected items has a code from this model yet: pause "
                        "training, and once every item is encoded, export again.");
    }
    const Dataset &data = host_->session()->data();
    const torch::Tensor labels =
        data.hasLabels() ? data.labels.index_select(0, items) : torch::Tensor();
    tasks_->run(tr("Writing %1").arg(QFileInfo(path).fileName()),
                [this, path, items, labels,
                 codes = shown_->codes.index_select(0, items)]() -> LatestWork::Show {
                    writeCodesCsv(path.toStdString(), codes, labels, {}, items);
                    return [this, path, n = items.size(0)] {
                        Q_EMIT message(
                            tr("Saved %n selected item(s) to %1", nullptr, int(n)).arg(path));
                    };
                });
}

TrainingSession *Explorer::session() const {
    return host_->session();
}

void Explorer::start(std::unique_ptr<Trainer> trainer, int64_t shown, bool keepView,
                     std::vector<Direction> directions, torch::Tensor firstCodes) {
    // The new session encodes its items before the old one stops: a model that fails on them
    // (a TorchScript module that passed its probe but not real data) leaves the one on show.
    const TrainingSession *old = host_->session();
    keepView = keepView && old && old->config().codeSize() == trainer->config().codeSize() &&
               old->data().size() == trainer->data().size();
    auto session = std::make_unique<TrainingSession>(std::move(trainer), shown, liveSample_,
                                                     std::move(directions), std::move(firstCodes));
    TrainingSession &next = *session;
    host_->stop();
    resetViews(next, keepView);
    host_->start(std::move(session)); // shows its first snapshot (showNewest())
    if (!keepView)
        views_.latent->fitAll();
    Q_EMIT projectionChanged();
}

void Explorer::resetViews(TrainingSession &session, bool keepView) {
    const Dataset &data = session.data();
    const int64_t n = session.latest()->codes.size(0);
    labels_.clear();
    if (data.hasLabels()) {
        torch::Tensor l = data.labels.slice(0, 0, n).to(torch::kInt).contiguous();
        labels_ = QVector<int>(l.data_ptr<int>(), l.data_ptr<int>() + n);
    } else {
        labels_.fill(-1, int(n));
    }
    classNames_.clear();
    for (const auto &name : data.classNames)
        classNames_ << QString::fromStdString(name);
    losses_->setNames(session.lossNames());
    const ExplorableModel &model = *session.latest()->model;
    if (!keepView) {
        layoutWorker_->cancel();
        layoutShown_ = false;
        projection_.reset();
        // The categorical AAEs' codes start with the style z, where the prior's density is
        // drawn.
        const int style = model.codeSize() - model.categories();
        if (model.codeSize() > 2 && !(model.categories() > 0 && style == 2))
            projection_.setPca();
        else
            projection_.setDimensions(0, 1);
    }
    inspector_->reset(&data, classNames_, keepView);
    interpolation_->reset(&data, keepView);
    if (directions_)
        directions_->reset(&session, keepView);
    // A TorchScript model may name no prior: none is drawn.
    priorOverlay_.setPrior(session.prior(), !model.prior().empty(), model.labelConditioned());
}

void Explorer::forgetSession() {
    inspector_->forget(); // pictures still being decoded for this session are not shown
    manifold_->forget();
    layoutWorker_->cancel();
    scatterWork_->forget();
    shown_.reset();
}

void Explorer::showLosses(const LossTable &table, int64_t upToStep) {
    losses_->showTable(table, upToStep);
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

void Explorer::setPointsVisible(bool visible) {
    views_.latent->setPointsVisible(visible);
    views_.latent->replot(QCustomPlot::rpQueuedReplot);
}

void Explorer::fitView() {
    views_.latent->fitAll();
    views_.latent->replot(QCustomPlot::rpQueuedReplot);
}

void Explorer::showNewest() {
    TrainingSession *session = host_->session();
    if (!session)
        return;
    auto snapshot = session->latest();
    losses_->append(session->takeLosses(), session->isPlaying(), snapshot != shown_);
    if (snapshot == shown_)
        return;
    shown_ = snapshot;
    projection_.fit(snapshot->knownCodes());
    requestLayout(false);
    const int64_t known = snapshot->knownCount(), all = snapshot->codes.size(0);
    const QString coverage =
        snapshot->complete() ? QString()
        : snapshot->playing  ? tr("Training shows a sample of %L1 of %L2 items").arg(known).arg(all)
                             : tr("Encoded %L1 of %L2 items").arg(known).arg(all);
    if (coverage != coverage_)
        Q_EMIT coverageChanged(coverage_ = coverage);
    reproject();
    interpolation_->setSnapshot(snapshot);
    if (directions_)
        directions_->setSnapshot(snapshot);
    inspector_->setSnapshot(snapshot);
    manifold_->setSnapshot(snapshot);
    views_.latent->refresh();
}

void Explorer::reproject() {
    if (!shown_)
        return;
    QVector<double> x, y;
    projection_.projectItems(shown_->codes, x, y);
    if (!shown_->complete() && projection_.hasLayout(shown_->codes.size(0))) {
        // A layout of all items, made when each had a code: only those with one now are drawn.
        const torch::Tensor has =
            torch::zeros({shown_->codes.size(0)}, torch::kBool).index_fill_(0, shown_->known, true);
        const bool *keep = has.data_ptr<bool>();
        for (int i = 0; i < x.size(); ++i)
            if (!keep[i])
                x[i] = y[i] = std::numeric_limits<double>::quiet_NaN();
    }
    showPoints(x, y, {projection_.axisName(0), projection_.axisName(1)});
    priorOverlay_.project(projection_, shown_->codes.size(1)); // the caller refreshes
}

void Explorer::showPoints(const QVector<double> &x, const QVector<double> &y,
                          const std::array<QString, 2> &axes) {
    LatentPlot *plot = views_.latent;
    if (x.size() <= plot->pointBudget()) {
        scatterWork_->forget(); // a larger set still being indexed would show after these
        plot->setPoints(x, y, labels_, classNames_);
        plot->setAxisLabels(axes[0], axes[1]);
        return;
    }
    // Indexing a million points takes about 50 ms (docs/BENCHMARKS.md): done on the worker,
    // while the plot shows the last ones (and their axes' names); the GUI thread only swaps the
    // frame in. The prior's picture and the interpolation's marks move at once.
    scatterWork_->submit([x, y, axes, labels = labels_, names = classNames_,
                          colouring = plot->colouring(), plot]() -> LatestWork::Show {
        auto frame =
            std::make_shared<ScatterFrame>(buildFrame(x, y, labels, int(names.size()), colouring));
        return [frame, names, axes, plot] {
            plot->showFrame(std::move(*frame), names);
            plot->setAxisLabels(axes[0], axes[1]);
            plot->refresh();
        };
    });
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
    if (!projection_.invertible() && views_.latent->probeMode())
        inspector_->setProbeMode(false);
    failures_->guard([this] {
        if (shown_)
            projection_.fit(shown_->knownCodes());
        requestLayout(true);
        reproject();
        interpolation_->updateMarks();
        manifold_->projectionChanged();
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
    failures_->guard([this] { requestLayout(true); });
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
    if (!shown_->complete()) {
        // Lays out every item or none: the layout follows once each has a code again.
        if (restart)
            Q_EMIT message(tr("UMAP lays out the items once every one is encoded (%L1 of %L2).")
                               .arg(shown_->knownCount())
                               .arg(shown_->codes.size(0)));
        return;
    }
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
    const Dataset &data = host_->session()->data();
    const int64_t n = shown_->codes.size(0);
    if (shown_->complete())
        return writeCodesCsv(path.toStdString(), shown_->codes,
                             data.hasLabels() ? data.labels.slice(0, 0, n) : torch::Tensor());
    // Only the items with a code (the live sample while training), by item.
    const torch::Tensor items = std::get<0>(shown_->known.sort());
    writeCodesCsv(path.toStdString(), shown_->codes.index_select(0, items),
                  data.hasLabels() ? data.labels.index_select(0, items) : torch::Tensor(), {},
                  items);
}

bool Explorer::decoding() const {
    return tasks_->busy() || scatterWork_->busy() || inspector_->decoding() ||
           interpolation_->decoding() || (directions_ && directions_->decoding());
}

} // namespace latentlab
