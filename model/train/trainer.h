#pragma once
// Trainer: one model of the AAE family with its optimisers, trained one minibatch per step().
// step() runs the AAE paper's two phases: reconstruction (encoder and decoder), then
// regularisation (the discriminator on prior samples against codes, then the encoder as the
// generator that fools it). Nothing loops behind the caller's back: the CLI and the GUI's
// session thread decide when to step.
//
// Randomness comes from a generator seeded by (seed, step), so the same seed on the same device
// gives the same losses, and a run resumed from a checkpoint continues exactly.
//
// Divergence: every setRollbackInterval() steps (200) the trainer keeps its weights, optimiser
// states and step count in memory. A step whose loss is not finite puts that state back before it
// throws, so what is saved afterwards is the last good model, never NaN weights. Not thread-safe:
// one thread owns a Trainer.

#include "model/config.h"
#include "model/data/dataset.h"
#include "model/error.h"
#include "model/nets/autoencoder.h"
#include "model/nets/prior.h"
#include "model/train/adam.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace latentlab {

class ProcessGroup;
class StepGraph;

// Tensors by name (the same type as in model/io/tensorfile.h, which writes them to files).
using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// A loss that is not finite: the trainer has put back its last good state (or had none kept).
class DivergenceError : public Error {
public:
    using Error::Error;
};

struct StepLosses {
    int64_t step = 0; // the step these losses belong to (1 for the first)
    std::vector<std::pair<std::string, double>> values;

    double value(const std::string &name) const; // NaN when absent
};

class Trainer {
public:
    // Builds the networks (initialised from config.seed) and optimisers on config.device.
    // Throws Error for an invalid configuration or device.
    // A configuration with a `script` runs `script` (already loaded) or loads that file.
    explicit Trainer(const ModelConfig &config,
                     std::shared_ptr<const ScriptedModel> script = nullptr);
    ~Trainer();

    // The data to train on; its image shape must match the configuration. Throws Error.
    void setData(Dataset data);
    bool hasData() const { return data_.size() > 0; }
    const Dataset &data() const { return data_; }

    // One minibatch. Throws Error when there is no data, and DivergenceError when a loss is not
    // finite, after restoring the last good state; its message names the loss, the step and the
    // step restored.
    StepLosses step();
    int64_t steps() const { return steps_; }

    // Steps between the in-memory copies kept for a rollback (default 200); 0 keeps none.
    void setRollbackInterval(int64_t steps) { rollbackInterval_ = steps; }
    // The step of the state a divergence would restore, or -1 when none is kept.
    int64_t rollbackStep() const { return goodState_.empty() ? -1 : goodStep_; }
    // Items whose label training uses (all labelled items unless a labelled fraction hides some).
    int64_t labelledItems() const { return labelledItems_.defined() ? labelledItems_.numel() : 0; }

    std::vector<std::string> lossNames() const;
    const ModelConfig &config() const { return config_; }
    torch::Device device() const { return device_; }
    const Prior &prior() const { return *prior_; }
    Autoencoder &model() { return model_; }
    const Autoencoder &model() const { return model_; }

    // Trains as one of several processes (model/train/distributed.h): each step takes this
    // process's share of the minibatch and averages every phase's gradients with the others
    // before the optimiser steps; reported losses are the mean over the processes. Starts from
    // process 0's weights (a broadcast), as PyTorch's DistributedDataParallel does. The
    // minibatch must split evenly over the processes (step() says so when it does not).
    // Throws Error when another process is gone.
    void setProcessGroup(std::shared_ptr<ProcessGroup> group);

    // CUDA graphs (model/train/stepgraph.h): on a CUDA device, trained by one process, the
    // whole step (every phase's forward, backward and optimiser update) is captured once its
    // shapes are settled, after two eager steps, and replayed from then on with each step's
    // inputs copied in; a new batch size, data set or state (a rollback, a checkpoint) captures
    // it anew. Elsewhere (the CPU, several processes, a build without CUDA, the VAE with a
    // prior other than a Gaussian) the steps stay eager. Off by default. When a capture fails
    // the steps go on eagerly.
    void setCudaGraphs(bool on);
    bool cudaGraphs() const { return graphsWanted_; }
    // Why steps cannot run as a graph here (a sentence), or empty when they can.
    std::string graphProblem() const;
    // Whether graphs are wanted and can run: the next step is a warm-up, capture or replay.
    bool graphUsable() const { return graphsWanted_ && graphProblem().empty(); }
    // Steps run as replays of a captured graph so far (the capturing step's counts too).
    int64_t graphReplays() const { return graphReplays_; }

