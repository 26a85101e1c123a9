#include "model/nets/autoencoder.h"

#include "model/data/dataset.h"
#include "model/device.h"
#include "model/error.h"

#include <torch/torch.h>

namespace latentlab {

AutoencoderImpl::AutoencoderImpl(const ModelConfig &config,
                                 std::shared_ptr<const ScriptedModel> script)
    : config_(config)
    , script_(config.script.empty() ? nullptr : std::move(script)) {
    config_.validate();
    const ModelConfig &c = config_;
    const bool gaussian = c.gaussianPosterior();
    const bool universal = c.kind == ModelKind::AaeUniversal;
    const bool supervised = c.kind == ModelKind::AaeSupervised;
    const int code = c.codeSize();
    const int pixels = c.channels * c.height * c.width;
    const int labelInputs = supervised ? c.numClasses : 0;

    if (!c.script.empty()) { // networks trained elsewhere: nothing to build
        if (!script_)
            script_ = ScriptedModel::open(c.script);
        if (script_->latentDim() != code || script_->channels() != c.channels ||
            script_->height() != c.height || script_->width() != c.width)
            throw Error(c.script + " changed on disk since it was opened; open it again.");
        encoderOutputs_ = code;
        return;
    }
    if (c.arch == Architecture::Mlp) {
        encoderOutputs_ = gaussian ? 2 * code : code;
        mlpEncoder_ = register_module(
            "encoder", Mlp(std::vector<int64_t>{pixels + (universal ? c.noiseDim : 0), c.hidden,
                                                c.hidden, encoderOutputs_}));
        mlpDecoder_ = register_module(
            "decoder", Mlp(std::vector<int64_t>{code + labelInputs, c.hidden, c.hidden, pixels}));
    } else {
        const int factor = 1 << c.convScales;
        const int outMaps = gaussian ? 2 * c.latentChannels : c.latentChannels;
        encoderOutputs_ = outMaps * (c.height / factor) * (c.width / factor);
        convEncoder_ =
            register_module("encoder", ConvEncoder(c.channels + (universal ? c.noiseDim : 0),
                                                   c.convDepth, c.convScales, outMaps));
        convDecoder_ = register_module("decoder", ConvDecoder(c.latentChannels, labelInputs,
                                                              c.convDepth, c.convScales, c.channels,
                                                              c.height / factor, c.width / factor));
    }
    if (c.kind == ModelKind::Acai) {
        // The ACAI paper's critic is the encoder's architecture followed by a mean.
        if (c.arch == Architecture::Mlp)
            mlpCritic_ =
                register_module("critic", Mlp(std::vector<int64_t>{pixels, c.hidden, c.hidden, 1}));
        else
            convCritic_ = register_module(
                "critic", ConvEncoder(c.channels, c.convDepth, c.convScales, c.latentChannels));
    }
    if (c.adversarial()) {
        const int condition = c.labelConditioned ? c.numClasses + 1 : 0;
        discriminator_ = register_module(
            "discriminator",
            Mlp(std::vector<int64_t>{c.priorSize() + condition, c.discHidden, c.discHidden, 1}));
    }
    if (const int k = c.categories(); k > 0)
        categoryDiscriminator_ = register_module(
            "category_discriminator", Mlp(std::vector<int64_t>{k, c.discHidden, c.discHidden, 1}));
}

torch::Tensor AutoencoderImpl::drawNoise(int64_t rows, at::Generator &gen) const {
    const ModelConfig &c = config_;
    if (script_)
        return {};
    if (c.kind == ModelKind::AaeUniversal)
        return torch::randn({rows, c.noiseDim}, gen, torch::kFloat);
    if (c.gaussianPosterior())
        return torch::randn({rows, c.codeSize()}, gen, torch::kFloat);
    return {};
}

EncodeOutput AutoencoderImpl::encode(const torch::Tensor &bytesOrPixels,
                                     const torch::Tensor &noise) {
    const ModelConfig &c = config_;
    const torch::Tensor images = pixels(bytesOrPixels); // the same tensor when already floats
    if (script_) {
        const torch::Tensor code = script_->encode(images);
        return {code, code, {}, {}};
    }
    torch::Tensor input = images;
    const int64_t n = images.size(0);
    if (c.kind == ModelKind::AaeUniversal) {
        const torch::Tensor given =
            noise.defined() ? noise : torch::zeros({n, c.noiseDim}, images.options());
        if (c.arch == Architecture::Mlp)
            input = torch::cat({images.flatten(1), given}, 1);
        else
            input = torch::cat(
                {images,
                 given.view({n, c.noiseDim, 1, 1}).expand({n, c.noiseDim, c.height, c.width})},
                1);
    }
    torch::Tensor out =
        c.arch == Architecture::Mlp ? mlpEncoder_->forward(input) : convEncoder_->forward(input);
    if (const int k = c.categories(); k > 0) {
        // [style z | logits of y]; the code carries softmax(y) so the decoder sees a category.
        const torch::Tensor style = out.narrow(1, 0, c.latent);
        const torch::Tensor logits = out.narrow(1, c.latent, k);
        const torch::Tensor code = torch::cat({style, torch::softmax(logits, 1)}, 1);
        return {code, code, {}, logits};
    }
    if (!c.gaussianPosterior())
        return {out, out, {}, {}};

    torch::Tensor mean, logVar;
    if (c.arch == Architecture::Mlp) {
        mean = out.narrow(1, 0, c.codeSize());
        logVar = out.narrow(1, c.codeSize(), c.codeSize());
    } else {
        // The encoder's maps are [mean maps | log-variance maps]; split them by channel.
        torch::Tensor maps = out.view({n, 2, -1});
        mean = maps.select(1, 0);
        logVar = maps.select(1, 1);
    }
    logVar = logVar.clamp(-12.0, 8.0);
    if (!noise.defined())
        return {mean, mean, logVar, {}};
    return {mean + torch::exp(0.5 * logVar) * noise, mean, logVar, {}};
}

torch::Tensor AutoencoderImpl::decodeLogits(const torch::Tensor &codes,
                                            const torch::Tensor &labels) {
    const ModelConfig &c = config_;
    if (script_)
        return script_->decodeRaw(codes);
    torch::Tensor extra;
    if (c.kind == ModelKind::AaeSupervised) {
        TORCH_CHECK(labels.defined(), "the supervised AAE decodes a code together with a label");
        extra = torch::one_hot(labels.clamp(0, c.numClasses - 1), c.numClasses)
                    .to(codes.dtype())
                    .to(codes.device());
    }
    if (c.arch == Architecture::Mlp) {
        torch::Tensor input = extra.defined() ? torch::cat({codes, extra}, 1) : codes;
        return mlpDecoder_->forward(input).view({codes.size(0), c.channels, c.height, c.width});
    }
    return convDecoder_->forward(codes, extra);
}

torch::Tensor AutoencoderImpl::decode(const torch::Tensor &codes, const torch::Tensor &labels) {
    const torch::Tensor raw = decodeLogits(codes, labels);
    return config_.linearOutput ? raw.clamp(0, 1) : torch::sigmoid(raw);
}

torch::Tensor AutoencoderImpl::outputImages(const torch::Tensor &raw) const {
    return config_.linearOutput ? raw : torch::sigmoid(raw);
}

torch::Tensor AutoencoderImpl::discriminate(const torch::Tensor &codes,
                                            const torch::Tensor &condition) {
    TORCH_CHECK(discriminator_, "this model has no discriminator");
    torch::Tensor input = condition.defined() ? torch::cat({codes, condition}, 1) : codes;
    return discriminator_->forward(input);
}

torch::Tensor AutoencoderImpl::discriminateCategory(const torch::Tensor &y) {
    TORCH_CHECK(categoryDiscriminator_, "this model has no categorical code");
    return categoryDiscriminator_->forward(y);
}

torch::Tensor AutoencoderImpl::critic(const torch::Tensor &images) {
    TORCH_CHECK(mlpCritic_ || convCritic_, "this model has no critic");
    const torch::Tensor out =
        mlpCritic_ ? mlpCritic_->forward(images) : convCritic_->forward(images);
    return out.mean(1);
}

std::vector<torch::Tensor> AutoencoderImpl::criticParameters() const {
    if (mlpCritic_)
        return mlpCritic_->parameters();
    return convCritic_ ? convCritic_->parameters() : std::vector<torch::Tensor>{};
}

std::vector<torch::Tensor> AutoencoderImpl::encoderParameters() const {
    if (script_)
        return {}; // its weights are the TorchScript module's, which LatentLab does not train
    return mlpEncoder_ ? mlpEncoder_->parameters() : convEncoder_->parameters();
}

std::vector<torch::Tensor> AutoencoderImpl::autoencoderParameters() const {
    if (script_)
        return {};
    std::vector<torch::Tensor> params = encoderParameters();
    auto dec = mlpDecoder_ ? mlpDecoder_->parameters() : convDecoder_->parameters();
    params.insert(params.end(), dec.begin(), dec.end());
    return params;
}

std::vector<torch::Tensor> AutoencoderImpl::discriminatorParameters() const {
    std::vector<torch::Tensor> params;
    for (const Mlp &d : {discriminator_, categoryDiscriminator_})
        if (d) {
            auto p = d->parameters();
            params.insert(params.end(), p.begin(), p.end());
        }
    return params;
}

} // namespace latentlab
