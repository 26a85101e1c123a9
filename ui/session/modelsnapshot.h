#pragma once
// ModelSnapshot: a frozen CPU copy of a model's networks that the interface encodes and decodes
// with while training goes on elsewhere, so interactive decoding needs no lock against the
// trainer. After publication it is only read; encode() and decode() may run on any thread.

#include "model/config.h"
#include "model/nets/autoencoder.h"

#include <torch/types.h>

namespace latentlab {

class ModelSnapshot {
public:
    // A TorchScript model's snapshot shares `script`, the trainer's (its weights never change).
    explicit ModelSnapshot(const ModelConfig &config,
                           std::shared_ptr<const ScriptedModel> script = nullptr);

    // Copies every weight of `source` (same configuration, any device). Only while unpublished.
    void copyWeightsFrom(Autoencoder &source);

    // images [N, C, H, W] in [0, 1] -> codes [N, D]. Deterministic (see Autoencoder::encode).
    torch::Tensor encode(const torch::Tensor &images) const;
    // codes [N, D] -> images [N, C, H, W] in [0, 1]; labels are used by the supervised AAE.
    torch::Tensor decode(const torch::Tensor &codes, const torch::Tensor &labels = {}) const;

    const ModelConfig &config() const { return config_; }
    int codeSize() const { return config_.codeSize(); }

private:
    ModelConfig config_;
    mutable Autoencoder model_;
};

} // namespace latentlab
