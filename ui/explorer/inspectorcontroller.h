#pragma once
// InspectorController: what the Inspector dock shows. Hovering an item shows its image, its
// reconstruction, its code and its nearest neighbours (ringed on the scatter); the probe decodes
// a point of the view instead. Each picture is decoded on a thread of its own (LatestWork) with
// the snapshot's frozen model; a newer snapshot shows the same item or point again, as training
// moves it. GUI thread only.

#include "ui/session/trainingsession.h"

#include <QObject>
#include <QPointF>
#include <QStringList>

#include <memory>

namespace latentlab {

class FailureReports;
class ImagePairView;
class LatentPlot;
class LatestWork;
class Projection;
struct NearestItems;

class InspectorController : public QObject {
    Q_OBJECT
public:
    // `projection` (owned by the caller) maps points of the plot to codes for the probe;
    // failures go to `failures`.
    InspectorController(ImagePairView *view, LatentPlot *plot, const Projection *projection,
                        FailureReports *failures, QObject *parent = nullptr);
    ~InspectorController() override;

    // A new session's items (`data`, which outlives the session) and their class names; keep:
    // a newer version of the same model on the same data shows the same item.
    void reset(const Dataset *data, const QStringList &classNames, bool keep);
    // The newest snapshot: what is shown is shown again from it.
    void setSnapshot(std::shared_ptr<const Snapshot> snapshot);
    // Pictures still being decoded are not shown (the session ends).
    void forget();

    void showItem(int index);
    // Decodes the point `position` of the plot (an invertible projection only).
    void probe(QPointF position);
    // Click or drag on the plot probes; turned down with a message() under UMAP.
    void setProbeMode(bool on);
    // A picture is still being decoded (the view gets it a moment later).
    bool decoding() const;

Q_SIGNALS:
    void message(const QString &text);

private:
    // The Inspector's row of nearest items, ringed on the scatter too.
    void showNeighbours(const QString &title, const NearestItems &nearest);

    ImagePairView *view_;
    LatentPlot *plot_;
    const Projection *projection_;
    LatestWork *work_;
    const Dataset *data_ = nullptr;
    QStringList classNames_;
    std::shared_ptr<const Snapshot> shown_;
    // What is shown: an item (>= 0), or the probe at probed_ (kProbe), or nothing (kNothing).
    static constexpr int kNothing = -1, kProbe = -2;
    int inspected_ = kNothing;
    QPointF probed_;
};

} // namespace latentlab
