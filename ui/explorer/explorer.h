#pragma once
// Explorer: runs one TrainingSession in a worker thread and keeps the views in step with it.
// Snapshots arrive as signals; a single-shot 40 ms timer coalesces them, so the views redraw
// at most about 25 times a second whatever the training speed. Hover and click on the scatter
// show an item in the Inspector and choose interpolation ends. GUI thread only, except the
// decodes the views ask for as a person moves (the Inspector's pictures, the interpolation
// preview and strips, the manifold map), which run on threads of their own with the
// snapshot's frozen model.

#include "model/analysis/layout.h"
#include "ui/explorer/prioroverlay.h"
#include "ui/explorer/projection.h"
#include "ui/session/trainingsession.h"
#include "ui/session/unsavedwork.h"

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QVector>

#include <functional>
#include <memory>

class QThread;

namespace latentlab {

class DirectionsController;
class DirectionsPanel;
class ImagePairView;
class InterpolationController;
class InterpolationPanel;
class LatentPlot;
class LatestWork;
class LayoutWorker;
struct LayoutFrame;
struct NearestItems;
struct LossTable;
class LossPlot;

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
    explicit Explorer(const Views &views, QObject *parent = nullptr);
    ~Explorer() override;

    // Replaces the running session (if any) with a paused one around `trainer`, which must
    // have its data. `shown` items are encoded for the scatter. `keepView`: a newer version of
    // the model on show (a followed run) keeps the view, the projection, the interpolation
    // ends and the Inspector when its codes and data have the same sizes.
    // `directions`: those saved with the model.
    void start(std::unique_ptr<Trainer> trainer, int64_t shown = 10000, bool keepView = false,
               std::vector<Direction> directions = {});
    // The loss plot shows these rows (a run's losses.csv) up to `upToStep` before the
    // session's own, which follow them.
    void showLosses(const LossTable &table, int64_t upToStep = INT64_MAX);
    // Stops and joins the worker; when savePath is not empty the model is saved first and the
    // result returned (empty string: saved). Without a session it does nothing.
    QString stop(const QString &savePath = {});

    TrainingSession *session() const { return session_; }
    // The snapshot the views show; null before the first.
    std::shared_ptr<const Snapshot> shownSnapshot() const { return shown_; }
    InterpolationController *interpolation() const { return interpolation_; }
    // Null when the views have no Directions dock.
    DirectionsController *directions() const { return directions_; }
    // Work a save would keep that is not saved: steps taken or a change the person made
    // (rates, batch size, adversarial weight, directions) since the model was last saved or
    // opened. Autosaves do not count.
    bool hasUnsavedWork() const { return session_ && unsaved_.any(); }
    // Steps taken since the model was last saved or opened (a part of hasUnsavedWork()).
    bool hasUnsavedSteps() const { return session_ && unsaved_.stepsUnsaved(); }
    // Changes the person made since then (the other part of hasUnsavedWork()).
    bool hasUnsavedEdits() const { return session_ && unsaved_.editsUnsaved(); }
    // Changes with every step and every change the person makes (autosaves compare it).
    qint64 workRevision() const { return unsaved_.revision(); }

    void togglePlay();
    void stepOnce();
    void save(const QString &path);
    // A save that is not the person's: answered by autosaved(), and the model still counts as
    // unsaved (hasUnsavedSteps()).
    void autosave(const QString &path);
    // The session holds work the person has not saved (a model restored after a crash).
    void markUnsaved();
    // What the Training dock changes while the model trains; each is kept by the next save.
    void setLearningRates(double recon, double disc, double gen);
    void setBatchSize(int batch);
    void setAdversarialWeight(double weight);
    void setDensityVisible(bool visible);
    void setPriorSamplesVisible(bool visible);
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
    // Click or drag on the plot decodes that point into the Inspector.
    void setProbeMode(bool on);
    // Decoded images tiled over the visible region (the AAE paper's manifold figure).
    void setManifoldVisible(bool visible);
    void setPointsVisible(bool visible);
    // Writes the shown items' current codes with their labels as CSV. Throws Error.
    void exportCodes(const QString &path) const;
    // True while a picture for the Inspector, the preview or a strip is still being decoded
    // (each on a thread of its own; the views get it a moment later).
    bool decoding() const;

Q_SIGNALS:
    void statusChanged(qint64 step, double stepsPerSecond, bool playing);
    void message(const QString &text);
    void failed(const QString &message);
    void saved(const QString &path, const QString &error);
    void autosaved(const QString &path, const QString &error);
    // A session began (a new model or an opened one) at this step.
    void sessionStarted(qint64 step);
    // hasUnsavedWork() changed.
    void unsavedWorkChanged(bool unsaved);
    // projection() changed: chosen, or set for a new model (which may show its dims 0 and 1
    // though its code is wider: the categorical AAEs' style).
    void projectionChanged();
    void targetReached(qint64 step);

private:
    // Runs the work of a slot; an exception becomes a report instead of crossing the event loop.
    void guard(const std::function<void()> &work);
    // A failure on the GUI thread: a dialog (failed()), or only the status bar when the same
    // failure repeats within a few seconds (a decode that fails on every mouse move).
    void report(const QString &failure);
    void showNewest();
    // A change the person made that the next save keeps.
    void noteEdit();
    // Emits unsavedWorkChanged() when hasUnsavedWork() changed.
    void updateUnsaved();
    void showItem(int index);
    // The Inspector's item or probe again, from the newest snapshot (training moved it).
    void refreshInspector();
    void reproject();
    void redrawLosses(); // now, and the loss plot's age starts again
    void probe(QPointF position);
    // The Inspector's row of nearest items, ringed on the scatter too.
    void showNeighbours(const QString &title, const NearestItems &nearest);
    // Asks for the manifold map of the current view, decoded on a thread of its own (the
    // newest view waits while one decodes); showManifold() puts the result on the plot.
    void updateManifold();
    void showManifold(const QImage &image, const QRectF &region);
    void showLayout(const std::shared_ptr<const LayoutFrame> &frame);
    // Under UMAP, asks for a layout of the shown codes (warm after the first).
    void requestLayout(bool restart);

    Views views_;
    InterpolationController *interpolation_;
    DirectionsController *directions_ = nullptr;
    LatestWork *inspectorWork_; // the hovered item's or the probe's picture
    LatestWork *manifoldWork_;  // the manifold map's decodes, at a low priority
    // What the Inspector shows: an item (>= 0), or the probe at probed_ (-2), or nothing (-1).
    int inspected_ = -1;
    QPointF probed_;
    QThread *thread_ = nullptr;
    TrainingSession *session_ = nullptr;
    QTimer redraw_;
    std::shared_ptr<const Snapshot> shown_;
    QVector<int> labels_;
    QStringList classNames_;
    UnsavedWork unsaved_;
    bool unsavedShown_ = false; // as last announced by unsavedWorkChanged()
    QString autosavePath_;
    bool manifoldVisible_ = false;
    Projection projection_;
    PriorOverlay priorOverlay_; // under the scatter
    LayoutWorker *layoutWorker_;
    UmapOptions umapOptions_;
    bool layoutShown_ = false; // a frame of the current UMAP layout was shown (the view fitted)
    QTimer manifoldTimer_;
    QElapsedTimer manifoldAge_;
    QElapsedTimer lossAge_; // since the loss plot was last redrawn
    QTimer lossRedraw_;     // a loss redraw put off until after the scatter's (showNewest)
    QString lastFailure_;
    QElapsedTimer lastFailureAge_;
};

} // namespace latentlab
