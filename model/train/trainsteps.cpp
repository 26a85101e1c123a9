// Trainer::step() and the minibatch step of each kind of model. Every random number comes from
// the step's generator (see trainer.h), so runs repeat and resume exactly.

#include "model/data/sample.h"
#include "model/device.h"
#include "model/error.h"
#include "model/train/distributed.h"
#include "model/train/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace latentlab {

namespace F = torch::nn::functional;

StepLosses Trainer::step() {
    if (!config_.script.empty())
        throw Error(config_.script + " is a TorchScript model: LatentLab explores it but does not "
                                     "train it (train it in Python, save it again, reopen it).");
    if (!hasData())
        throw Error("there is no data to train on.");
    if (rollbackInterval_ > 0 && (goodState_.empty() || steps_ - goodStep_ >= rollbackInterval_))
        keepGoodState();
    model_->train();
    stepLosses_.clear(); // what a step that threw left
    at::Generator gen = stepGenerator(config_.seed, steps_);
    const StepInputs inputs = drawInputs(gen);
    if (graphUsable())
        runGraphed(inputs);
    else
        runStep(upload(inputs));
    ++steps_;

    if (lossInterval_ > 1 && steps_ % lossInterval_ != 0) {
        // Not read this step: the device goes on without the host waiting. They stay on the
        // device until the next step, for readLatestLosses().
        StepLosses out;
        out.step = steps_;
        return out;
    }
    return readLatestLosses();
}

StepLosses Trainer::readLatestLosses() {
    StepLosses out;
    out.step = steps_;
    if (stepLosses_.empty())
        return out;
    readLosses(out);
    averageLosses(out);
    for (const auto &[name, v] : out.values)
        if (!std::isfinite(v))
            throw DivergenceError(rollBack(out.step, name));
    return out;
}

namespace {

// This process's rows of a minibatch of `whole` items: how many and from where (all of them
// without a group). Throws Error when the batch does not split evenly.
std::pair<int64_t, int64_t> shareOfBatch(int64_t whole, const ProcessGroup *group) {
    if (!group)
        return {whole, 0};
    const int64_t world = group->world();
    if (whole % world != 0)
        throw Error("a minibatch of " + std::to_string(whole) +
                    " items does not split evenly over " + std::to_string(world) +
                    " processes: choose --batch as a multiple of " + std::to_string(world) + ".");
    const int64_t n = whole / world;
    return {n, group->rank() * n};
}

// ACAI's lambda at step `steps`. The paper's pixels are in [-1, 1], where a squared error is 4
// times ours in [0, 1]; dividing lambda by 4 keeps its balance between reconstruction and
// critic. An optional warm-up ramps lambda from 0, so the autoencoder learns to reconstruct
// before the critic's verdict weighs on it (see docs/RESULTS.md).
double acaiLambdaAt(const ModelConfig &config, int64_t steps) {
    double lambda = config.loss == "mse" ? config.acaiLambda / 4 : config.acaiLambda;
    if (config.acaiWarmup > 0)
        lambda *= std::min(1.0, double(steps) / config.acaiWarmup);
    return lambda;
}

// Each process its share of the labelled minibatch `pick` (the rest left out).
torch::Tensor labelledShare(const torch::Tensor &pick, const ProcessGroup *group) {
    if (!group)
        return pick;
    const int64_t each = std::max<int64_t>(1, pick.size(0) / group->world());
    return pick.narrow(0, (group->rank() * each) % pick.size(0), each);
}

} // namespace

