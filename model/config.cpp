#include "model/config.h"

#include "model/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace latentlab {

using nlohmann::ordered_json;

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

std::string imageShapeText(int64_t channels, int64_t height, int64_t width) {
    return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
}

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

ModelConfig ModelConfig::forKind(ModelKind kind) {
    ModelConfig c;
    c.kind = kind;
    if (kind == ModelKind::Acai) {
        c.lrRecon = 1e-4;
        c.lrDisc = 1e-4;
        c.batch = 64;
        c.loss = "mse";
        c.linearOutput = true;
    }
    return c;
}

double ModelConfig::minimumWeightBytes() const {
    // The decoder alone: MLP hidden -> hidden -> pixels; conv, the two 3x3 convolutions of its
    // widest level. Float32 weights.
    const double pixels = double(channels) * height * width;
    if (arch == Architecture::Mlp)
        return 4.0 * (double(hidden) * hidden + double(hidden) * pixels);
    const double widest = std::ldexp(double(convDepth), std::clamp(convScales, 0, 6));
    return 4.0 * 2 * 9 * widest * widest;
}

int ModelConfig::codeSize() const {
    if (arch == Architecture::Mlp)
        return latent + categories();
    if (convScales < 0 || convScales > 6) // validate() says so; no shift out of range here
        return 0;
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
    require(script.empty() || kind == ModelKind::Autoencoder,
            "a TorchScript model is described as a plain autoencoder.");
    require(!prior.empty() || !script.empty(), "the prior must be named.");
    if (arch == Architecture::Conv) {
        require(convScales >= 0 && convScales <= 6, "conv scales must be between 0 and 6.");
        const int factor = 1 << convScales;
        require(height % factor == 0 && width % factor == 0,
                "conv architecture: image size " + std::to_string(height) + "x" +
                    std::to_string(width) +
                    " is not divisible by 2^scales = " + std::to_string(factor) + ".");
        require(convDepth >= 1 && convDepth <= 4096 && latentChannels >= 1 &&
                    latentChannels <= 4096,
                "conv depth and latent channels must be between 1 and 4096.");
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

ordered_json ModelConfig::toJson() const {
    ordered_json j = ordered_json::object();
    j["model"] = toString(kind);
    j["arch"] = toString(arch);
    j["prior"] = prior;
    j["label_conditioned"] = labelConditioned;
    j["labelled_fraction"] = labelledFraction;
    j["latent"] = latent;
    j["hidden"] = hidden;
    j["disc_hidden"] = discHidden;
    j["noise_dim"] = noiseDim;
    j["conv_depth"] = convDepth;
    j["conv_scales"] = convScales;
    j["latent_channels"] = latentChannels;
    j["clusters"] = clusters;
    j["channels"] = channels;
    j["height"] = height;
    j["width"] = width;
    j["num_classes"] = numClasses;
    j["data"] = data;
    j["loss"] = loss;
    j["linear_output"] = linearOutput;
    j["batch"] = batch;
    j["lr_recon"] = lrRecon;
    j["lr_disc"] = lrDisc;
    j["lr_gen"] = lrGen;
    j["adversarial_weight"] = adversarialWeight;
    j["noise_std"] = noiseStd;
    j["code_dropout"] = codeDropout;
    j["acai_lambda"] = acaiLambda;
    j["acai_gamma"] = acaiGamma;
    j["acai_warmup"] = acaiWarmup;
    j["cluster_balance"] = clusterBalance;
    j["seed"] = seed;
    j["device"] = device;
    return j;
}

std::string ModelConfig::toJsonText() const {
    return toJson().dump(2);
}

namespace {

// Typed reads of one optional field; a field of another type is an Error that names it.
class FieldReader {
public:
    explicit FieldReader(const ordered_json &j)
        : j_(j) {}

    const ordered_json *find(const char *key) const {
        const auto it = j_.find(key);
        return it == j_.end() || it->is_null() ? nullptr : &*it;
    }
    void text(const char *key, std::string &field) const {
        if (const ordered_json *v = find(key)) {
            if (!v->is_string())
                fail(key, "text");
            field = v->get<std::string>();
        }
    }
    void flag(const char *key, bool &field) const {
        if (const ordered_json *v = find(key)) {
            if (v->is_boolean())
                field = v->get<bool>();
            else if (v->is_number()) // the hand-written JSON of version 0.1 read numbers too
                field = v->get<double>() != 0;
            else
                fail(key, "true or false");
        }
    }
    void real(const char *key, double &field) const {
        if (const ordered_json *v = find(key)) {
            if (!v->is_number())
                fail(key, "a number");
            field = v->get<double>();
        }
    }
    template <typename Int> void whole(const char *key, Int &field) const {
        const ordered_json *v = find(key);
        if (!v)
            return;
        using Limits = std::numeric_limits<Int>;
        bool ok = false;
        if (v->is_number_unsigned()) {
            const uint64_t u = v->get<uint64_t>();
            ok = u <= uint64_t(Limits::max());
            field = ok ? Int(u) : field;
        } else if (v->is_number_integer()) { // negative
            const int64_t i = v->get<int64_t>();
            ok = Limits::is_signed && i >= int64_t(Limits::min());
            field = ok ? Int(i) : field;
        } else if (v->is_number_float()) {
            // Version 0.1 wrote whole numbers from 1e15 on with an exponent. The range is checked
            // before the cast: converting an out-of-range double is undefined.
            const double d = v->get<double>(), bound = std::ldexp(1.0, Limits::digits);
            ok = std::isfinite(d) && d == std::floor(d) && d < bound &&
                 d >= (Limits::is_signed ? -bound : 0.0);
            field = ok ? Int(d) : field;
        }
        if (!ok)
            fail(key, "a whole number in range");
    }

private:
    [[noreturn]] static void fail(const char *key, const char *what) {
        throw Error(std::string("'") + key + "' must be " + what + ".");
    }
    const ordered_json &j_;
};

} // namespace

ModelConfig ModelConfig::fromJson(const ordered_json &j) {
    if (!j.is_object())
        throw Error("the configuration is not a JSON object.");
    const FieldReader r(j);
    ModelConfig c;
    std::string name;
    r.text("model", name);
    if (!name.empty())
        c.kind = modelKindFromString(name);
    name.clear();
    r.text("arch", name);
    if (!name.empty())
        c.arch = architectureFromString(name);
    r.text("prior", c.prior);
    r.flag("label_conditioned", c.labelConditioned);
    r.real("labelled_fraction", c.labelledFraction);
    r.whole("latent", c.latent);
    r.whole("hidden", c.hidden);
    r.whole("disc_hidden", c.discHidden);
    r.whole("noise_dim", c.noiseDim);
    r.whole("conv_depth", c.convDepth);
    r.whole("conv_scales", c.convScales);
    r.whole("latent_channels", c.latentChannels);
    r.whole("clusters", c.clusters);
    r.whole("channels", c.channels);
    r.whole("height", c.height);
    r.whole("width", c.width);
    r.whole("num_classes", c.numClasses);
    r.text("data", c.data);
    r.text("loss", c.loss);
    r.flag("linear_output", c.linearOutput);
    r.whole("batch", c.batch);
    r.real("lr_recon", c.lrRecon);
    r.real("lr_disc", c.lrDisc);
    r.real("lr_gen", c.lrGen);
    r.real("adversarial_weight", c.adversarialWeight);
    r.real("noise_std", c.noiseStd);
    r.real("code_dropout", c.codeDropout);
    r.real("acai_lambda", c.acaiLambda);
    r.real("acai_gamma", c.acaiGamma);
    r.whole("acai_warmup", c.acaiWarmup);
    // A configuration without cluster_balance was trained without the term.
    c.clusterBalance = 0;
    r.real("cluster_balance", c.clusterBalance);
    r.whole("seed", c.seed);
    r.text("device", c.device);
    return c;
}

ModelConfig ModelConfig::fromJsonText(const std::string &text) {
    ordered_json j;
    try {
        j = ordered_json::parse(text);
    } catch (const nlohmann::json::parse_error &e) {
        throw Error("JSON: syntax error at byte " + std::to_string(e.byte) + ".");
    } catch (const nlohmann::json::exception &e) { // a number out of range (fuzz_config)
        throw Error(std::string("JSON: ") + e.what() + ".");
    }
    return fromJson(j);
}

} // namespace latentlab
