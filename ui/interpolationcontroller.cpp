#include "ui/interpolationcontroller.h"

#include "model/interpolation.h"
#include "ui/imageconvert.h"
#include "ui/projection.h"
#include "widgets/interpolationpanel.h"
#include "widgets/latentplot.h"

#include <QFileDialog>
#include <torch/torch.h>

namespace latentlab {

InterpolationController::InterpolationController(LatentPlot *plot, InterpolationPanel *panel,
                                                 const Projection *projection, QObject *parent)
    : QObject(parent)
    , plot_(plot)
    , panel_(panel)
    , projection_(projection) {
    connect(panel_, &InterpolationPanel::positionChanged, this, [this] {
        updatePreview();
        updateMarks();
        plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(panel_, &InterpolationPanel::settingsChanged, this, [this] {
        updateStrip();
        updateMarks();
        plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(panel_, &InterpolationPanel::exportStripRequested, this,
            &InterpolationController::exportStrip);
    connect(plot_, &LatentPlot::endMoved, this, &InterpolationController::moveEnd);
}

void InterpolationController::reset(const Dataset *data) {
    data_ = data;
    snapshot_.reset();
    ends_[0].reset();
    ends_[1].reset();
    nextEnd_ = 0;
    panel_->setStrip({});
    panel_->setPreview(QImage());
    panel_->setEndsText(tr("Click two points on the scatter: the first is A, the second B."));
    updateMarks();
}

void InterpolationController::setSnapshot(std::shared_ptr<const Snapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    for (auto &end : ends_)
        if (end && end->item >= 0 && end->item < snapshot_->codes.size(0))
            end->code = snapshot_->codes[end->item].clone();
    updatePreview();
    updateStrip();
    updateMarks();
}

void InterpolationController::pickItem(int index, bool asB) {
    if (!snapshot_ || index < 0 || index >= snapshot_->codes.size(0))
        return;
    const int which = asB ? 1 : nextEnd_;
    ends_[which] = End{index, snapshot_->codes[index].clone()};
    nextEnd_ = which == 0 ? 1 : 0;
    auto describe = [this](int w) {
        if (!ends_[w])
            return tr("not chosen");
        return ends_[w]->item >= 0 ? tr("item %1").arg(ends_[w]->item) : tr("a dragged code");
    };
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
    End &end = *ends_[which];
    end.item = -1; // a free code now: it no longer follows an item
    end.code = projection_->moveTo(end.code, position);
    updatePreview();
    updateStrip();
    updateMarks();
}

torch::Tensor InterpolationController::codeAt(double t) const {
    const InterpolationMode mode =
        panel_->spherical() ? InterpolationMode::Spherical : InterpolationMode::Linear;
    return interpolate(ends_[0]->code, ends_[1]->code, t, mode);
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

void InterpolationController::updatePreview() {
    const torch::Tensor image = decodeAt(panel_->position());
    if (image.defined())
        panel_->setPreview(toQImage(image));
}

void InterpolationController::updateStrip() {
    if (!snapshot_ || !hasBothEnds())
        return;
    const int n = panel_->frames();
    const InterpolationMode mode =
        panel_->spherical() ? InterpolationMode::Spherical : InterpolationMode::Linear;
    const torch::Tensor path = interpolationPath(ends_[0]->code, ends_[1]->code, n, mode);
    const torch::Tensor labels = labelFor().expand({n});
    panel_->setStrip(toQImages(snapshot_->model->decode(path, labels)));
}

void InterpolationController::updateMarks() {
    auto project = [this](const torch::Tensor &code) { return projection_->project(code); };
    std::optional<QPointF> a, b;
    if (ends_[0])
        a = project(ends_[0]->code);
    if (ends_[1])
        b = project(ends_[1]->code);
    plot_->setEnds(a, b);
    QVector<QPointF> path;
    std::optional<QPointF> marker;
    if (hasBothEnds()) {
        const double lo = std::min(0.0, panel_->position()), hi = std::max(1.0, panel_->position());
        constexpr int kSegments = 40;
        for (int i = 0; i <= kSegments; ++i)
            path << project(codeAt(lo + (hi - lo) * i / kSegments));
        marker = project(codeAt(panel_->position()));
    }
    plot_->setPath(path);
    plot_->setPathMarker(marker);
}

void InterpolationController::exportStrip() {
    const QImage strip = panel_->stripImage();
    if (strip.isNull()) {
        Q_EMIT message(tr("Choose two ends first: there is no strip to export."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        panel_, tr("Export strip"), QStringLiteral("interpolation.png"), tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    const int scale = std::max(1, 96 / std::max(1, strip.height()));
    if (strip.scaled(strip.size() * scale, Qt::KeepAspectRatio, Qt::FastTransformation).save(path))
        Q_EMIT message(tr("Saved %1").arg(path));
    else
        Q_EMIT message(tr("Could not write %1.").arg(path));
}

} // namespace latentlab
