#pragma once
// InterpolationController: keeps the two ends of an interpolation (data items, or free codes
// after a drag), decodes the point under the slider and the strip with the newest published
// model, and draws the ends and the path on the latent plot. GUI thread only.
//
// Decoding uses the snapshot's frozen model, never the live trainer, so it needs no lock and
// stays fast while training runs. The preview and the strips decode on threads of their own
// (LatestWork): the GUI thread never waits on LibTorch, and a fast slider shows the newest
// frame that can be decoded instead of a queue of stale ones. The path is computed in the full code
// space and drawn in the plot's two shown dimensions.

#include "model/analysis/interpolation.h"
#include "ui/session/trainingsession.h"

#include <QImage>
#include <QObject>
#include <QPointF>
#include <QVector>

#include <array>
#include <memory>
#include <optional>

namespace latentlab {

class BackgroundTasks;
class InterpolationPanel;
class LatestWork;
class LatentPlot;
class Projection;

class InterpolationController : public QObject {
    Q_OBJECT
public:
    // `projection` (owned by the caller) maps codes to the plot and back; files are read,
    // images encoded and animations written as `tasks`.
    InterpolationController(LatentPlot *plot, InterpolationPanel *panel,
                            const Projection *projection, BackgroundTasks *tasks,
                            QObject *parent = nullptr);

    // A new session: forget the ends, or (keepEnds: a newer version of the same model on the
    // same data) keep them; ends that are items take their new codes with the next snapshot.
    void reset(const Dataset *data, bool keepEnds = false);
    // A newer model or newer codes: ends that are items follow their items; redecode.
    void setSnapshot(std::shared_ptr<const Snapshot> snapshot);
    // Makes item `index` the next end (A, then B, then A again ...), or B with `asB`.
    void pickItem(int index, bool asB = false);
    // Moves an end to a point of the plot: its code moves within the plot's plane only.
    void moveEnd(int which, QPointF position);
    // Redraws the ends and the path (after the projection changed).
    void updateMarks();
    bool hasBothEnds() const { return ends_[0] && ends_[1]; }
    // The data item end `which` (0: A, 1: B) is, or -1 (none, a dragged code, an image file).
    int endItem(int which) const { return ends_[which] ? ends_[which]->item : -1; }

    // The decoded frame at the slider, [C, H, W]; undefined without both ends. Synchronous:
    // the panel's preview gets the same picture a moment later from its own thread.
    torch::Tensor decodeAt(double t) const;
    // True while the preview or a strip is still being decoded for the panel.
    bool decoding() const;

    // An image (any size; converted to the model's shape) as the next end, once encoded (a
    // background task).
    void setEndFromImage(const QImage &image, const QString &name);
    // The same, from an image file. Throws Error when it is not an image.
    void setEndFromFile(const QString &path);
    // Another model (a checkpoint of any kind the project trains, for images of this shape)
    // interpolates the same two ends in a strip of its own, once read (a background task, whose
    // failure says why in words: another image shape, not a model).
    void addComparison(const QString &checkpointPath);
    void clearComparisons();
    int comparisonCount() const { return int(comparisons_.size()); }
    // The strip compared model i drew last (null when its ends are not both pictures).
    QImage comparisonStrip(int i) const { return comparisonStrips_.value(i); }
    // Frames [n, C, H, W] from A to B.
    torch::Tensor decodePath(int frames) const;
    // The strip shown, as a PNG at least 96 pixels high.
    void exportStrip(const QString &path);
    // 60 frames from A to B as an MP4 (or numbered PNGs where OpenCV has no encoder), decoded
    // and written as a background task.
    void exportAnimation(const QString &path);

Q_SIGNALS:
    void message(const QString &text);
    // Something failed while decoding or reading a file; the text says what (ui/threads/failure.h).
    void failed(const QString &text);

private:
    struct End {
        int item = -1;       // -1 once dragged away from its item, or for an image file
        torch::Tensor code;  // [D]
        torch::Tensor image; // [C, H, W] for items and image files; undefined once dragged
        QString name;
    };
    struct Comparison {
        QString name;
        std::shared_ptr<const ExplorableModel> model;
    };
    // Runs a slot's work; an exception becomes failed() instead of crossing the event loop.
    void guard(const std::function<void()> &work);
    void setEnd(End end);
    // The data's [C, H, W], which a compared model must take.
    std::optional<std::array<int64_t, 3>> dataShape() const;
    // Reads a model to compare (any thread). Throws Error.
    static Comparison readComparison(const QString &path,
                                     std::optional<std::array<int64_t, 3>> shape);
    // The panel's path shape, the code at t, and `frames` codes from A to B.
    InterpolationMode mode() const;
    torch::Tensor codeAt(double t) const;
    torch::Tensor pathCodes(int frames) const;
    torch::Tensor labelFor() const;
    void updatePreview();
    void updateStrip();

    LatentPlot *plot_;
    InterpolationPanel *panel_;
    const Projection *projection_;
    BackgroundTasks *tasks_;
    const Dataset *data_ = nullptr;
    std::shared_ptr<const Snapshot> snapshot_;
    std::optional<End> ends_[2];
    std::vector<Comparison> comparisons_;
    QVector<QImage> comparisonStrips_;
    int nextEnd_ = 0;
    bool encodeImageEnds_ = false; // a newer model kept the ends: encode image files again
    LatestWork *preview_;
    LatestWork *strip_;
};

} // namespace latentlab
