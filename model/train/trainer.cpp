#include "model/train/trainer.h"

#include "model/data/sample.h"
#include "model/device.h"
#include "model/error.h"
#include "model/train/distributed.h"
#include "model/train/stepgraph.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace latentlab {

namespace F = torch::nn::functional;

double StepLosses::value(const std::string &name) const {
    for (const auto &[key, v] : values)
        if (key == name)
            return v;
    return std::numeric_limits<double>::quiet_NaN();
}

at::Generator Trainer::stepGenerator(uint64_t seed, int64_t step) {
    // Mix seed and step so that neighbouring seeds do not give overlapping streams.
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(step) * 0xBF58476D1CE4E5B9ull;
    s ^= s >> 31;
    return at::make_generator<at::CPUGeneratorImpl>(s);
}

namespace {

// Inference over `rows` items in slices of `chunk`: eval mode, no gradients, results on the CPU.
// `slice(begin, end)` computes one slice; no items give an empty tensor of `emptyShape`.
template <typename Slice>
torch::Tensor inChunks(Autoencoder &model, int64_t rows, int64_t chunk,
                       std::vector<int64_t> emptyShape, Slice slice) {
    torch::NoGradGuard noGrad;
    model->eval();
    std::vector<torch::Tensor> parts;
    for (int64_t i = 0; i < rows; i += chunk)
        parts.push_back(slice(i, std::min(rows, i + chunk)).cpu());
    return parts.empty() ? torch::empty(emptyShape) : torch::cat(parts);
}

} // namespace

Trainer::Trainer(const ModelConfig &config, std::shared_ptr<const ScriptedModel> script)
    : config_(config)
    , device_(resolveDevice(config.device)) {
    config_.validate();
    prior_ = makePrior(config_.priorSpec(), config_.priorSize());
    torch::manual_seed(config_.seed); // the initial weights
    model_ = Autoencoder(config_, std::move(script));
    model_->to(device_);
    if (!config_.script.empty())
        return; // a TorchScript model is explored, not trained: no optimisers

    auto adam = [](std::vector<torch::Tensor> parameters, double lr, double beta1) {
        AdamSettings settings;
        settings.lr = lr;
        settings.beta1 = beta1;
        return std::make_unique<Adam>(std::move(parameters), settings);
    };
    reconOpt_ = adam(model_->autoencoderParameters(), config_.lrRecon, 0.9);
    if (config_.kind == ModelKind::Acai)
        discOpt_ = adam(model_->criticParameters(), config_.lrDisc, 0.9);
    if (config_.kind == ModelKind::Vae)
        prior_->logDensity(torch::zeros({1, config_.codeSize()})); // throws for unusable priors
    if (config_.adversarial()) {
        // beta1 = 0.5 as is usual for adversarial games.
        discOpt_ = adam(model_->discriminatorParameters(), config_.lrDisc, 0.5);
        genOpt_ = adam(model_->encoderParameters(), config_.lrGen, 0.5);
    }
    if (config_.kind == ModelKind::AaeSemiSupervised)
        classOpt_ = adam(model_->encoderParameters(), config_.lrRecon, 0.9);
}

Trainer::~Trainer() = default;

void Trainer::setCudaGraphs(bool on) {
    if (on == graphsWanted_)
        return;
    dropGraph();
    graphsWanted_ = on;
}

std::string Trainer::graphProblem() const {
    if (!graphProblem_.empty())
        return graphProblem_;
    if (!device_.is_cuda())
        return "the model trains on " + device_.str() + ", not on a GPU.";
    if (!StepGraph::supported())
        return "this LatentLab was built without CUDA.";
    if (group_)
        return "several processes average their gradients between the phases of a step.";
    if (!config_.script.empty())
        return "a TorchScript model is not trained here.";
    // The VAE's Monte-Carlo KL term asks the prior for densities, which not every prior
    // computes on the device alone.
    if (config_.kind == ModelKind::Vae && prior_->isotropicStd() <= 0)
        return "the VAE with a prior other than a Gaussian is not captured.";
    return {};
}

