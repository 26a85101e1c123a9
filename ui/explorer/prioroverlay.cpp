#include "ui/explorer/prioroverlay.h"

#include "ui/explorer/projection.h"
#include "ui/figures/imageconvert.h"
#include "widgets/palette.h"
#include "widgets/scatter/latentplot.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace latentlab {

namespace {

// Each component of a label-conditioned prior in its label's colour, fading to white where the
// density is low. Row 0 is the top of the range.
QImage tintedDensity(const Prior &prior, int grid, const QCPRange &xr, const QCPRange &yr) {
    const torch::Tensor xs = torch::linspace(xr.lower, xr.upper, grid);
    const torch::Tensor ys = torch::linspace(yr.upper, yr.lower, grid); // top row first
    auto mesh = torch::meshgrid({ys, xs}, "ij");
    const torch::Tensor points = torch::stack({mesh[1].flatten(), mesh[0].flatten()}, 1);
    const torch::Tensor parts = prior.componentDensity2d(points); // [grid*grid, K]
    const torch::Tensor total = parts.sum(1);
    const torch::Tensor weights = parts / total.clamp_min(1e-30).unsqueeze(1);
    torch::Tensor palette = torch::empty({parts.size(1), 3});
    for (int64_t k = 0; k < parts.size(1); ++k) {
        const QColor c = labelColor(int(k));
        palette[k] = torch::tensor({c.redF(), c.greenF(), c.blueF()}, torch::kFloat);
    }
    const torch::Tensor colour = weights.mm(palette); // [grid*grid, 3]
    const torch::Tensor alpha = (total / total.max()).pow(0.6).mul(0.55).unsqueeze(1);
    const torch::Tensor rgb = ((1 - alpha) + alpha * colour).clamp(0, 1);
    return toQImage(rgb.t().reshape({3, grid, grid}));
}

} // namespace

void PriorOverlay::setPrior(const Prior &prior, bool named, bool labelConditioned) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(7);
    const torch::Tensor samples = prior.sample(3000, gen).codes;
    samples_ = named ? samples : torch::Tensor();
    sampleX_.clear();
    sampleY_.clear();
    if (prior.dim() < 2 || !named) {
        plot_->setPriorExtent(QRectF());
        plot_->clearDensity();
        return;
    }
    // Cover where the prior has its mass, generously, so panning keeps the overlay.
    auto range = [](const torch::Tensor &v) {
        const double lo = v.quantile(0.001).item<double>(), hi = v.quantile(0.999).item<double>();
        const double pad = 0.6 * (hi - lo) + 0.5;
        return QCPRange(lo - pad, hi + pad);
    };
    const QCPRange xr = range(samples.select(1, 0)), yr = range(samples.select(1, 1));
    auto quantile = [&](int dim, double q) {
        return samples.select(1, dim).quantile(q).item<double>();
    };
    plot_->setPriorExtent(QRectF(QPointF(quantile(0, 0.005), quantile(1, 0.005)),
                                 QPointF(quantile(0, 0.995), quantile(1, 0.995))));
    constexpr int kGrid = 220;
    if (labelConditioned && prior.components() > 1) {
        plot_->setDensityImage(tintedDensity(prior, kGrid, xr, yr),
                               QRectF(QPointF(xr.lower, yr.lower), QPointF(xr.upper, yr.upper)));
        return;
    }
    const std::vector<double> d =
        prior.densityGrid(kGrid, kGrid, xr.lower, xr.upper, yr.lower, yr.upper);
    plot_->setDensity(kGrid, kGrid, xr, yr, QVector<double>(d.begin(), d.end()));
}

void PriorOverlay::project(const Projection &projection, int64_t codeSize) {
    // Under UMAP each sample would need a neighbour search on every frame.
    if (projection.kind() == Projection::Kind::Umap) {
        sampleX_.clear();
        sampleY_.clear();
    } else if (samples_.defined() && samples_.size(1) == codeSize) {
        projection.projectAll(samples_, sampleX_, sampleY_);
    }
    show(projection);
}

void PriorOverlay::show(const Projection &projection) {
    plot_->setPriorSamples(samplesVisible_ ? sampleX_ : QVector<double>(),
                           samplesVisible_ ? sampleY_ : QVector<double>());
    // The density is that of dims 0 and 1; other projections show the samples instead.
    const bool planeOfDensity = projection.kind() == Projection::Kind::Dimensions &&
                                projection.xDim() == 0 && projection.yDim() == 1;
    plot_->setDensityVisible(densityVisible_ && planeOfDensity);
}

} // namespace latentlab
