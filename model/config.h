#pragma once
// ModelConfig: everything that defines a model and how it trains, in one value that is written
// to config.json and into every checkpoint, so a checkpoint can rebuild its own networks.
// ModelConfig::forKind() is the one home of each kind's defaults: the CLI and the window both
// start from it.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

namespace latentlab {

enum class ModelKind {
    Autoencoder,       // plain autoencoder, the baseline: no regularisation of the codes
    Aae,               // AAE, deterministic encoder
    AaeGaussian,       // AAE, Gaussian posterior with the reparameterisation trick
    AaeUniversal,      // AAE, universal approximator posterior: noise joins the input
    AaeSupervised,     // AAE with the one-hot label given to the decoder (style / content)
    Denoising,         // baseline: reconstruct clean images from ones with Gaussian noise added
    Dropout,           // baseline: dropout on the code
    Vae,               // baseline: Gaussian posterior, KL to the prior (Monte-Carlo for mixtures)
    Acai,              // ACAI: a critic predicts the mixing coefficient of decoded interpolants
    AaeSemiSupervised, // AAE, encoder emits a softmax y and a style z, each with a prior and a
                       // discriminator, plus cross-entropy on the labelled items
    AaeClustering,     // the same without labels: y has `clusters` heads
};

enum class Architecture { Mlp, Conv };

// "1x28x28": an image shape (channels x height x width) as every message writes it.
std::string imageShapeText(int64_t channels, int64_t height, int64_t width);

struct ModelConfig {
    // The defaults of one kind: ACAI takes the ACAI paper's squared error, linear output,
    // batch 64 and Adam 1e-4 for both players; the others keep the values below.
    static ModelConfig forKind(ModelKind kind);

    ModelKind kind = ModelKind::Aae;
    Architecture arch = Architecture::Mlp;
    std::string prior = "gaussian"; // see makePrior()
    bool labelConditioned = false;  // discriminator also sees the label (AAE paper, fig. 4)
    double labelledFraction = 1.0;  // share of items whose label is used when conditioned

    int latent = 2;         // code width
    int hidden = 1000;      // MLP hidden width (encoder, decoder)
    int discHidden = 1000;  // discriminator hidden width
    int noiseDim = 8;       // universal approximator: width of the noise joined to the input
    int convDepth = 16;     // conv: channels of the first level, doubled per level
    int convScales = 2;     // conv: number of 2x downsamplings
    int latentChannels = 2; // conv: channels of the latent map (code = channels * h * w)
    int clusters = 16;      // clustering AAE: heads of the categorical code

    // The images the networks are built for.
    int channels = 1;
    int height = 28;
    int width = 28;
    int numClasses = 10;

    std::string data = "lines"; // the data set spec it was trained on
    std::string loss = "bce";   // bce | mse
    // The decoder's output is the pixel value itself (clamped to [0, 1] when decoded), as in the
    // ACAI paper, instead of a sigmoid's logit. Only with mse: a sigmoid under a squared error
    // saturates on the dark background of lines and stalls training.
    bool linearOutput = false;
    int batch = 100;
    double lrRecon = 1e-3;
    double lrDisc = 6e-4;
    double lrGen = 6e-4;
    double adversarialWeight = 1.0;
    double noiseStd = 0.3;    // denoising: std of the input noise
    double codeDropout = 0.5; // dropout: probability of zeroing a code entry
    double acaiLambda = 0.5;  // ACAI: weight of the critic term in the autoencoder's loss
    double acaiGamma = 0.2;   // ACAI: mix of input and reconstruction the critic must call 0
    int acaiWarmup = 0;       // ACAI: steps over which lambda ramps up from 0 (the paper: none)
    // Clustering AAE: weight of KL(batch mean of q(y|x) || uniform) in the encoder's adversarial
    // phase. Not in the paper (0 there); without it the softmax saturates on a few clusters.
    double clusterBalance = 1.0;
    uint64_t seed = 1;
    std::string device = "auto";
    // A TorchScript model's file (model/nets/scriptedmodel.h): its networks come from there and
    // it is explored, never trained. Not written to files: LatentLab does not save such a model.
    std::string script;

    // Code width after the encoder (for conv, channels * spatial size of the latent map). The
    // categorical AAEs' code is [style z (latent) | softmax y (categories())].
    int codeSize() const;
    // Width of the categorical part y: numClasses (semi-supervised), clusters (clustering), or 0.
    int categories() const;
    // The images it takes, as imageShapeText() writes them ("1x28x28").
    std::string imageShape() const { return imageShapeText(channels, height, width); }
    // Width of the codes the prior is over: the style z for the categorical AAEs, else the code.
    int priorSize() const { return categories() > 0 ? latent : codeSize(); }
    // The AAE family: a discriminator on codes and an encoder trained to fool it.
    bool adversarial() const;
    // Encoders with a Gaussian posterior (mean and log-variance).
    bool gaussianPosterior() const {
        return kind == ModelKind::AaeGaussian || kind == ModelKind::Vae;
    }
    // The prior the codes are compared with: `prior`, or a standard Gaussian for a TorchScript
    // model that names none (its views then draw no prior).
    std::string priorSpec() const { return prior.empty() ? "gaussian" : prior; }
    // Throws Error naming the first invalid field.
    void validate() const;
    // A lower bound on the bytes of float32 weights the networks hold: a checkpoint smaller
    // than this cannot be what its configuration says (checked before anything is built).
    double minimumWeightBytes() const;

    // Key order is kept as written, so config.json reads in the order of the fields above.
    nlohmann::ordered_json toJson() const;
    std::string toJsonText() const; // indented by two spaces
    // Reads what toJson() wrote; fields missing from the object keep their defaults. Throws
    // Error naming the first field of the wrong type or out of range.
    static ModelConfig fromJson(const nlohmann::ordered_json &json);
    // Throws Error naming the position of a syntax error.
    static ModelConfig fromJsonText(const std::string &text);
};

std::string toString(ModelKind kind);
ModelKind modelKindFromString(const std::string &name); // throws Error
std::string toString(Architecture arch);
Architecture architectureFromString(const std::string &name); // throws Error

} // namespace latentlab