void Trainer::setLossInterval(int64_t steps) {
    lossInterval_ = std::max<int64_t>(1, steps);
}

void Trainer::dropGraph() {
    graph_.reset();
    graphWarmups_ = 0;
    graphInputs_ = StepInputs{};
    graphLosses_.clear();
    // Eager steps keep Adam's step counts on the host again (the device form is what a graph
    // needs, not what eager steps are fastest with).
    for (const auto &[name, opt] : namedOptimisers())
        opt->setDeviceSteps(false);
}

void Trainer::runGraphed(const StepInputs &host) {
    // Two eager steps on the graph's own stream first: they create the gradients, the Adam
    // moments and step counts, and whatever LibTorch initialises lazily, outside the capture
    // (a tensor created while capturing would be created anew by every replay).
    constexpr int warmups = 2;
    if (!graph_) {
        graph_ = std::make_unique<StepGraph>(device_);
        for (const auto &[name, opt] : namedOptimisers())
            opt->setDeviceSteps(true); // counts and learning rate the replays read
    }
    if (graphWarmups_ < warmups) {
        const StepInputs in = upload(host);
        graph_->warmUp([&] { runStep(in); });
        ++graphWarmups_;
        return;
    }
    if (!graph_->captured()) {
        graphInputs_ = upload(host);
        stepLosses_.clear();
        try {
            graph_->capture([&] { runStep(graphInputs_); });
        } catch (const Error &e) {
            // Go on eagerly; the capture ran nothing, so this step is still to be taken.
            dropGraph();
            graphProblem_ = e.what();
            stepLosses_.clear();
            runStep(upload(host));
            return;
        }
        graphLosses_ = stepLosses_;
    } else {
        // New inputs into the tensors the graph reads; the copies are queued on the stream
        // the replay runs on, so it sees them.
        StepInputs in = host;
        StepInputs &captured = graphInputs_;
        std::vector<torch::Tensor *> targets;
        captured.forEach([&](torch::Tensor &t) { targets.push_back(&t); });
        size_t i = 0;
        in.forEach([&](torch::Tensor &t) {
            if (i >= targets.size() || targets[i]->sizes() != t.sizes())
                throw Error("the training step's inputs changed shape under its CUDA graph.");
            copyToDeviceAsync(*targets[i++], t);
        });
        if (i != targets.size())
            throw Error("the training step's inputs changed under its CUDA graph.");
    }
    graph_->replay();
    ++graphReplays_;
    stepLosses_ = graphLosses_;
}

void Trainer::setData(Dataset data) {
    if (data.size() == 0)
        throw Error("the data set '" + data.name + "' is empty.");
    if (data.channels() != config_.channels || data.height() != config_.height ||
        data.width() != config_.width)
        throw Error("the data set '" + data.name + "' has " +
                    imageShapeText(data.channels(), data.height(), data.width()) +
                    " images but the model was built for " + config_.imageShape() + ".");
    const bool needsLabels = config_.kind == ModelKind::AaeSupervised ||
                             config_.kind == ModelKind::AaeSemiSupervised ||
                             config_.labelConditioned;
    if (needsLabels && !data.hasLabels())
        throw Error("the data set '" + data.name + "' has no labels, and this model uses them.");

    dropGraph(); // the graph reads the old data's tensors
    data_ = std::move(data);
    deviceImages_ = data_.images.to(device_);
    deviceLabels_ = data_.hasLabels() ? data_.labels.to(device_) : torch::Tensor();
    trainingLabels_ = torch::Tensor();
    hostTrainingLabels_ = torch::Tensor();
    labelledItems_ = torch::Tensor();
    if (data_.hasLabels()) {
        torch::Tensor labels = data_.labels.clone();
        const bool partial =
            config_.labelConditioned || config_.kind == ModelKind::AaeSemiSupervised;
        if (partial && config_.labelledFraction < 1.0) {
            // A fixed, seeded choice of which items keep their label: the first `keep` of a
            // random order; the rest are hidden (-1).
            auto gen = at::make_generator<at::CPUGeneratorImpl>(config_.seed ^ 0x5A5A5A5Aull);
            torch::Tensor order = torch::randperm(data_.size(), gen, torch::kLong);
            const int64_t keep = std::llround(config_.labelledFraction * double(data_.size()));
            labels.index_fill_(0, order.slice(0, keep), -1);
        }
        hostTrainingLabels_ = labels;
        trainingLabels_ = labels.to(device_);
        labelledItems_ = (labels >= 0).nonzero().flatten().to(device_);
    }
    if (config_.kind == ModelKind::AaeSemiSupervised && labelledItems_.numel() == 0)
        throw Error("the semi-supervised AAE needs at least one labelled item; raise the "
                    "labelled fraction.");
}

