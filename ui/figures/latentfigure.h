#pragma once
// Off-screen figures for the command line: the latent scatter over the prior's density, drawn
// by the same LatentPlot the window uses, and saved as PNG. This is where tensors become the
// plain vectors widgets/ takes.

#include "model/nets/prior.h"

#include <torch/types.h>

#include <string>
#include <vector>

namespace latentlab {

// The codes' dims 0 and 1, coloured by label (labels may be undefined), over the density of the
// prior's marginal on those dims. Creates an off-screen QApplication when none exists.
// Throws Error naming the path when the PNG cannot be written.
void writeLatentFigure(const std::string &path, const torch::Tensor &codes,
                       const torch::Tensor &labels, const Prior &prior,
                       const std::vector<std::string> &classNames, const std::string &title);

// The prior's 2-D density on an nx by ny grid over [x0, x1] x [y0, y1], row-major from the
// bottom-left, as LatentPlot::setDensity() takes it.
std::vector<double> priorDensityGrid(const Prior &prior, int nx, int ny, double x0, double x1,
                                     double y0, double y1);

} // namespace latentlab
