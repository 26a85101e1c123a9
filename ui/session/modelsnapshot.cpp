#include "ui/session/modelsnapshot.h"

#include <torch/torch.h>

namespace latentlab {

namespace {
ModelConfig onCpu(ModelConfig c) {
    c.device = "cpu";
    return c;
}
} // namespace

ModelSnapshot::ModelSnapshot(const ModelConfig &config, std::shared_ptr<const ScriptedModel> script)
    : config_(onCpu(config))
    , model_(config_, std::move(script)) {
    model_->eval();
}

void ModelSnapshot::copyWeightsFrom(Autoencoder &source) {
    torch::NoGradGuard noGrad;
    auto mine = model_->named_parameters();
    for (const auto &p : source->named_parameters())
        mine[p.key()].copy_(p.value(), /*non_blocking=*/false);
}

torch::Tensor ModelSnapshot::encode(const torch::Tensor &images) const {
    torch::NoGradGuard noGrad; // grad mode is per thread
    return model_->encode(images.to(torch::kFloat)).code;
}

torch::Tensor ModelSnapshot::decode(const torch::Tensor &codes, const torch::Tensor &labels) const {
    torch::NoGradGuard noGrad;
    return model_->decode(codes.to(torch::kFloat), labels);
}

} // namespace latentlab