std::vector<std::string> Trainer::lossNames() const {
    switch (config_.kind) {
    case ModelKind::Vae:
        return {"recon", "kl"};
    case ModelKind::Acai:
        return {"recon", "ae_critic", "critic"};
    case ModelKind::AaeSemiSupervised:
        return {"recon", "disc", "gen", "class"};
    case ModelKind::AaeClustering:
        if (config_.clusterBalance > 0)
            return {"recon", "disc", "gen", "balance"};
        return {"recon", "disc", "gen"};
    default:
        return config_.adversarial() ? std::vector<std::string>{"recon", "disc", "gen"}
                                     : std::vector<std::string>{"recon"};
    }
}

void Trainer::setLearningRates(double recon, double disc, double gen) {
    auto apply = [](Adam *opt, double lr) {
        if (opt)
            opt->setLearningRate(lr);
    };
    config_.lrRecon = recon;
    config_.lrDisc = disc;
    config_.lrGen = gen;
    apply(reconOpt_.get(), recon);
    apply(discOpt_.get(), disc);
    apply(genOpt_.get(), gen);
    apply(classOpt_.get(), recon);
}

void Trainer::setAdversarialWeight(double weight) {
    config_.adversarialWeight = weight;
}

void Trainer::setBatchSize(int batch) {
    if (batch < 1)
        throw Error("batch size must be at least 1.");
    if (batch != config_.batch)
        dropGraph(); // its shapes were those of the old batch
    config_.batch = batch;
}

void Trainer::setProcessGroup(std::shared_ptr<ProcessGroup> group) {
    dropGraph(); // several processes average gradients between phases: no graphs
    group_ = std::move(group);
    if (group_) // every process starts from process 0's weights
        group_->broadcast(model_->parameters());
}

torch::Tensor Trainer::batchIndices(at::Generator &gen) const {
    const int64_t n = data_.size();
    const int64_t b = std::min<int64_t>(config_.batch, n);
    return randomDistinct(n, b, gen);
}

torch::Tensor Trainer::reconstructionLoss(const torch::Tensor &logits,
                                          const torch::Tensor &x) const {
    if (config_.loss == "mse")
        return F::mse_loss(model_->outputImages(logits), x);
    return F::binary_cross_entropy_with_logits(logits, x);
}

torch::Tensor Trainer::discriminatorCondition(const torch::Tensor &labels) const {
    // One slot per class plus one meaning "no label".
    const int64_t k = config_.numClasses;
    torch::Tensor slot = torch::where(labels >= 0, labels, torch::full_like(labels, k));
    return torch::one_hot(slot, k + 1).to(torch::kFloat);
}

torch::Tensor Trainer::encode(const torch::Tensor &images, int64_t chunk) {
    return inChunks(model_, images.size(0), chunk, {0, config_.codeSize()},
                    [&](int64_t begin, int64_t end) {
                        return model_->encode(pixels(images.slice(0, begin, end).to(device_))).code;
                    });
}

