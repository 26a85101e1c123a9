#pragma once
// PriorOverlay: the prior the codes are pushed toward, drawn under the scatter. Its density on
// code dims 0 and 1 (each component of a label-conditioned prior in its label's colour), shown
// only while the view is of those two dims, and 3,000 of its samples drawn through the view's
// projection (none under UMAP, whose layout says nothing of where the prior puts its mass).
// GUI thread only.

#include "model/nets/prior.h"

#include <QVector>
#include <torch/types.h>

namespace latentlab {

class LatentPlot;
class Projection;

class PriorOverlay {
public:
    explicit PriorOverlay(LatentPlot *plot)
        : plot_(plot) {}

    // A new model's prior: its samples (seed 7, the same every time) and, when it has two dims
    // or more, its density on a 220 x 220 grid over where it has its mass. `named`: the model
    // names its prior (a TorchScript model may not); an unnamed one is not drawn.
    void setPrior(const Prior &prior, bool named, bool labelConditioned);
    // The samples through this projection of codes of `codeSize` dims, then show().
    void project(const Projection &projection, int64_t codeSize);
    void setDensityVisible(bool visible) { densityVisible_ = visible; }
    void setSamplesVisible(bool visible) { samplesVisible_ = visible; }
    // Puts what is visible on the plot for this projection; the caller refreshes the plot.
    void show(const Projection &projection);

private:
    LatentPlot *plot_;
    bool densityVisible_ = true;
    bool samplesVisible_ = false;
    torch::Tensor samples_; // undefined when the prior is not drawn
    QVector<double> sampleX_, sampleY_;
};

} // namespace latentlab
