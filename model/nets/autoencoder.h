#pragma once
// The networks of one model of the AAE family, built from a ModelConfig: encoder, decoder and,
// for adversarial kinds, the discriminator on codes (on the style z for the categorical AAEs,
// which have a second one on y). Sub-module names ("encoder", "decoder", "discriminator",
// "category_discriminator", "critic") are the checkpoint keys. A configuration with a `script`
// builds no networks: encode and decode run the TorchScript model's methods.

#include "model/config.h"
#include "model/nets/networks.h"
#include "model/nets/scriptedmodel.h"

#include <ATen/core/Generator.h>

namespace latentlab {

struct EncodeOutput {
    torch::Tensor code;        // [N, D]: what the decoder and the discriminator see
    torch::Tensor mean;        // Gaussian posterior: the mean (equals code otherwise)
    torch::Tensor logVar;      // Gaussian posterior only; undefined otherwise
    torch::Tensor classLogits; // categorical AAEs: the logits of y [N, K]; undefined otherwise
};

class AutoencoderImpl : public torch::nn::Module {
public:
    // A configuration with a `script` uses `script` when given (a model already loaded), else
    // loads the file.
    explicit AutoencoderImpl(const ModelConfig &config,
                             std::shared_ptr<const ScriptedModel> script = nullptr);

    // The stochastic encoders' noise for `rows` items, drawn on the host from `gen`: the
    // universal approximator's noise input [rows, noiseDim], or the Gaussian posterior's
    // standard normal eps [rows, codeSize]. Undefined for the deterministic encoders.
    torch::Tensor drawNoise(int64_t rows, at::Generator &gen) const;
    // With noise (from drawNoise, on the images' device) the stochastic encoders sample
    // (training); without it they are deterministic: the Gaussian posterior returns its mean
    // and the universal approximator is given zero noise (the noise's mean).
    EncodeOutput encode(const torch::Tensor &images, const torch::Tensor &noise = {});
    // The decoder's raw output: logits, or pixel values with config.linearOutput. labels (int64
    // [N]) are required by the supervised AAE and ignored otherwise.
    torch::Tensor decodeLogits(const torch::Tensor &codes, const torch::Tensor &labels = {});
    // Images in [0, 1].
    torch::Tensor decode(const torch::Tensor &codes, const torch::Tensor &labels = {});
    // The raw output as images for the losses: sigmoid(logits), or the linear output unclamped.
    torch::Tensor outputImages(const torch::Tensor &raw) const;
    // Logits of "this code came from the prior"; condition is the one-hot label with the extra
    // "no label" slot when the config is label-conditioned, else undefined.
    torch::Tensor discriminate(const torch::Tensor &codes, const torch::Tensor &condition = {});
    // Categorical AAEs: logits of "this y [N, K] came from the categorical prior".
    torch::Tensor discriminateCategory(const torch::Tensor &y);
    // ACAI: the critic's estimate of the mixing coefficient of images [N, C, H, W]: [N].
    torch::Tensor critic(const torch::Tensor &images);

    std::vector<torch::Tensor> encoderParameters() const;
    std::vector<torch::Tensor> autoencoderParameters() const;
    std::vector<torch::Tensor> discriminatorParameters() const;
    std::vector<torch::Tensor> criticParameters() const;
    const ModelConfig &config() const { return config_; }
    // The TorchScript model it runs, or null.
    const std::shared_ptr<const ScriptedModel> &script() const { return script_; }

private:
    ModelConfig config_;
    int encoderOutputs_;
    // A TorchScript model (config.script): encode and decode are its methods; nothing else.
    std::shared_ptr<const ScriptedModel> script_;
    Mlp mlpEncoder_{nullptr}, mlpDecoder_{nullptr}, discriminator_{nullptr};
    Mlp categoryDiscriminator_{nullptr};
    ConvEncoder convEncoder_{nullptr}, convCritic_{nullptr};
    Mlp mlpCritic_{nullptr};
    ConvDecoder convDecoder_{nullptr};
};
TORCH_MODULE(Autoencoder);

} // namespace latentlab