torch::Tensor Trainer::decode(const torch::Tensor &codes, const torch::Tensor &labels,
                              int64_t chunk) {
    const std::vector<int64_t> empty{0, config_.channels, config_.height, config_.width};
    return inChunks(model_, codes.size(0), chunk, empty, [&](int64_t begin, int64_t end) {
        const torch::Tensor z = codes.slice(0, begin, end).to(device_, torch::kFloat);
        const torch::Tensor l = labels.defined() ? labels.slice(0, begin, end).to(device_) : labels;
        return model_->decode(z, l);
    });
}

torch::Tensor Trainer::decodeWithEveryLabel(const torch::Tensor &code) {
    const int64_t k = std::max(config_.numClasses, 1);
    torch::Tensor codes = code.reshape({1, -1}).expand({k, code.numel()});
    return decode(codes, torch::arange(k, torch::kLong));
}

torch::Tensor Trainer::generate(int64_t n, uint64_t seed) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const torch::Tensor labels =
        torch::randint(std::max(config_.numClasses, 1), {n}, gen, torch::kLong);
    torch::Tensor codes;
    if (const int64_t k = config_.categories(); k > 0) {
        const torch::Tensor style = prior_->sample(n, gen).codes;
        const torch::Tensor y = torch::one_hot(torch::randint(k, {n}, gen, torch::kLong), k);
        codes = torch::cat({style, y.to(torch::kFloat)}, 1);
    } else if (config_.labelConditioned) {
        codes = prior_->sampleForLabels(labels, gen);
    } else if (config_.adversarial() || config_.kind == ModelKind::Vae ||
               (!config_.script.empty() && !config_.prior.empty())) {
        codes = prior_->sample(n, gen).codes;
    } else {
        if (!hasData())
            throw Error("a " + toString(config_.kind) +
                        " model has no prior; it needs data to fit one to its codes.");
        const torch::Tensor c =
            encode(data_.images.slice(0, 0, 10000)).to(torch::kDouble); // [M, D]
        const torch::Tensor mean = c.mean(0);
        const torch::Tensor centred = c - mean;
        const torch::Tensor cov =
            centred.t().mm(centred) / double(std::max<int64_t>(c.size(0) - 1, 1)) +
            1e-6 * torch::eye(c.size(1), torch::kDouble);
        const torch::Tensor eps = torch::randn({n, c.size(1)}, gen, torch::kDouble);
        codes = (mean + eps.mm(torch::linalg_cholesky(cov).t())).to(torch::kFloat);
    }
    return decode(codes, config_.kind == ModelKind::AaeSupervised ? labels : torch::Tensor());
}

torch::Tensor Trainer::classify(const torch::Tensor &images, int64_t chunk) {
    if (config_.categories() == 0)
        throw Error("a " + toString(config_.kind) +
                    " model has no categorical code to classify with; use aae-semi or "
                    "aae-cluster.");
    return inChunks(model_, images.size(0), chunk, {0, config_.categories()},
                    [&](int64_t begin, int64_t end) {
                        const torch::Tensor x = pixels(images.slice(0, begin, end).to(device_));
                        return torch::softmax(model_->encode(x).classLogits, 1);
                    });
}

std::vector<std::pair<const char *, Adam *>> Trainer::namedOptimisers() const {
    std::vector<std::pair<const char *, Adam *>> out;
    for (const auto &[name, opt] :
         {std::pair{"opt_recon", reconOpt_.get()}, std::pair{"opt_disc", discOpt_.get()},
          std::pair{"opt_gen", genOpt_.get()}, std::pair{"opt_class", classOpt_.get()}})
        if (opt)
            out.emplace_back(name, opt);
    return out;
}

std::vector<std::pair<std::string, std::vector<torch::Tensor>>>
Trainer::optimiserParameters() const {
    std::vector<std::pair<std::string, std::vector<torch::Tensor>>> out;
    for (const auto &[name, opt] : namedOptimisers())
        out.emplace_back(name, opt->parameters());
    return out;
}

