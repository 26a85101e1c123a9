#pragma once
// ManifoldController: the AAE paper's manifold figure on the scatter: decoded images tiled over
// the visible region, 16 x 16 of them. The 256 decodes run on a thread of their own at a low
// priority (LatestWork: the newest view waits while one decodes); pan and zoom ask again once
// the mouse rests, and training redraws it a few times a second at most. GUI thread only.

#include "ui/session/trainingsession.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace latentlab {

class FailureReports;
class LatentPlot;
class LatestWork;
class Projection;

class ManifoldController : public QObject {
    Q_OBJECT
public:
    // `projection` (owned by the caller) maps the view's points to codes.
    ManifoldController(LatentPlot *plot, const Projection *projection, FailureReports *failures,
                       QObject *parent = nullptr);
    ~ManifoldController() override;

    // Turned down with a message() under UMAP, whose points are not codes.
    void setVisible(bool visible);
    bool visible() const { return visible_; }
    // The newest snapshot (null: none); the map follows it a few times a second at most.
    void setSnapshot(std::shared_ptr<const Snapshot> snapshot);
    // The projection changed: the map is asked for again (or, when it can no longer be
    // inverted, hidden).
    void projectionChanged();
    // Maps still being decoded are not shown (the session ends).
    void forget();

Q_SIGNALS:
    void message(const QString &text);

private:
    // Asks for the map of the current view.
    void update();

    LatentPlot *plot_;
    const Projection *projection_;
    FailureReports *failures_;
    LatestWork *work_;
    std::shared_ptr<const Snapshot> shown_;
    bool visible_ = false;
    QTimer rest_;       // pan and zoom: asks once the view rests
    QElapsedTimer age_; // since the map was last asked for
};

} // namespace latentlab
