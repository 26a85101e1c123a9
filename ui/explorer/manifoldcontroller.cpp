#include "ui/explorer/manifoldcontroller.h"

#include "ui/explorer/projection.h"
#include "ui/figures/imageconvert.h"
#include "ui/threads/failure.h"
#include "ui/threads/failurereports.h"
#include "ui/threads/latestwork.h"
#include "widgets/scatter/latentplot.h"

#include <torch/torch.h>

namespace latentlab {

namespace {
constexpr int kTiles = 16; // per side: 256 decodes in one batch
} // namespace

ManifoldController::ManifoldController(LatentPlot *plot, const Projection *projection,
                                       FailureReports *failures, QObject *parent)
    : QObject(parent)
    , plot_(plot)
    , projection_(projection)
    , failures_(failures)
    , work_(new LatestWork(this, Yield::Background)) {
    connect(work_, &LatestWork::failed, failures, &FailureReports::report);
    rest_.setObjectName(QStringLiteral("manifoldTimer")); // the name in profiles (the soak)
    rest_.setSingleShot(true);
    rest_.setInterval(80);
    connect(&rest_, &QTimer::timeout, this, [this] { failures_->guard([this] { update(); }); });
    connect(plot_->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this] {
        if (visible_)
            rest_.start();
    });
}

ManifoldController::~ManifoldController() {
    // The worker's thread ends here, while the plot its results reach still exists.
    delete work_;
}

void ManifoldController::setVisible(bool visible) {
    if (visible && !projection_->invertible()) {
        Q_EMIT message(tr("The manifold map decodes the points of the view, and a point of a "
                          "UMAP layout is not a code: show principal components or dimensions "
                          "to see it."));
        visible = false;
    }
    visible_ = visible;
    if (visible)
        failures_->guard([this] { update(); });
    else
        plot_->setTiles(QImage(), {});
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ManifoldController::setSnapshot(std::shared_ptr<const Snapshot> snapshot) {
    shown_ = std::move(snapshot);
    // While training runs the map is redrawn a few times a second at most.
    if (visible_ && (!age_.isValid() || age_.elapsed() > 250))
        update();
}

void ManifoldController::projectionChanged() {
    if (visible_ && !projection_->invertible())
        setVisible(false);
    else if (visible_)
        update();
}

void ManifoldController::forget() {
    work_->forget();
    shown_.reset();
}

void ManifoldController::update() {
    if (!shown_ || !visible_ || !projection_->invertible())
        return;
    age_.start();
    const QCPRange xr = plot_->xAxis->range(), yr = plot_->yAxis->range();
    const int d = shown_->model->codeSize();
    std::vector<torch::Tensor> codes;
    for (int row = 0; row < kTiles; ++row) // row 0 at the top of the view
        for (int col = 0; col < kTiles; ++col)
            codes.push_back(
                projection_->codeAt(QPointF(xr.lower + (col + 0.5) * xr.size() / kTiles,
                                            yr.upper - (row + 0.5) * yr.size() / kTiles),
                                    d));
    // 256 decodes are too long for the GUI thread (docs/RELIABILITY.md, "What the GUI thread
    // can afford"). The snapshot's model is frozen and may decode on any thread; holding it
    // keeps the session's pool from reusing it meanwhile.
    const QRectF region(QPointF(xr.lower, yr.lower), QPointF(xr.upper, yr.upper));
    work_->submit(
        [this, model = shown_->model, batch = torch::stack(codes), region]() -> LatestWork::Show {
            faultPoint("manifold");
            const torch::Tensor images =
                model->decode(batch, torch::zeros({batch.size(0)}, torch::kLong));
            const int h = int(images.size(2)), w = int(images.size(3));
            // [rows, cols, C, h, w] -> one picture [C, rows*h, cols*w]
            const torch::Tensor mosaic = images.view({kTiles, kTiles, images.size(1), h, w})
                                             .permute({2, 0, 3, 1, 4})
                                             .reshape({images.size(1), kTiles * h, kTiles * w});
            return [this, image = toQImage(mosaic), region] {
                if (visible_)
                    plot_->setTiles(image, region);
                plot_->replot(QCustomPlot::rpQueuedReplot);
            };
        });
}

} // namespace latentlab
