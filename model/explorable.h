#pragma once
// ExplorableModel: what the explorer needs of a model, whatever made it: LatentLab's own
// networks, frozen while they train on (model/nets/frozenmodel.h), or a TorchScript module
// trained in Python (model/nets/scriptedmodel.h). The window shows, decodes and describes a
// model through this alone. Once made, a model is only read: encode() and decode() may run on
// several threads at once.

#include "model/config.h"

#include <torch/types.h>

#include <string>
#include <vector>

namespace latentlab {

class ExplorableModel {
public:
    virtual ~ExplorableModel() = default;

    // images [N, C, H, W], bytes (uint8) or floats in [0, 1] (model/data/dataset.h pixels()),
    // -> codes [N, D], float on the CPU. Deterministic: a
    // Gaussian posterior gives its mean, a universal approximator zero noise.
    virtual torch::Tensor encode(const torch::Tensor &images) const = 0;
    // codes [N, D] -> images [N, C, H, W] in [0, 1]. labels (int64 [N]) are read by the
    // supervised AAE, whose decoder takes a style and a label, and ignored by the others.
    virtual torch::Tensor decode(const torch::Tensor &codes,
                                 const torch::Tensor &labels = {}) const = 0;

    virtual int codeSize() const = 0;
    // The last entries of the code that are the categorical y of the semi-supervised and
    // clustering AAEs (the style z comes first), else 0.
    virtual int categories() const { return 0; }
    virtual int channels() const = 0;
    virtual int height() const = 0;
    virtual int width() const = 0;
    // "1x28x28"
    std::string imageShape() const { return imageShapeText(channels(), height(), width()); }
    // Names of the labels the model knows, where it names them (else empty).
    virtual std::vector<std::string> classNames() const { return {}; }
    // The prior the codes are pushed toward, as makePrior() takes it (model/nets/prior.h); empty
    // when the model names none.
    virtual std::string prior() const = 0;
    // The prior has a component per label, in the label's colour on the view.
    virtual bool labelConditioned() const { return false; }
    // LatentLab trains it (a TorchScript model is explored only).
    virtual bool trainable() const = 0;
    // What it is, for people: "aae, mlp, prior mixture10", "TorchScript".
    virtual std::string description() const = 0;
};

} // namespace latentlab
