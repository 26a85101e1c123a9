#pragma once
// FrozenModel: a CPU copy of LatentLab's networks, frozen at one moment of training, to explore
// while the model trains on elsewhere: interactive decoding needs no lock against the trainer.
// After the copy it is only read; encode() and decode() may run on any thread.

#include "model/explorable.h"
#include "model/nets/autoencoder.h"

#include <memory>
#include <vector>

namespace latentlab {

class FrozenModel : public ExplorableModel {
public:
    // Networks for `config` (not a TorchScript configuration), on the CPU, weights unset.
    explicit FrozenModel(const ModelConfig &config);

    // Copies every weight of `source` (same configuration, any device). Only while no other
    // thread reads it.
    void copyWeightsFrom(Autoencoder &source);

    torch::Tensor encode(const torch::Tensor &images) const override;
    torch::Tensor decode(const torch::Tensor &codes,
                         const torch::Tensor &labels = {}) const override;
    int codeSize() const override { return config_.codeSize(); }
    int categories() const override { return config_.categories(); }
    int channels() const override { return config_.channels; }
    int height() const override { return config_.height; }
    int width() const override { return config_.width; }
    std::string prior() const override { return config_.prior; }
    bool labelConditioned() const override { return config_.labelConditioned; }
    bool trainable() const override { return true; }
    std::string description() const override;

    const ModelConfig &config() const { return config_; }

private:
    ModelConfig config_;
    mutable Autoencoder model_;
};

// Frozen copies of one model's networks as it trains: a copy that nobody but the pool holds any
// more is overwritten instead of a new one made, so a session makes a handful in all.
class FrozenModelPool {
public:
    // What to explore `model` through as it is now: a TorchScript model, whose weights never
    // change, is its own; LatentLab's networks are copied into a free FrozenModel.
    std::shared_ptr<const ExplorableModel> freeze(Autoencoder &model);

private:
    std::vector<std::shared_ptr<FrozenModel>> models_;
};

} // namespace latentlab