NamedTensors Trainer::state(bool cpu) const {
    if (!config_.script.empty())
        throw Error(config_.script +
                    " is a TorchScript model: its weights stay in that file, and LatentLab "
                    "does not write it as a checkpoint.");
    auto place = [cpu](const torch::Tensor &t) { return cpu ? t.detach().to(torch::kCPU) : t; };
    NamedTensors out;
    out.emplace_back("steps", torch::tensor(steps_, torch::kLong));
    for (const auto &p : model_->named_parameters())
        out.emplace_back("model." + p.key(), place(p.value()));
    for (const auto &[name, opt] : namedOptimisers()) {
        for (size_t i = 0; i < opt->parameters().size(); ++i) {
            const Adam::Moments m = opt->moments(i);
            if (m.step == 0)
                continue; // no step yet
            const std::string prefix = std::string(name) + "." + std::to_string(i) + ".";
            out.emplace_back(prefix + "step", torch::tensor(m.step, torch::kLong));
            out.emplace_back(prefix + "exp_avg", place(m.avg));
            out.emplace_back(prefix + "exp_avg_sq", place(m.avgSq));
        }
    }
    return out;
}

void Trainer::setState(const NamedTensors &state, const std::string &source) {
    std::map<std::string, const torch::Tensor *> byName;
    for (const auto &[name, t] : state)
        byName[name] = &t;
    auto find = [&](const std::string &name) {
        const auto it = byName.find(name);
        return it == byName.end() ? nullptr : it->second;
    };
    auto fail = [&](const std::string &what) -> void { throw Error(source + ": " + what); };
    // Everything is checked before anything changes.
    const torch::Tensor *steps = find("steps");
    if (!steps || steps->numel() != 1 || steps->scalar_type() != torch::kLong)
        fail("the checkpoint has no step count; it is damaged.");
    const auto parameters = model_->named_parameters();
    for (const auto &p : parameters) {
        const torch::Tensor *t = find("model." + p.key());
        if (!t)
            fail("the checkpoint lacks the weights '" + p.key() +
                 "'; it was written for a different architecture.");
        if (t->sizes() != p.value().sizes() || t->scalar_type() != p.value().scalar_type())
            fail("the weights '" + p.key() + "' have shape " + c10::str(t->sizes()) +
                 " in the checkpoint but " + c10::str(p.value().sizes()) +
                 " in the configured model.");
    }
    struct Moments {
        const torch::Tensor *step, *avg, *avgSq;
    };
    std::vector<std::pair<Adam *, std::vector<Moments>>> moments;
    for (const auto &[name, opt] : namedOptimisers()) {
        moments.emplace_back(opt, std::vector<Moments>{});
        for (size_t i = 0; i < opt->parameters().size(); ++i) {
            const torch::Tensor &p = opt->parameters()[i];
            const std::string prefix = std::string(name) + "." + std::to_string(i) + ".";
            Moments m{find(prefix + "step"), find(prefix + "exp_avg"), find(prefix + "exp_avg_sq")};
            if (!m.step && !m.avg && !m.avgSq) {
                moments.back().second.push_back(m); // no step taken yet
                continue;
            }
            if (!m.step || !m.avg || !m.avgSq || m.step->numel() != 1 ||
                m.step->scalar_type() != torch::kLong || m.avg->sizes() != p.sizes() ||
                m.avgSq->sizes() != p.sizes() || m.avg->scalar_type() != p.scalar_type() ||
                m.avgSq->scalar_type() != p.scalar_type())
                fail("the optimiser state '" + prefix + "' does not fit the model.");
            moments.back().second.push_back(m);
        }
    }
    dropGraph(); // the optimisers' moments are replaced
    torch::NoGradGuard noGrad;
    for (auto &p : parameters)
        p.value().copy_(*find("model." + p.key()));
    for (auto &[opt, list] : moments)
        for (size_t i = 0; i < list.size(); ++i) {
            const Moments &m = list[i];
            opt->setMoments(i, m.step ? Adam::Moments{m.step->item<int64_t>(),
                                                      m.avg->to(device_, false, true),
                                                      m.avgSq->to(device_, false, true)}
                                      : Adam::Moments{});
        }
    steps_ = steps->item<int64_t>();
}

} // namespace latentlab
