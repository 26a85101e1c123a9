#pragma once
// The building blocks: an MLP and the ACAI paper's convolutional encoder and decoder. All take
// and return flat codes [N, D] so that priors, discriminators and the explorer see one shape.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace latentlab {

// Linear layers of the given sizes with ReLU between them and nothing after the last.
// The input is flattened from dim 1 on.
class MlpImpl : public torch::nn::Module {
public:
    explicit MlpImpl(const std::vector<int64_t> &sizes);
    torch::Tensor forward(const torch::Tensor &x);

private:
    torch::nn::Sequential layers_;
};
TORCH_MODULE(Mlp);

// Per level: two 3x3 convolutions with leaky ReLU 0.2, then 2x2 average pooling; the channel
// count starts at `depth` and doubles per level. Ends in a 3x3 convolution to `outChannels`
// latent maps, returned flattened: [N, outChannels * (H / 2^scales) * (W / 2^scales)].
// Convolutions start from He initialisation for the leaky slope (both conv networks).
class ConvEncoderImpl : public torch::nn::Module {
public:
    ConvEncoderImpl(int inChannels, int depth, int scales, int outChannels);
    torch::Tensor forward(const torch::Tensor &x);

private:
    torch::nn::Sequential layers_;
};
TORCH_MODULE(ConvEncoder);

// Mirror of the encoder with nearest-neighbour upsampling. Takes [N, latentChannels * h * w]
// plus `extra` values per item (a one-hot label, or none) that join as constant channels.
// Returns logits [N, outChannels, h * 2^scales, w * 2^scales].
class ConvDecoderImpl : public torch::nn::Module {
public:
    ConvDecoderImpl(int latentChannels, int extra, int depth, int scales, int outChannels,
                    int latentHeight, int latentWidth);
    torch::Tensor forward(const torch::Tensor &code, const torch::Tensor &extra = {});

private:
    int latentChannels_, extra_, latentHeight_, latentWidth_;
    torch::nn::Sequential layers_;
};
TORCH_MODULE(ConvDecoder);

} // namespace latentlab