    // Losses are read back every `steps` steps (default 1, at least 1); step() returns no
    // values between reads, and a loss that is not finite is noticed at the next read. Reading
    // waits for the device; between reads the host draws the next steps while it computes.
    void setLossInterval(int64_t steps);
    // The losses of the last step when step() did not read them (else none), averaged over the
    // processes and checked for divergence as step() checks them (step() reads its own through
    // this): read them before saving what was trained between reads.
    StepLosses readLatestLosses();

    // Changes applied from the next step on.
    void setLearningRates(double recon, double disc, double gen);
    void setAdversarialWeight(double weight);
    void setBatchSize(int batch);

    // Inference in eval mode without gradients, in chunks; results are on the CPU. Images may be
    // bytes (a data set's) or floats in [0, 1]: each chunk goes through pixels() on the device.
    torch::Tensor encode(const torch::Tensor &images, int64_t chunk = 1000);
    torch::Tensor decode(const torch::Tensor &codes, const torch::Tensor &labels = {},
                         int64_t chunk = 1000);
    // Supervised AAE: one code (style) decoded with every label: [numClasses, C, H, W].
    torch::Tensor decodeWithEveryLabel(const torch::Tensor &code);
    // n images from the decoder, [n, C, H, W] on the CPU: codes drawn from the prior, with labels
    // or categories drawn uniformly where the model takes them. Models without a prior (ae,
    // denoising, dropout, acai) draw codes from a Gaussian fitted to the codes of their data.
    torch::Tensor generate(int64_t n, uint64_t seed);
    // Semi-supervised and clustering AAEs: q(y | x), [N, categories()] on the CPU. Throws Error
    // for the other kinds.
    torch::Tensor classify(const torch::Tensor &images, int64_t chunk = 1000);

    // Everything that changes while training, by name: the step count ("steps"), the weights
    // ("model.<parameter>") and each optimiser's Adam moments and step per parameter
    // ("<optimiser>.<index>.exp_avg", ...). On the CPU when `cpu`, else where they live.
    NamedTensors state(bool cpu = true) const;
    // Puts back what state() gave. Throws Error naming `source` and the first tensor that is
    // missing or of another shape; the trainer is unchanged then.
    void setState(const NamedTensors &state, const std::string &source);
    // The parameters each optimiser updates, by the name state() gives its moments
    // ("opt_recon", ...); for readers of older files (model/io/checkpoint.cpp).
    std::vector<std::pair<std::string, std::vector<torch::Tensor>>> optimiserParameters() const;

private:
    // What one step takes from the host: every random number it draws there (from the step's
    // generator, in the order drawn) and the numbers a person may change between steps. They
    // are drawn first and uploaded together; the device part of the step then reads nothing
    // else from the host, which is what lets a CUDA graph capture it once and replay it with
    // new inputs copied in (stepgraph.h). Undefined where the kind of model draws none.
    struct StepInputs {
        torch::Tensor items;             // int64 [n]: this process's rows of the minibatch
        torch::Tensor partners;          // ACAI, several processes: the items these rows mix with
        torch::Tensor inputNoise;        // denoising: N(0, 1) of the images' shape
        torch::Tensor codeDraw;          // dropout: U(0, 1) of the code's shape
        torch::Tensor encodeNoise;       // stochastic encoders: the noise of the first encode
        torch::Tensor regularNoise;      // ... and of the AAE's regularisation phase
        torch::Tensor alpha;             // ACAI: the mixing coefficients [n, 1], in [0, 0.5]
        torch::Tensor positive;          // adversarial kinds: prior samples [n, priorSize]
        torch::Tensor categories;        // categorical AAEs: one-hot y drawn uniformly [n, K]
        torch::Tensor labelled;          // semi-supervised: rows of labelledItems_ to classify
        torch::Tensor adversarialWeight; // float scalars: the generator loss's weight ...
        torch::Tensor acaiLambda;        // ... and ACAI's lambda at this step