// Every process draws the whole minibatch's random numbers from the same generator and keeps its
// share of the rows (shareOfBatch): together they draw what one process alone would.
Trainer::StepInputs Trainer::drawInputs(at::Generator &gen) const {
    StepInputs in;
    const torch::Tensor all = batchIndices(gen);
    const int64_t whole = all.size(0);
    const auto share = shareOfBatch(whole, group_.get()); // rows: how many, from where
    auto mine = [&](const torch::Tensor &t) {
        return t.defined() && share.first < whole ? t.narrow(0, share.second, share.first) : t;
    };
    in.items = mine(all);
    // ACAI mixes each item with the reversed minibatch: with several processes the partners of
    // this share's rows are other processes' items, encoded here too.
    if (group_ && config_.kind == ModelKind::Acai)
        in.partners = mine(all.flip(0));
    if (config_.adversarial())
        in.adversarialWeight = torch::full({}, config_.adversarialWeight, torch::kFloat);

    switch (config_.kind) {
    case ModelKind::Autoencoder:
        break;
    case ModelKind::Denoising: // reconstruct the clean image from a noisy one
        in.inputNoise = mine(torch::randn({whole, config_.channels, config_.height, config_.width},
                                          gen, torch::kFloat));
        break;
    case ModelKind::Dropout:
        in.codeDraw = mine(torch::rand({whole, config_.codeSize()}, gen, torch::kFloat));
        break;
    case ModelKind::Vae:
        in.encodeNoise = mine(model_->drawNoise(whole, gen));
        break;
    case ModelKind::Acai: {
        // Codes mixed with the reversed minibatch, alpha = 0.5 - |u - 0.5| in [0, 0.5].
        in.alpha = 0.5 - (mine(torch::rand({whole, 1}, gen, torch::kFloat)) - 0.5).abs();
        in.acaiLambda = torch::full({}, acaiLambdaAt(config_, steps_), torch::kFloat);
        break;
    }
    case ModelKind::AaeSemiSupervised:
    case ModelKind::AaeClustering: {
        const int64_t k = config_.categories();
        in.positive = mine(prior_->sample(whole, gen).codes);
        in.categories = torch::one_hot(mine(torch::randint(k, {whole}, gen, torch::kLong)), k)
                            .to(torch::kFloat);
        if (config_.kind == ModelKind::AaeSemiSupervised) {
            const int64_t m = labelledItems_.size(0);
            in.labelled =
                labelledShare(randomDistinct(m, std::min<int64_t>(whole, m), gen), group_.get());
        }
        break;
    }
    default: // the AAEs with one discriminator
        in.encodeNoise = mine(model_->drawNoise(whole, gen));
        in.regularNoise = mine(model_->drawNoise(whole, gen));
        in.positive =
            mine(config_.labelConditioned
                     ? prior_->sampleForLabels(hostTrainingLabels_.index_select(0, all), gen)
                     : prior_->sample(whole, gen).codes);
        break;
    }
    return in;
}

Trainer::StepInputs Trainer::upload(StepInputs host) const {
    host.forEach([this](torch::Tensor &t) { t = toDeviceAsync(t, device_); });
    return host;
}

void Trainer::runStep(const StepInputs &in) {
    const Batch b = makeBatch(in);
    switch (config_.kind) {
    case ModelKind::Autoencoder:
    case ModelKind::Denoising:
    case ModelKind::Dropout:
        stepAutoencoder(b);
        break;
    case ModelKind::Vae:
        stepVae(b);
        break;
    case ModelKind::Acai:
        stepAcai(b);
        break;
    case ModelKind::AaeSemiSupervised:
    case ModelKind::AaeClustering:
        stepCategorical(b);
        break;
    default:
        stepAae(b);
        break;
    }
}

Trainer::Batch Trainer::makeBatch(const StepInputs &in) const {
    Batch b;
    b.in = in;
    b.x = pixels(deviceImages_.index_select(0, in.items));
    if (in.partners.defined())
        b.partners = pixels(deviceImages_.index_select(0, in.partners));
    if (trainingLabels_.defined()) {
        // A label hidden from the discriminator (labelled fraction) is still the item's label:
        // the supervised AAE's decoder needs it to reconstruct.
        b.labels = trainingLabels_.index_select(0, in.items);
        b.trueLabels = deviceLabels_.index_select(0, in.items);
    }
    return b;
}

void Trainer::optimise(Adam &optimiser) {
    if (group_) {
        // The same parameters have gradients in every process (the same phases ran).
        std::vector<torch::Tensor> grads;
        for (const torch::Tensor &p : optimiser.parameters())
            if (p.grad().defined())
                grads.push_back(p.grad());
        group_->average(grads);
    }
    optimiser.step();
}

void Trainer::noteLoss(const char *name, const torch::Tensor &loss) {
    stepLosses_.emplace_back(name, loss.detach());
}

void Trainer::readLosses(StepLosses &out) {
    // One copy to the host for all of them: each .item() would wait for the device on its own.
    std::vector<torch::Tensor> values;
    for (const auto &entry : stepLosses_)
        values.push_back(entry.second.to(torch::kDouble).reshape({}));
    const torch::Tensor host = values.empty() ? torch::Tensor() : torch::stack(values).cpu();
    for (size_t i = 0; i < stepLosses_.size(); ++i)
        out.values.emplace_back(stepLosses_[i].first, host.data_ptr<double>()[i]);
    stepLosses_.clear();
}

void Trainer::averageLosses(StepLosses &losses) {
    if (!group_ || losses.values.empty())
        return;
    std::vector<double> values;
    for (const auto &entry : losses.values)
        values.push_back(entry.second);
    const torch::Tensor t = torch::tensor(values, torch::kDouble);
    group_->average({t});
    for (size_t i = 0; i < values.size(); ++i)
        losses.values[i].second = t.data_ptr<double>()[i];
}

