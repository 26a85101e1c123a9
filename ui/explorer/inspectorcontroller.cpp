#include "ui/explorer/inspectorcontroller.h"

#include "ui/explorer/nearestitems.h"
#include "ui/explorer/projection.h"
#include "ui/figures/imageconvert.h"
#include "ui/threads/failurereports.h"
#include "ui/threads/latestwork.h"
#include "widgets/imagepairview.h"
#include "widgets/scatter/latentplot.h"

#include <torch/torch.h>

namespace latentlab {

InspectorController::InspectorController(ImagePairView *view, LatentPlot *plot,
                                         const Projection *projection, FailureReports *failures,
                                         QObject *parent)
    : QObject(parent)
    , view_(view)
    , plot_(plot)
    , projection_(projection)
    , work_(new LatestWork(this, Yield::Pictures)) {
    connect(work_, &LatestWork::failed, failures, &FailureReports::report);
    connect(plot_, &LatentPlot::pointHovered, this, [this, failures](int index) {
        if (index >= 0)
            failures->guard([&] { showItem(index); });
    });
    connect(plot_, &LatentPlot::probed, this,
            [this, failures](QPointF at) { failures->guard([&] { probe(at); }); });
}

InspectorController::~InspectorController() {
    // The worker's thread ends here, while the views its results reach still exist.
    delete work_;
}

void InspectorController::reset(const Dataset *data, const QStringList &classNames, bool keep) {
    data_ = data;
    classNames_ = classNames;
    shown_.reset();
    if (keep)
        return;
    inspected_ = kNothing;
    view_->clear();
    plot_->setHighlighted({});
}

void InspectorController::forget() {
    work_->forget();
}

bool InspectorController::decoding() const {
    return work_->busy();
}

void InspectorController::setSnapshot(std::shared_ptr<const Snapshot> snapshot) {
    shown_ = std::move(snapshot);
    if (inspected_ >= 0)
        showItem(inspected_);
    else if (inspected_ == kProbe && projection_->invertible())
        probe(probed_);
}

void InspectorController::setProbeMode(bool on) {
    if (on && !projection_->invertible()) {
        Q_EMIT message(tr("The probe decodes a point of the view, and a point of a UMAP layout "
                          "is not a code: show principal components or dimensions to probe."));
        on = false;
    }
    plot_->setProbeMode(on);
}

void InspectorController::probe(QPointF position) {
    if (!shown_ || !data_ || !projection_->invertible())
        return;
    inspected_ = kProbe;
    probed_ = position;
    const int d = shown_->model->codeSize();
    work_->submit([this, model = shown_->model, codes = shown_->codes, images = data_->images,
                   code = projection_->codeAt(position, d), position] {
        const QImage image =
            toQImage(model->decode(code.unsqueeze(0), torch::zeros({1}, torch::kLong))[0]);
        const QString caption =
            tr("probe at (%1, %2)").arg(position.x(), 0, 'f', 2).arg(position.y(), 0, 'f', 2);
        NearestItems nearest = nearestItems(codes, images, code, ImagePairView::kMaxNeighbours);
        return [this, image, caption, nearest = std::move(nearest)] {
            view_->setImages(QImage(), image, caption);
            showNeighbours(tr("Nearest training items to the probe (distance in the code space):"),
                           nearest);
        };
    });
}

void InspectorController::showItem(int index) {
    if (!shown_ || !data_ || index < 0 || index >= shown_->codes.size(0))
        return;
    inspected_ = index;
    const Dataset &data = *data_;
    const torch::Tensor label =
        data.hasLabels() ? data.labels.slice(0, index, index + 1) : torch::zeros({1}, torch::kLong);
    work_->submit([this, index, snapshot = shown_, images = data.images, label,
                   labelled = data.hasLabels(), names = classNames_] {
        // Its row, or encoded when it has none (outside the live sample while training).
        const torch::Tensor code = snapshot->codeOf(index, images).unsqueeze(0);
        const QImage reconstruction = toQImage(snapshot->model->decode(code, label)[0]);
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
            nearestItems(snapshot->codes, images, code[0], ImagePairView::kMaxNeighbours, index);
        return [this, original = toQImage(images[index]), reconstruction, caption,
                nearest = std::move(nearest)] {
            view_->setImages(original, reconstruction, caption);
            showNeighbours(tr("Nearest neighbours in the code space (item, distance):"), nearest);
        };
    });
}

void InspectorController::showNeighbours(const QString &title, const NearestItems &nearest) {
    view_->setNeighbours(title, nearest.images, nearest.captions());
    plot_->setHighlighted(nearest.items);
    plot_->refreshMarks();
}

} // namespace latentlab
