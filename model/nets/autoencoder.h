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

// The rows of a minibatch that one of several processes trains on (model/train/distributed.h).
// Random numbers are drawn for the whole minibatch and this share's rows kept, so that the
// processes together draw what one process alone would. The default is the whole minibatch.
struct BatchShare {
    int64_t offset = 0;
    int64_t total = 0; // rows of the whole minibatch; 0: the rows at hand are all of it

    // Rows to draw for a share of n rows.
    int64_t rows(int64_t n) const { return total > 0 ? total : n; }
    // This share's rows of something drawn for the whole minibatch.
    torch::Tensor mine(const torch::Tensor &whole, int64_t n) const {
        return total > 0 ? whole.narrow(0, offset, n) : whole;
    }
};

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

    // With a generator the stochastic encoders sample (training); without one they are
    // deterministic: the Gaussian posterior returns its mean and the universal approximator
    // is given zero noise (the noise's mean).
    // `share`: which rows of the minibatch `images` are (noise is drawn for all of them).
    EncodeOutput encode(const torch::Tensor &images, at::Generator *gen = nullptr,
                        const BatchShare &share = {});
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