        template <typename F> void forEach(F &&f) {
            for (torch::Tensor *t :
                 {&items, &partners, &inputNoise, &codeDraw, &encodeNoise, &regularNoise, &alpha,
                  &positive, &categories, &labelled, &adversarialWeight, &acaiLambda})
                if (t->defined())
                    f(*t);
        }
    };
    // The step's inputs on the device and what the device selects with them.
    struct Batch {
        StepInputs in;
        torch::Tensor x;          // images
        torch::Tensor labels;     // training labels, -1 where hidden; undefined without labels
        torch::Tensor trueLabels; // every item's label, for decoders that take one
        torch::Tensor partners;   // ACAI with several processes: the images mixed with x
    };
    StepInputs drawInputs(at::Generator &gen) const; // on the host
    // A step through the CUDA graph: eager warm-ups on its stream, then the capture, then
    // replays (stepgraph.h); setState and the other changes above drop the graph.
    void runGraphed(const StepInputs &host);
    void dropGraph();
    StepInputs upload(StepInputs host) const; // on device_, without waiting for it
    // The device part of a step: the phases of the model's kind on these inputs.
    void runStep(const StepInputs &in);
    Batch makeBatch(const StepInputs &in) const;
    // The step of each kind of model (trainsteps.cpp); each notes its losses with noteLoss().
    void stepAutoencoder(const Batch &b);
    void stepVae(const Batch &b);
    void stepAcai(const Batch &b);
    void stepAae(const Batch &b);
    void stepCategorical(const Batch &b);
    // A loss of the step being run, kept on the device; readLosses() copies the step's losses
    // to the host together once it ends (one wait for the device a step, not one per loss).
    void noteLoss(const char *name, const torch::Tensor &loss);
    void readLosses(StepLosses &out);
    static at::Generator stepGenerator(uint64_t seed, int64_t step);

    torch::Tensor batchIndices(at::Generator &gen) const; // on the host
    // Averages the optimiser's gradients over the processes (if several), then steps it.
    void optimise(Adam &optimiser);
    // Replaces the losses by their mean over the processes (if several).
    void averageLosses(StepLosses &losses);
    // The Adam optimisers that exist, under the names their states are stored with.
    std::vector<std::pair<const char *, Adam *>> namedOptimisers() const;
    void keepGoodState();
    // Puts the kept state back and returns the message for the divergence at `step`.
    std::string rollBack(int64_t step, const std::string &loss);
    torch::Tensor reconstructionLoss(const torch::Tensor &logits, const torch::Tensor &x) const;
    torch::Tensor discriminatorCondition(const torch::Tensor &labels) const;

    ModelConfig config_;
    torch::Device device_;
    std::unique_ptr<Prior> prior_;
    Autoencoder model_{nullptr};
    // classOpt_: the semi-supervised AAE's cross-entropy phase (encoder only).
    std::unique_ptr<Adam> reconOpt_, discOpt_, genOpt_, classOpt_;
    Dataset data_;
    torch::Tensor deviceImages_;   // data_.images on device_
    torch::Tensor deviceLabels_;   // data_.labels on device_, all of them
    torch::Tensor trainingLabels_; // int64 [N] on device_: the label, or -1 where it is hidden
    std::vector<std::pair<std::string, torch::Tensor>> stepLosses_; // noteLoss()
    torch::Tensor hostTrainingLabels_; // the same on the host, for the label-conditioned prior
    torch::Tensor labelledItems_;      // int64 on device_: the items whose label is kept
    int64_t steps_ = 0;
    int64_t rollbackInterval_ = 200;
    NamedTensors goodState_; // copies of state(), or empty
    int64_t goodStep_ = 0;
    std::shared_ptr<ProcessGroup> group_; // null: one process
    int64_t lossInterval_ = 1;
    bool graphsWanted_ = false;
    std::string graphProblem_; // why the last capture failed, or empty
    int graphWarmups_ = 0;     // eager steps run on the graph's stream so far
    int64_t graphReplays_ = 0;
    std::unique_ptr<StepGraph> graph_; // null until the first graphed step
    StepInputs graphInputs_;           // what the captured step reads, on device_
    std::vector<std::pair<std::string, torch::Tensor>> graphLosses_; // what it writes
};

} // namespace latentlab
