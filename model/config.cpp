#include "model/config.h"

#include "model/error.h"

namespace latentlab {

namespace {

struct KindName {
    ModelKind kind;
    const char *name;
};

constexpr KindName kKindNames[] = {
    {ModelKind::Autoencoder, "ae"},
    {ModelKind::Aae, "aae"},
    {ModelKind::AaeGaussian, "aae-gaussian"},
    {ModelKind::AaeUniversal, "aae-universal"},
    {ModelKind::AaeSupervised, "aae-supervised"},
    {ModelKind::Denoising, "denoising"},
    {ModelKind::Dropout, "dropout"},
    {ModelKind::Vae, "vae"},
    {ModelKind::Acai, "acai"},
    {ModelKind::AaeSemiSupervised, "aae-semi"},
    {ModelKind::AaeClustering, "aae-cluster"},
};

} // namespace

std::string toString(ModelKind kind) {
    for (const auto &k : kKindNames)
        if (k.kind == kind)
            return k.name;
    return "?";
}

ModelKind modelKindFromString(const std::string &name) {
    for (const auto &k : kKindNames)
        if (name == k.name)
            return k.kind;
    throw Error("unknown model '" + name +
                "'; expected ae, denoising, dropout, vae, acai, aae, aae-gaussian, aae-universal, "
                "aae-supervised, aae-semi or aae-cluster.");
}

std::string toString(Architecture arch) {
    return arch == Architecture::Mlp ? "mlp" : "conv";
}

Architecture architectureFromString(const std::string &name) {
    if (name == "mlp")
        return Architecture::Mlp;
    if (name == "conv")
        return Architecture::Conv;
    throw Error("unknown architecture '" + name + "'; expected mlp or conv.");
}

bool ModelConfig::adversarial() const {
    return kind == ModelKind::Aae || kind == ModelKind::AaeGaussian ||
           kind == ModelKind::AaeUniversal || kind == ModelKind::AaeSupervised ||
           kind == ModelKind::AaeSemiSupervised || kind == ModelKind::AaeClustering;
}

int ModelConfig::categories() const {
    if (kind == ModelKind::AaeSemiSupervised)
        return numClasses;
    return kind == ModelKind::AaeClustering ? clusters : 0;
}

int ModelConfig::codeSize() const {
    if (arch == Architecture::Mlp)
        return latent + categories();
    const int factor = 1 << convScales;
    return latentChannels * (height / factor) * (width / factor);
}

void ModelConfig::validate() const {
    auto require = [](bool ok, const std::string &message) {
        if (!ok)
            throw Error(message);
    };
    require(latent >= 1 && latent <= 4096, "latent size must be between 1 and 4096.");
    require(hidden >= 1 && hidden <= 65536, "hidden width must be between 1 and 65536.");
    require(discHidden >= 1 && discHidden <= 65536,
            "discriminator width must be between 1 and 65536.");
    require(noiseDim >= 1 && noiseDim <= 4096, "noise width must be between 1 and 4096.");
    require(channels == 1 || channels == 3, "images must have 1 or 3 channels.");
    require(height >= 1 && width >= 1 && height <= 4096 && width <= 4096,
            "image size must be between 1 and 4096 pixels a side.");
    require(batch >= 1 && batch <= 1 << 20, "batch size must be at least 1.");
    require(labelledFraction >= 0 && labelledFraction <= 1,
            "labelled fraction must be between 0 and 1.");
    require(lrRecon > 0 && lrDisc > 0 && lrGen > 0, "learning rates must be positive.");
    require(adversarialWeight >= 0, "adversarial weight must not be negative.");
    require(loss == "bce" || loss == "mse", "loss must be bce or mse.");
    require(!linearOutput || loss == "mse", "a linear decoder output needs the mse loss.");
    require(noiseStd >= 0, "noise std must not be negative.");
    require(codeDropout >= 0 && codeDropout < 1, "code dropout must be in [0, 1).");
    require(acaiLambda >= 0 && acaiGamma >= 0 && acaiGamma <= 1,
            "ACAI lambda must be >= 0 and gamma in [0, 1].");
    require(acaiWarmup >= 0, "ACAI warm-up must not be negative.");
    require(clusterBalance >= 0, "cluster balance must not be negative.");
    if (arch == Architecture::Conv) {
        const int factor = 1 << convScales;
        require(convScales >= 0 && convScales <= 6, "conv scales must be between 0 and 6.");
        require(height % factor == 0 && width % factor == 0,
                "conv architecture: image size " + std::to_string(height) + "x" +
                    std::to_string(width) +
                    " is not divisible by 2^scales = " + std::to_string(factor) + ".");
        require(convDepth >= 1 && latentChannels >= 1, "conv depth and channels must be >= 1.");
    }
    if (kind == ModelKind::AaeSupervised || labelConditioned)
        require(numClasses >= 1, "this model needs labelled data (it uses the labels).");
    if (kind == ModelKind::AaeSemiSupervised)
        require(numClasses >= 2, "the semi-supervised AAE needs data with at least 2 classes.");
    if (kind == ModelKind::AaeClustering)
        require(clusters >= 2 && clusters <= 1024, "clusters must be between 2 and 1024.");
    if (categories() > 0) {
        require(arch == Architecture::Mlp,
                "the semi-supervised and clustering AAEs are built with --arch mlp only.");
        require(!labelConditioned, "the semi-supervised and clustering AAEs have their own "
                                   "categorical prior; drop --labels.");
    }
}

Json ModelConfig::toJson() const {
    Json j = Json::object();
    j.set("model", toString(kind));
    j.set("arch", toString(arch));
    j.set("prior", prior);
    j.set("label_conditioned", labelConditioned);
    j.set("labelled_fraction", labelledFraction);
    j.set("latent", latent);
    j.set("hidden", hidden);
    j.set("disc_hidden", discHidden);
    j.set("noise_dim", noiseDim);
    j.set("conv_depth", convDepth);
    j.set("conv_scales", convScales);
    j.set("latent_channels", latentChannels);
    j.set("clusters", clusters);
    j.set("channels", channels);
    j.set("height", height);
    j.set("width", width);
    j.set("num_classes", numClasses);
    j.set("data", data);
    j.set("loss", loss);
    j.set("linear_output", linearOutput);
    j.set("batch", batch);
    j.set("lr_recon", lrRecon);
    j.set("lr_disc", lrDisc);
    j.set("lr_gen", lrGen);
    j.set("adversarial_weight", adversarialWeight);
    j.set("noise_std", noiseStd);
    j.set("code_dropout", codeDropout);
    j.set("acai_lambda", acaiLambda);
    j.set("acai_gamma", acaiGamma);
    j.set("acai_warmup", acaiWarmup);
    j.set("cluster_balance", clusterBalance);
    j.set("seed", static_cast<int64_t>(seed));
    j.set("device", device);
    return j;
}

ModelConfig ModelConfig::fromJson(const Json &j) {
    if (!j.isObject())
        throw Error("the configuration is not a JSON object.");
    ModelConfig c;
    auto num = [&](const char *key, auto &field) {
        if (j.contains(key))
            field = static_cast<std::decay_t<decltype(field)>>(j[key].toDouble());
    };
    auto str = [&](const char *key, std::string &field) {
        if (j.contains(key))
            field = j[key].toString();
    };
    if (j.contains("model"))
        c.kind = modelKindFromString(j["model"].toString());
    if (j.contains("arch"))
        c.arch = architectureFromString(j["arch"].toString());
    str("prior", c.prior);
    if (j.contains("label_conditioned"))
        c.labelConditioned = j["label_conditioned"].toBool();
    num("labelled_fraction", c.labelledFraction);
    num("latent", c.latent);
    num("hidden", c.hidden);
    num("disc_hidden", c.discHidden);
    num("noise_dim", c.noiseDim);
    num("conv_depth", c.convDepth);
    num("conv_scales", c.convScales);
    num("latent_channels", c.latentChannels);
    num("clusters", c.clusters);
    num("channels", c.channels);
    num("height", c.height);
    num("width", c.width);
    num("num_classes", c.numClasses);
    str("data", c.data);
    str("loss", c.loss);
    if (j.contains("linear_output"))
        c.linearOutput = j["linear_output"].toBool();
    num("batch", c.batch);
    num("lr_recon", c.lrRecon);
    num("lr_disc", c.lrDisc);
    num("lr_gen", c.lrGen);
    num("adversarial_weight", c.adversarialWeight);
    num("noise_std", c.noiseStd);
    num("code_dropout", c.codeDropout);
    num("acai_lambda", c.acaiLambda);
    num("acai_gamma", c.acaiGamma);
    num("acai_warmup", c.acaiWarmup);
    // Checkpoints from before the balance term trained without it.
    c.clusterBalance = 0;
    num("cluster_balance", c.clusterBalance);
    num("seed", c.seed);
    str("device", c.device);
    return c;
}

} // namespace latentlab
