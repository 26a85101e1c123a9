#include "model/nets/frozenmodel.h"

#include "model/data/dataset.h"

#include <torch/torch.h>

namespace latentlab {

namespace {
ModelConfig onCpu(ModelConfig c) {
    c.device = "cpu";
    return c;
}
} // namespace

FrozenModel::FrozenModel(const ModelConfig &config)
    : config_(onCpu(config))
    , model_(config_) {
    model_->eval();
}

void FrozenModel::copyWeightsFrom(Autoencoder &source) {
    torch::NoGradGuard noGrad;
    auto mine = model_->named_parameters();
    for (const auto &p : source->named_parameters())
        mine[p.key()].copy_(p.value(), /*non_blocking=*/false);
}

torch::Tensor FrozenModel::encode(const torch::Tensor &images) const {
    torch::NoGradGuard noGrad; // grad mode is per thread
    return model_->encode(pixels(images)).code;
}

torch::Tensor FrozenModel::decode(const torch::Tensor &codes, const torch::Tensor &labels) const {
    torch::NoGradGuard noGrad;
    return model_->decode(codes.to(torch::kFloat), labels);
}

std::string FrozenModel::description() const {
    return toString(config_.kind) + ", " + toString(config_.arch) + ", prior " +
           (config_.prior.empty() ? std::string("none") : config_.prior);
}

std::shared_ptr<const ExplorableModel> FrozenModelPool::freeze(Autoencoder &model) {
    if (model->script())
        return model->script();
    std::shared_ptr<FrozenModel> free;
    for (const auto &m : models_)
        if (m.use_count() == 1) { // the pool's own reference only: nobody reads it
            free = m;
            break;
        }
    if (!free) {
        free = std::make_shared<FrozenModel>(model->config());
        models_.push_back(free);
    }
    free->copyWeightsFrom(model);
    return free;
}

} // namespace latentlab
