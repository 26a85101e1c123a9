#pragma once
// Off-screen figures for the command line: the latent scatter over the prior's density, drawn
// by the same LatentPlot the window uses, and saved as PNG. This is where tensors become the
// plain vectors widgets/ takes.

#include "model/nets/prior.h"

#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

class QApplication;

namespace latentlab {

// Drawing needs a QApplication. A program without one (latentlab-cli) holds one of these while
// it draws: an off-screen QApplication, with the C library's numbers kept in the "C" locale
// (QApplication sets them from the environment). Where one exists already it does nothing.
class OffscreenPictures {
public:
    OffscreenPictures();
    ~OffscreenPictures();
    OffscreenPictures(const OffscreenPictures &) = delete;
    OffscreenPictures &operator=(const OffscreenPictures &) = delete;

private:
    std::unique_ptr<QApplication> app_;
};

// The codes' dims 0 and 1, coloured by label (labels may be undefined), over the density of the
// prior's marginal on those dims. Needs a QApplication (OffscreenPictures). Throws Error naming
// the path when the PNG cannot be written.
void writeLatentFigure(const std::string &path, const torch::Tensor &codes,
                       const torch::Tensor &labels, const Prior &prior,
                       const std::vector<std::string> &classNames, const std::string &title);

} // namespace latentlab
