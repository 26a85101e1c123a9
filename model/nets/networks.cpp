#include "model/nets/networks.h"

#include <torch/torch.h>

namespace latentlab {

namespace nn = torch::nn;

MlpImpl::MlpImpl(const std::vector<int64_t> &sizes) {
    TORCH_CHECK(sizes.size() >= 2, "an MLP needs an input and an output size");
    for (size_t i = 0; i + 1 < sizes.size(); ++i) {
        layers_->push_back(nn::Linear(sizes[i], sizes[i + 1]));
        if (i + 2 < sizes.size())
            layers_->push_back(nn::ReLU());
    }
    register_module("layers", layers_);
}

torch::Tensor MlpImpl::forward(const torch::Tensor &x) {
    return layers_->forward(x.flatten(1));
}

namespace {

nn::Conv2d conv3(int in, int out) {
    return nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1));
}

constexpr double kLeakySlope = 0.2;

nn::LeakyReLU leaky() {
    return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(kLeakySlope));
}

// He initialisation for leaky ReLU: weights ~ N(0, 2 / ((1 + 0.2^2) fan_in)), biases 0, so each
// layer keeps the variance of its input. LibTorch's default scales it by about 0.17 per layer:
// through the ten convolutions to a 2 x 2 code from 32 x 32 images the input is lost, the
// output is the biases alone, and training stalls at the mean image (tst_trainer).
void initLeaky(nn::Sequential &layers) {
    torch::NoGradGuard noGrad;
    for (const auto &module : layers->modules(/*include_self=*/false)) {
        if (auto *conv = module->as<nn::Conv2d>()) {
            nn::init::kaiming_normal_(conv->weight, kLeakySlope, torch::kFanIn, torch::kLeakyReLU);
            nn::init::zeros_(conv->bias);
        }
    }
}

} // namespace

ConvEncoderImpl::ConvEncoderImpl(int inChannels, int depth, int scales, int outChannels) {
    int channels = inChannels;
    for (int s = 0; s < scales; ++s) {
        const int width = depth << s;
        layers_->push_back(conv3(channels, width));
        layers_->push_back(leaky());
        layers_->push_back(conv3(width, width));
        layers_->push_back(leaky());
        layers_->push_back(nn::AvgPool2d(nn::AvgPool2dOptions(2)));
        channels = width;
    }
    layers_->push_back(conv3(channels, depth << scales));
    layers_->push_back(leaky());
    layers_->push_back(conv3(depth << scales, outChannels));
    initLeaky(layers_);
    register_module("layers", layers_);
}

torch::Tensor ConvEncoderImpl::forward(const torch::Tensor &x) {
    return layers_->forward(x).flatten(1);
}

ConvDecoderImpl::ConvDecoderImpl(int latentChannels, int extra, int depth, int scales,
                                 int outChannels, int latentHeight, int latentWidth)
    : latentChannels_(latentChannels)
    , extra_(extra)
    , latentHeight_(latentHeight)
    , latentWidth_(latentWidth) {
    int channels = latentChannels + extra;
    for (int s = scales - 1; s >= 0; --s) {
        const int width = depth << s;
        layers_->push_back(conv3(channels, width));
        layers_->push_back(leaky());
        layers_->push_back(conv3(width, width));
        layers_->push_back(leaky());
        layers_->push_back(nn::Upsample(nn::UpsampleOptions()
                                            .scale_factor(std::vector<double>{2.0, 2.0})
                                            .mode(torch::kNearest)));
        channels = width;
    }
    layers_->push_back(conv3(channels, depth));
    layers_->push_back(leaky());
    layers_->push_back(conv3(depth, outChannels));
    initLeaky(layers_);
    register_module("layers", layers_);
}

torch::Tensor ConvDecoderImpl::forward(const torch::Tensor &code, const torch::Tensor &extra) {
    torch::Tensor maps = code.view({code.size(0), latentChannels_, latentHeight_, latentWidth_});
    if (extra_ > 0) {
        TORCH_CHECK(extra.defined() && extra.size(1) == extra_, "decoder expects ", extra_,
                    " extra inputs per item");
        maps = torch::cat({maps, extra.view({extra.size(0), extra_, 1, 1})
                                     .expand({extra.size(0), extra_, latentHeight_, latentWidth_})},
                          1);
    }
    return layers_->forward(maps);
}

} // namespace latentlab