void Trainer::keepGoodState() {
    {
        torch::NoGradGuard noGrad;
        for (const auto &p : model_->parameters())
            if (!torch::isfinite(p).all().item<bool>())
                return; // nothing good to keep (a model loaded with broken weights)
    }
    goodState_ = state(false);
    for (auto &entry : goodState_)
        entry.second = entry.second.clone(); // copies: training goes on in place
    goodStep_ = steps_;
}

std::string Trainer::rollBack(int64_t step, const std::string &loss) {
    std::string message = "training diverged at step " + std::to_string(step) + ": the " + loss +
                          " loss is not a number.";
    if (goodState_.empty())
        return message + " No earlier state was kept; lower the learning rates and reload the "
                         "last checkpoint.";
    setState(goodState_, "the state kept in memory");
    return message + " The weights and optimiser states of step " + std::to_string(goodStep_) +
           " are restored; lower the learning rates before going on.";
}

void Trainer::stepAutoencoder(const Batch &b) {
    torch::Tensor input = b.x;
    if (b.in.inputNoise.defined()) // denoising
        input = b.x + config_.noiseStd * b.in.inputNoise;
    reconOpt_->zeroGrad();
    torch::Tensor code = model_->encode(input).code;
    if (b.in.codeDraw.defined()) { // dropout
        const double keep = 1.0 - config_.codeDropout;
        code = code * (b.in.codeDraw < keep).to(torch::kFloat) / keep;
    }
    torch::Tensor recon = reconstructionLoss(model_->decodeLogits(code, b.trueLabels), b.x);
    recon.backward();
    optimise(*reconOpt_);
    noteLoss("recon", recon);
}

void Trainer::stepVae(const Batch &b) {
    reconOpt_->zeroGrad();
    const EncodeOutput enc = model_->encode(b.x, b.in.encodeNoise);
    const torch::Tensor logits = model_->decodeLogits(enc.code, b.trueLabels);
    const torch::Tensor recon = reconstructionLoss(logits, b.x);
    torch::Tensor kl;
    if (const double s = prior_->isotropicStd(); s > 0) {
        // Closed form against N(0, s^2 I).
        const double s2 = s * s;
        kl = 0.5 * ((enc.logVar.exp() + enc.mean.pow(2)) / s2 - 1 - enc.logVar + std::log(s2))
                       .sum(1)
                       .mean();
    } else {
        // Monte-Carlo: log q(z|x) - log p(z) at the sampled z (the AAE paper's comparison).
        const torch::Tensor var = enc.logVar.exp();
        const torch::Tensor logQ =
            (-0.5 * ((enc.code - enc.mean).pow(2) / var + enc.logVar + std::log(2 * M_PI))).sum(1);
        kl = (logQ - prior_->logDensity(enc.code)).mean();
    }
    // The ELBO sums over pixels; the reported reconstruction stays per pixel like the others.
    const double pixels = double(b.x[0].numel());
    (recon * pixels + kl).backward();
    optimise(*reconOpt_);
    noteLoss("recon", recon);
    noteLoss("kl", kl);
}

void Trainer::stepAcai(const Batch &b) {
    // Codes mixed with the reversed minibatch's (drawInputs draws alpha and sets lambda).
    const torch::Tensor &alpha = b.in.alpha;
    reconOpt_->zeroGrad();
    const torch::Tensor code = model_->encode(b.x).code;
    const torch::Tensor logits = model_->decodeLogits(code, b.trueLabels);
    const torch::Tensor recon = reconstructionLoss(logits, b.x);
    // The partners' codes carry gradients too: with several processes each encodes its rows'
    // partners itself (the encoder is deterministic, so they are the codes the whole
    // minibatch would give).
    const torch::Tensor partners =
        b.partners.defined() ? model_->encode(b.partners).code : code.flip(0);
    const torch::Tensor mixed = alpha * code + (1 - alpha) * partners;
    const torch::Tensor mixedImages =
        model_->outputImages(model_->decodeLogits(mixed, b.trueLabels));
    // The autoencoder wants its interpolants to look real: the critic should say 0.
    const torch::Tensor aeCritic = model_->critic(mixedImages).pow(2).mean();
    (recon + b.in.acaiLambda * aeCritic).backward();
    optimise(*reconOpt_);

    // The critic learns to recover alpha, and to call (near-)reconstructions 0.
    discOpt_->zeroGrad();
    const torch::Tensor reconstruction = model_->outputImages(logits).detach();
    const double g = config_.acaiGamma;
    const torch::Tensor critic =
        (model_->critic(mixedImages.detach()) - alpha.squeeze(1)).pow(2).mean() +
        model_->critic(g * b.x + (1 - g) * reconstruction).pow(2).mean();
    critic.backward();
    optimise(*discOpt_);
    noteLoss("recon", recon);
    noteLoss("ae_critic", aeCritic);
    noteLoss("critic", critic);
}

