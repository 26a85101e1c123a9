#pragma once
// Explorer: what the scatter shows, in step with the session. It owns the SessionHost (the
// training thread, saves) and, for each view, the controller that keeps it: the Inspector
// (hover, probe, neighbours), the manifold map, the loss curves, interpolation and directions.
// It keeps the projection (dimensions, principal components or a UMAP layout that a worker
// computes) and the prior overlay under the points, and hands each new snapshot to every
// controller. GUI thread only; what the controllers decode runs on threads of their own with
// the snapshot's frozen model.

#include "model/analysis/layout.h"
#include "ui/explorer/prioroverlay.h"
#include "ui/explorer/projection.h"
#include "ui/session/trainingsession.h"

#include <QObject>
#include <QStringList>
#include <QVector>

#include <algorithm>
#include <array>
#include <limits>
#include <memory>

namespace latentlab {

class BackgroundTasks;
class DirectionsController;
class DirectionsPanel;
class FailureReports;
class ImagePairView;
class InspectorController;
class InterpolationController;
class InterpolationPanel;
class LatentPlot;
class LatestWork;
class LayoutWorker;
class LossFeed;
class LossPlot;
class ManifoldController;
class SessionHost;
struct LayoutFrame;
struct LossTable;

class Explorer : public QObject {
    Q_OBJECT
public:
    struct Views {
        LatentPlot *latent;
        LossPlot *losses;
        ImagePairView *inspector;
        InterpolationPanel *interpolation;
        DirectionsPanel *directions = nullptr; // optional: the Directions dock
    };
    // How many items the scatter shows unless told otherwise: every item of the data set (a
    // session takes the smaller of this and the data set's size). The scatter draws a density
    // picture where too many are in view, and training refreshes the codes a chunk at a time.
    static constexpr int64_t kShownItems = std::numeric_limits<int64_t>::max();

    explicit Explorer(const Views &views, QObject *parent = nullptr);
    ~Explorer() override;

    // How many items training re-encodes for the live scatter (TrainingSession::kLiveSample
    // unless set, at least 1); sessions started after take it.
    void setLiveSample(int64_t items) { liveSample_ = std::max<int64_t>(1, items); }
    int64_t liveSample() const { return liveSample_; }
    // Replaces the running session (if any) with a paused one around `trainer`, which must
    // have its data. `shown` items are the scatter's; their live sample is encoded (unless
    // `firstCodes` has it) before the old session stops, and the rest fill in after: a model
    // that fails on the sample (throws) leaves the one on show. `keepView`: a newer version
    // of the model on show (a followed run) keeps the view, the projection, the interpolation
    // ends and the Inspector when its codes and data have the same sizes.
    // `directions`: those saved with the model; `firstCodes`: the shown items' codes when
    // they were encoded already (TrainingSession::encodeShown(), off the GUI thread).
    void start(std::unique_ptr<Trainer> trainer, int64_t shown = kShownItems, bool keepView = false,
               std::vector<Direction> directions = {}, torch::Tensor firstCodes = {});
    // The loss plot shows these rows (a run's losses.csv) up to `upToStep` before the
    // session's own, which follow them.
    void showLosses(const LossTable &table, int64_t upToStep = INT64_MAX);

    // The session and what a save would keep.
    SessionHost *host() const { return host_; }
    // Shorthand for host()->session(): null before the first start().
    TrainingSession *session() const;
    // The snapshot the views show; null before the first.
    std::shared_ptr<const Snapshot> shownSnapshot() const { return shown_; }
    // Writes the scatter's selected items (index, label, code: the model's codes, not the
    // view's) to a CSV file in the background. Throws Error when there is nothing to write.
    void exportSelection(const QString &path);
    InterpolationController *interpolation() const { return interpolation_; }
    // Null when the views have no Directions dock.
    DirectionsController *directions() const { return directions_; }
    InspectorController *inspector() const { return inspector_; }
    // Slow work a person asked for (opening files, writing an animation), in order.
    BackgroundTasks *tasks() const { return tasks_; }
    ManifoldController *manifold() const { return manifold_; }

    void setDensityVisible(bool visible);
    void setPriorSamplesVisible(bool visible);
    void setPointsVisible(bool visible);
    void fitView();
    // Two chosen code dimensions (xDim, yDim), the first two principal components, or a UMAP
    // layout that follows the codes (computed on a thread of its own; the view animates as it
    // settles). UMAP cannot be inverted: the probe and the manifold map are turned off.
    void setProjection(Projection::Kind kind, int xDim = 0, int yDim = 1);
    const Projection &projection() const { return projection_; }
    // UMAP's neighbours and minimum distance; a new layout starts from scratch.
    void setUmapOptions(int neighbours, double minDistance);
    const UmapOptions &umapOptions() const { return umapOptions_; }
    // A UMAP layout is being computed (or waits for newer codes).
    bool layingOut() const;
    // Writes the shown items' current codes with their labels as CSV. Throws Error.
    void exportCodes(const QString &path) const;
    // True while a picture for the Inspector, the preview, a strip or a direction is still
    // being decoded, a task runs, or a large set of points is being indexed for the scatter
    // (each on a thread of its own; the views get it a moment later).
    bool decoding() const;

Q_SIGNALS:
    void message(const QString &text);
    // A failure of the views (the session's own come from host()).
    void failed(const QString &message);
    // projection() changed: chosen, or set for a new model (which may show its dims 0 and 1
    // though its code is wider: the categorical AAEs' style).
    void projectionChanged();
    // How many of the items the scatter shows while some have no code from the model on show
    // ("Encoded 340,000 of 1,000,000 items"), or empty once every item has one.
    void coverageChanged(const QString &text);

private:
    void connectControllers();
    // The views of a new session: labels, names, and unless `keepView`, a fresh projection.
    void resetViews(TrainingSession &session, bool keepView);
    // The session ends: work for its views is dropped.
    void forgetSession();
    void showNewest();
    void reproject();
    // Puts the projected items on the scatter, its axes named `axes`: at once, or above its
    // point budget once a worker has indexed them.
    void showPoints(const QVector<double> &x, const QVector<double> &y,
                    const std::array<QString, 2> &axes);
    void showLayout(const std::shared_ptr<const LayoutFrame> &frame);
    // Under UMAP, asks for a layout of the shown codes (warm after the first).
    void requestLayout(bool restart);

    Views views_;
    FailureReports *failures_;
    SessionHost *host_;
    BackgroundTasks *tasks_;
    Projection projection_;
    InterpolationController *interpolation_;
    DirectionsController *directions_ = nullptr;
    InspectorController *inspector_;
    ManifoldController *manifold_;
    LossFeed *losses_;
    LayoutWorker *layoutWorker_;
    LatestWork *scatterWork_; // above the point budget: indexes and colours the scatter's points
    std::shared_ptr<const Snapshot> shown_;
    QVector<int> labels_;
    QStringList classNames_;
    PriorOverlay priorOverlay_; // under the scatter
    UmapOptions umapOptions_;
    int64_t liveSample_ = TrainingSession::kLiveSample;
    QString coverage_;         // the last coverageChanged() text
    bool layoutShown_ = false; // a frame of the current UMAP layout was shown (the view fitted)
};

} // namespace latentlab
