#include "ui/explorer/interpolationcontroller.h"

#include "model/analysis/interpolation.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "model/io/export.h"
#include "ui/explorer/nearestitems.h"
#include "ui/explorer/projection.h"
#include "ui/figures/imageconvert.h"
#include "ui/session/modelfactory.h"
#include "ui/threads/backgroundtasks.h"
#include "ui/threads/failure.h"
#include "ui/threads/latestwork.h"
#include "widgets/interpolationpanel.h"
#include "widgets/scatter/latentplot.h"

#include <QFileInfo>
#include <torch/torch.h>

namespace latentlab {

InterpolationController::InterpolationController(LatentPlot *plot, InterpolationPanel *panel,
                                                 const Projection *projection,
                                                 BackgroundTasks *tasks, QObject *parent)
    : QObject(parent)
    , plot_(plot)
    , panel_(panel)
    , projection_(projection)
    , tasks_(tasks)
    , preview_(new LatestWork(this, Yield::Pictures))
    , strip_(new LatestWork(this, Yield::Pictures)) {
    for (LatestWork *work : {preview_, strip_})
        connect(work, &LatestWork::failed, this, &InterpolationController::failed);
    connect(panel_, &InterpolationPanel::positionChanged, this, [this] {
        guard([this] {
            updatePreview();
            updateMarks();
        });
        plot_->refreshMarks(); // only the marker moved
    });
    connect(panel_, &InterpolationPanel::settingsChanged, this, [this] {
        guard([this] {
            updateStrip();
            updateMarks();
        });
        plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(panel_, &InterpolationPanel::clearComparisonsRequested, this,
            [this] { guard([this] { clearComparisons(); }); });
    connect(plot_, &LatentPlot::endMoved, this,
            [this](int which, QPointF at) { guard([&] { moveEnd(which, at); }); });
}

void InterpolationController::guard(const std::function<void()> &work) {
    const QString failure = failureOf(work);
    if (!failure.isEmpty())
        Q_EMIT failed(failure);
}

void InterpolationController::reset(const Dataset *data, bool keepEnds) {
    data_ = data;
    snapshot_.reset();
    if (!keepEnds) {
        ends_[0].reset();
        ends_[1].reset();
        nextEnd_ = 0;
    }
    encodeImageEnds_ = keepEnds; // ends from image files: encoded again by the new model
    // Compared models stay while they fit the new data's images.
    preview_->forget(); // pictures decoded for an earlier session are not shown
    strip_->forget();
    comparisons_.erase(std::remove_if(comparisons_.begin(), comparisons_.end(),
                                      [data](const Comparison &c) {
                                          const ExplorableModel &m = *c.model;
                                          return !data || m.channels() != data->channels() ||
                                                 m.height() != data->height() ||
                                                 m.width() != data->width();
                                      }),
                       comparisons_.end());
    updateStrip();
    if (keepEnds) // the strip and the preview follow with the new model's first snapshot
        return;
    panel_->setStrip({});
    panel_->setPreview(QImage());
    panel_->setNearest({}, {});
    panel_->setEndsText(tr("Click two points on the scatter: the first is A, the second B."));
    updateMarks();
}

void InterpolationController::setSnapshot(std::shared_ptr<const Snapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    for (auto &end : ends_) {
        if (end && end->item >= 0 && end->item < snapshot_->codes.size(0) && data_)
            end->code = snapshot_->codeOf(end->item, data_->images);
        else if (end && encodeImageEnds_ && end->image.defined())
            end->code = snapshot_->model->encode(end->image.unsqueeze(0))[0];
    }
    encodeImageEnds_ = false;
    updatePreview();
    updateStrip();
    updateMarks();
}

void InterpolationController::pickItem(int index, bool asB) {
    if (!snapshot_ || !data_ || index < 0 || index >= snapshot_->codes.size(0))
        return;
    if (asB)
        nextEnd_ = 1;
    setEnd(End{index, snapshot_->codeOf(index, data_->images), pixels(data_->images[index]),
               tr("item %1").arg(index)});
}

void InterpolationController::setEndFromImage(const QImage &image, const QString &name) {
    if (!snapshot_ || image.isNull())
        return;
    tasks_->run(tr("Encoding %1").arg(name),
                [this, image, name, model = snapshot_->model]() -> LatestWork::Show {
                    const torch::Tensor pixels =
                        fromQImage(image, model->channels(), model->height(), model->width());
                    const torch::Tensor code = model->encode(pixels.unsqueeze(0))[0];
                    return [this, code, pixels, name] {
                        // Unless the model on show changed its code size meanwhile.
                        if (snapshot_ && snapshot_->codes.size(1) == code.size(0))
                            setEnd(End{-1, code, pixels, name});
                    };
                });
}

void InterpolationController::setEndFromFile(const QString &path) {
    const QImage image(path);
    if (image.isNull())
        throw Error(path.toStdString() + ": not an image this program can read.");
    setEndFromImage(image, QFileInfo(path).fileName());
}

void InterpolationController::setEnd(End end) {
    const int which = nextEnd_;
    ends_[which] = std::move(end);
    nextEnd_ = which == 0 ? 1 : 0;
    auto describe = [this](int w) { return ends_[w] ? ends_[w]->name : tr("not chosen"); };
    panel_->setEndsText(tr("A: %1    B: %2    (click a point to replace %3; drag A or B on "
                           "the scatter)")
                            .arg(describe(0), describe(1), nextEnd_ == 0 ? "A" : "B"));
    updatePreview();
    updateStrip();
    updateMarks();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void InterpolationController::moveEnd(int which, QPointF position) {
    if (!ends_[which])
        return;
    if (!projection_->invertible()) {
        Q_EMIT message(tr("A point of a UMAP layout is not a code, so an end cannot be dragged "
                          "there; pick items, or show principal components or dimensions."));
        updateMarks(); // the end goes back where it was
        return;
    }
    End &end = *ends_[which];
    end.item = -1; // a free code now: it no longer follows an item
    end.image = torch::Tensor();
    end.name = tr("a dragged code");
    end.code = projection_->moveTo(end.code, position);
    updatePreview();
    updateStrip();
    updateMarks();
}

InterpolationMode InterpolationController::mode() const {
    return panel_->spherical() ? InterpolationMode::Spherical : InterpolationMode::Linear;
}

torch::Tensor InterpolationController::codeAt(double t) const {
    return interpolate(ends_[0]->code, ends_[1]->code, t, mode());
}

torch::Tensor InterpolationController::pathCodes(int frames) const {
    return interpolationPath(ends_[0]->code, ends_[1]->code, frames, mode());
}

torch::Tensor InterpolationController::labelFor() const {
    // The supervised AAE decodes a style with a label: use end A's item's label.
    if (!data_ || !data_->hasLabels() || !ends_[0] || ends_[0]->item < 0)
        return torch::zeros({1}, torch::kLong);
    return data_->labels.slice(0, ends_[0]->item, ends_[0]->item + 1);
}

torch::Tensor InterpolationController::decodeAt(double t) const {
    if (!snapshot_ || !hasBothEnds())
        return {};
    return snapshot_->model->decode(codeAt(t).unsqueeze(0), labelFor())[0];
}

bool InterpolationController::decoding() const {
    return preview_->busy() || strip_->busy();
}

void InterpolationController::updatePreview() {
    if (!snapshot_ || !hasBothEnds())
        return;
    preview_->submit([this, model = snapshot_->model, code = codeAt(panel_->position()),
                      label = labelFor(), codes = snapshot_->codes, images = data_->images] {
        faultPoint("decode");
        const QImage image = toQImage(model->decode(code.unsqueeze(0), label)[0]);
        // The nearest item, and how near items are to each other there: a frame at a small
        // share of that is the item again (memorised), not a new image.
        const NearestItems nearest = nearestItems(codes, images, code, 1);
        QImage nearestImage;
        QString text;
        if (!nearest.items.isEmpty()) {
            const int item = nearest.items[0];
            const NearestItems around = nearestItems(codes, images, codes[item], 1, item);
            nearestImage = nearest.images[0];
            text = tr("Nearest training item #%1 at %2")
                       .arg(item)
                       .arg(nearest.distances[0], 0, 'g', 3);
            if (!around.items.isEmpty())
                text += tr(" (its own nearest at %1)").arg(around.distances[0], 0, 'g', 3);
        }
        return [this, image, nearestImage, text] {
            panel_->setPreview(image);
            panel_->setNearest(nearestImage, text);
        };
    });
}

torch::Tensor InterpolationController::decodePath(int frames) const {
    if (!snapshot_ || !hasBothEnds())
        return {};
    return snapshot_->model->decode(pathCodes(frames), labelFor().expand({frames}));
}

void InterpolationController::updateStrip() {
    QStringList names;
    std::vector<std::shared_ptr<const ExplorableModel>> models;
    for (const Comparison &c : comparisons_) {
        names << c.name;
        models.push_back(c.model);
    }
    auto show = [this, names](const QVector<QImage> &frames, const QVector<QImage> &others) {
        if (!frames.isEmpty())
            panel_->setStrip(frames);
        comparisonStrips_ = others;
        QVector<QPair<QString, QImage>> strips;
        for (int i = 0; i < names.size(); ++i)
            strips.append({names[i], others.value(i)});
        panel_->setComparisons(strips);
    };
    if (!snapshot_ || !hasBothEnds()) {
        show({}, QVector<QImage>(names.size())); // the compared models' names, no pictures yet
        return;
    }
    const int n = panel_->frames();
    // Each compared model encodes the same two pictures itself and decodes its own path.
    torch::Tensor pictures;
    if (ends_[0]->image.defined() && ends_[1]->image.defined())
        pictures = torch::stack({ends_[0]->image, ends_[1]->image});
    strip_->submit([show, model = snapshot_->model, models, pictures, mode = mode(), n,
                    path = pathCodes(n), labels = labelFor().expand({n})] {
        const QVector<QImage> frames = toQImages(model->decode(path, labels));
        QVector<QImage> others;
        for (const auto &other : models) {
            QImage strip;
            if (pictures.defined()) {
                const torch::Tensor ends = other->encode(pictures);
                strip = InterpolationPanel::composeStrip(
                    toQImages(other->decode(interpolationPath(ends[0], ends[1], n, mode), labels)));
            }
            others.append(strip);
        }
        return [show, frames, others] { show(frames, others); };
    });
}

void InterpolationController::addComparison(const QString &checkpointPath) {
    tasks_->run(tr("Reading %1 to compare").arg(QFileInfo(checkpointPath).fileName()),
                [this, checkpointPath, shape = dataShape()]() -> LatestWork::Show {
                    Comparison c = readComparison(checkpointPath, shape);
                    return [this, c = std::move(c)] {
                        comparisons_.push_back(c);
                        updateStrip();
                    };
                });
}

std::optional<std::array<int64_t, 3>> InterpolationController::dataShape() const {
    if (!data_)
        return std::nullopt;
    return std::array<int64_t, 3>{data_->channels(), data_->height(), data_->width()};
}

InterpolationController::Comparison
InterpolationController::readComparison(const QString &path,
                                        std::optional<std::array<int64_t, 3>> shape) {
    auto trainer = openModel(path.toStdString(), "cpu");
    FrozenModelPool pool;
    std::shared_ptr<const ExplorableModel> model = pool.freeze(trainer->model());
    if (shape && (model->channels() != (*shape)[0] || model->height() != (*shape)[1] ||
                  model->width() != (*shape)[2]))
        throw Error(path.toStdString() + ": this model was trained on " + model->imageShape() +
                    " images; the data shown here are " +
                    imageShapeText((*shape)[0], (*shape)[1], (*shape)[2]) + ".");
    const QString step =
        model->trainable() ? tr(", step %1").arg(trainer->steps()) : QString(); // not ours
    return {
        QStringLiteral("%1 (%2%3)")
            .arg(QFileInfo(path).fileName(), QString::fromStdString(model->description()), step),
        std::move(model)};
}

void InterpolationController::clearComparisons() {
    comparisons_.clear();
    updateStrip();
}

void InterpolationController::exportAnimation(const QString &path) {
    if (!snapshot_ || !hasBothEnds()) {
        Q_EMIT message(tr("Choose two ends first: there is no path to animate."));
        return;
    }
    constexpr int kFrames = 60;
    tasks_->run(tr("Writing %1").arg(QFileInfo(path).fileName()),
                [this, path, model = snapshot_->model, codes = pathCodes(kFrames),
                 labels = labelFor().expand({kFrames})]() -> LatestWork::Show {
                    const torch::Tensor frames = model->decode(codes, labels);
                    const int scale = std::max(1, 256 / int(frames.size(2)));
                    if (writeVideo(path.toStdString(), frames, 24.0, scale))
                        return [this, path] { Q_EMIT message(tr("Saved %1").arg(path)); };
                    // No MP4 encoder in this OpenCV build: numbered PNGs beside it instead.
                    const QString folder =
                        path.left(path.lastIndexOf(QLatin1Char('.'))) + "_frames";
                    writeImageSequence(folder.toStdString(), frames, scale);
                    return [this, folder] {
                        Q_EMIT message(
                            tr("No MP4 encoder here; saved the frames as PNGs in %1").arg(folder));
                    };
                });
}

void InterpolationController::updateMarks() {
    // One call for the ends and the path: under UMAP each code is placed among its nearest
    // items, a search best done once for all of them.
    std::vector<torch::Tensor> codes;
    for (const auto &end : ends_)
        if (end)
            codes.push_back(end->code);
    constexpr int kSegments = 40;
    if (hasBothEnds()) {
        const double lo = std::min(0.0, panel_->position()), hi = std::max(1.0, panel_->position());
        for (int i = 0; i <= kSegments; ++i)
            codes.push_back(codeAt(lo + (hi - lo) * i / kSegments));
        codes.push_back(codeAt(panel_->position()));
    }
    const QVector<QPointF> places =
        codes.empty() ? QVector<QPointF>() : projection_->projectAll(torch::stack(codes));
    int next = 0;
    std::optional<QPointF> a, b;
    if (ends_[0])
        a = places[next++];
    if (ends_[1])
        b = places[next++];
    plot_->setEnds(a, b);
    QVector<QPointF> path;
    std::optional<QPointF> marker;
    if (hasBothEnds()) {
        path = places.mid(next, kSegments + 1);
        marker = places.back();
    }
    plot_->setPath(path);
    plot_->setPathMarker(marker);
}

void InterpolationController::exportStrip(const QString &path) {
    const QImage strip = panel_->stripImage();
    if (strip.isNull()) {
        Q_EMIT message(tr("Choose two ends first: there is no strip to export."));
        return;
    }
    const int scale = std::max(1, 96 / std::max(1, strip.height()));
    if (strip.scaled(strip.size() * scale, Qt::KeepAspectRatio, Qt::FastTransformation).save(path))
        Q_EMIT message(tr("Saved %1").arg(path));
    else
        Q_EMIT message(tr("Could not write %1.").arg(path));
}

} // namespace latentlab