void Trainer::stepAae(const Batch &b) {
    // Phase 1: reconstruction.
    reconOpt_->zeroGrad();
    const EncodeOutput enc = model_->encode(b.x, b.in.encodeNoise);
    torch::Tensor recon = reconstructionLoss(model_->decodeLogits(enc.code, b.trueLabels), b.x);
    recon.backward();
    optimise(*reconOpt_);
    noteLoss("recon", recon);

    // Phase 2: regularisation. The discriminator first, on prior samples against codes ...
    torch::Tensor codes = model_->encode(b.x, b.in.regularNoise).code;
    torch::Tensor condition;
    if (config_.labelConditioned)
        condition = discriminatorCondition(b.labels);
    discOpt_->zeroGrad();
    torch::Tensor realLogits = model_->discriminate(b.in.positive, condition);
    torch::Tensor fakeLogits = model_->discriminate(codes.detach(), condition);
    torch::Tensor disc =
        F::binary_cross_entropy_with_logits(realLogits, torch::ones_like(realLogits)) +
        F::binary_cross_entropy_with_logits(fakeLogits, torch::zeros_like(fakeLogits));
    disc.backward();
    optimise(*discOpt_);

    // ... then the encoder as the generator, against the updated discriminator.
    genOpt_->zeroGrad();
    torch::Tensor genLogits = model_->discriminate(codes, condition);
    torch::Tensor gen_ =
        F::binary_cross_entropy_with_logits(genLogits, torch::ones_like(genLogits));
    (b.in.adversarialWeight * gen_).backward();
    optimise(*genOpt_);
    noteLoss("disc", disc);
    noteLoss("gen", gen_);
}

void Trainer::stepCategorical(const Batch &b) {
    // The AAE paper's section 5 and 6: the code is [style z | softmax y].
    const int64_t k = config_.categories();
    const int64_t style = config_.latent;
    auto bce = [](const torch::Tensor &logits, double target) {
        return F::binary_cross_entropy_with_logits(logits, torch::full_like(logits, target));
    };

    // Phase 1: reconstruction.
    reconOpt_->zeroGrad();
    torch::Tensor recon = reconstructionLoss(model_->decodeLogits(model_->encode(b.x).code), b.x);
    recon.backward();
    optimise(*reconOpt_);
    noteLoss("recon", recon);

    // Phase 2: two discriminators, on z against the style prior and on y against one-hot
    // categories drawn uniformly; then the encoder fools both.
    const torch::Tensor code = model_->encode(b.x).code;
    const torch::Tensor z = code.narrow(1, 0, style), y = code.narrow(1, style, k);
    discOpt_->zeroGrad();
    torch::Tensor disc = bce(model_->discriminate(b.in.positive), 1) +
                         bce(model_->discriminate(z.detach()), 0) +
                         bce(model_->discriminateCategory(b.in.categories), 1) +
                         bce(model_->discriminateCategory(y.detach()), 0);
    disc.backward();
    optimise(*discOpt_);
    genOpt_->zeroGrad();
    torch::Tensor gen_ = bce(model_->discriminate(z), 1) + bce(model_->discriminateCategory(y), 1);
    torch::Tensor loss = b.in.adversarialWeight * gen_, balance;
    if (config_.kind == ModelKind::AaeClustering && config_.clusterBalance > 0) {
        // Not in the paper: the discriminator judges one y at a time, and once the softmax is
        // saturated on a few clusters its gradient no longer reaches the others. KL(mean y ||
        // uniform) over the minibatch keeps every cluster in use; it is 0 for balanced use.
        // With several processes it is taken over each process's share.
        const torch::Tensor share = y.mean(0).clamp_min(1e-8);
        balance = (share * (share * double(k)).log()).sum();
        loss = loss + config_.clusterBalance * balance;
    }
    loss.backward();
    optimise(*genOpt_);
    noteLoss("disc", disc);
    noteLoss("gen", gen_);
    if (balance.defined())
        noteLoss("balance", balance);

    // Phase 3 (semi-supervised): cross-entropy of q(y | x) on a minibatch of labelled items.
    if (!b.in.labelled.defined())
        return;
    const torch::Tensor items = labelledItems_.index_select(0, b.in.labelled);
    classOpt_->zeroGrad();
    torch::Tensor ce =
        F::cross_entropy(model_->encode(pixels(deviceImages_.index_select(0, items))).classLogits,
                         trainingLabels_.index_select(0, items));
    ce.backward();
    optimise(*classOpt_);
    noteLoss("class", ce);
}

} // namespace latentlab
