// latentlab-cli train: trains a model of the AAE family and writes its checkpoint, losses,
// codes and pictures into one folder.

#include "commands.h"

#include "model/data/imageio.h"
#include "model/device.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "model/io/export.h"
#include "model/numbers.h"
#include "model/train/distributed.h"
#include "model/train/trainer.h"
#ifdef LATENTLAB_HAVE_PICTURES
#include "ui/figures/latentfigure.h"
#endif

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace latentlab::cli {

namespace {

std::atomic<bool> g_interrupted{false};

void onInterrupt(int) {
    g_interrupted = true;
}

void installInterruptHandler() {
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    action.sa_flags = SA_RESETHAND; // a second Ctrl-C ends the program at once
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

// Options that define the networks: a resumed run takes them from the checkpoint.
const char *const kModelOptions[] = {
    "model",          "arch",        "prior",      "labels",      "labelled-fraction",
    "latent",         "clusters",    "hidden",     "loss",        "acai-lambda",
    "acai-gamma",     "acai-warmup", "conv-depth", "conv-scales", "latent-channels",
    "cluster-balance"};

// Ten items to show: the first of each class when labelled, else the first ten.
torch::Tensor showcaseIndices(const Dataset &data) {
    std::vector<int64_t> picked;
    if (data.hasLabels()) {
        auto labels = data.labels.accessor<int64_t, 1>();
        for (int k = 0; k < std::min(data.numClasses, 10); ++k)
            for (int64_t i = 0; i < data.size(); ++i)
                if (labels[i] == k) {
                    picked.push_back(i);
                    break;
                }
    }
    for (int64_t i = 0; picked.size() < 10 && i < data.size(); ++i)
        if (std::find(picked.begin(), picked.end(), i) == picked.end())
            picked.push_back(i);
    return torch::tensor(picked, torch::kLong);
}

void writeOutputs(Trainer &trainer, const fs::path &out, int64_t shown) {
    const Dataset &data = trainer.data();
    const int64_t n = std::min<int64_t>(shown, data.size());
    torch::Tensor codes = trainer.encode(data.images.slice(0, 0, n));
    torch::Tensor labels = data.hasLabels() ? data.labels.slice(0, 0, n) : torch::Tensor();
    writeCodesCsv((out / "latents.csv").string(), codes, labels);
    std::cout << "  " << (out / "latents.csv").string() << "  (" << n << " codes)\n";

    torch::Tensor idx = showcaseIndices(data);
    torch::Tensor inputs = pixels(data.images.index_select(0, idx));
    torch::Tensor itemLabels =
        data.hasLabels() ? data.labels.index_select(0, idx) : torch::Tensor();
    torch::Tensor outputs = trainer.decode(trainer.encode(inputs), itemLabels);
    writeImageGrid((out / "reconstructions.png").string(), torch::cat({inputs, outputs}),
                   int(inputs.size(0)), 3);
    std::cout << "  " << (out / "reconstructions.png").string() << "  (inputs above outputs)\n";

    if (trainer.config().kind == ModelKind::AaeSupervised) {
        // Each row keeps one item's style and runs through every label.
        std::vector<torch::Tensor> rows;
        torch::Tensor styles = trainer.encode(inputs);
        for (int64_t i = 0; i < styles.size(0); ++i)
            rows.push_back(trainer.decodeWithEveryLabel(styles[i]));
        writeImageGrid((out / "styles.png").string(), torch::cat(rows), trainer.config().numClasses,
                       3);
        std::cout << "  " << (out / "styles.png").string()
                  << "  (one style per row, every label across)\n";
    }
#ifdef LATENTLAB_HAVE_PICTURES
    const std::string title = toString(trainer.config().kind) + " on " + data.name + ", prior " +
                              trainer.prior().spec() + ", step " + std::to_string(trainer.steps());
    const OffscreenPictures pictures;
    writeLatentFigure((out / "latent.png").string(), codes, labels, trainer.prior(),
                      data.classNames, title);
    std::cout << "  " << (out / "latent.png").string() << "  (codes over the prior)\n";
#else
    std::cout << "  (latent.png skipped: this latentlab-cli was built without Qt)\n";
#endif
}

} // namespace

std::string formatDuration(double seconds) {
    if (!(seconds < 1e9)) // also NaN
        return "?";
    const long s = long(seconds + 0.5);
    auto two = [](long v) { return (v < 10 ? "0" : "") + std::to_string(v); };
    if (s >= 3600)
        return std::to_string(s / 3600) + "h" + two((s / 60) % 60) + "m";
    if (s >= 60)
        return std::to_string(s / 60) + "m" + two(s % 60) + "s";
    return std::to_string(s) + "s";
}

std::string formatProgress(int64_t step, int64_t target, double stepsPerSecond,
                           const std::vector<std::pair<std::string, double>> &losses) {
    std::string line = "step " + std::to_string(step) + "/" + std::to_string(target) + "  " +
                       formatFixed(stepsPerSecond, 1) + " steps/s";
    for (const auto &[name, v] : losses)
        line += "  " + name + " " + formatFixed(v, 4);
    const double left = double(target - step) / std::max(stepsPerSecond, 1e-9);
    return line + "  left " + formatDuration(left);
}

void addModelOptions(Args &args) {
    args.option("arch", "mlp|conv", "networks: MLP, or the ACAI paper's convolutions", "mlp");
    args.option("prior", "NAME", "gaussian, mixture10, mixture:K, swissroll, uniform", "gaussian");
    args.flag("labels", "condition the discriminator on labels (prior component per label)");
    args.option("labelled-fraction", "F",
                "with --labels or aae-semi: share of items whose label is used", "1");
    args.option("latent", "N", "code size (mlp; the style z of aae-semi and aae-cluster)", "2");
    args.option("clusters", "K", "aae-cluster: heads of the categorical code y", "16");
    args.option("cluster-balance", "X",
                "aae-cluster: weight of KL(mean y || uniform), not in the paper (0: off)", "1");
    args.option("hidden", "N", "width of the hidden layers", std::to_string(ModelConfig().hidden));
    args.option("conv-depth", "N", "conv: channels of the first level, doubled per level", "16");
    args.option("conv-scales", "N", "conv: 2x downsamplings (code is (H / 2^N) x (W / 2^N) maps)",
                "2");
    args.option("latent-channels", "N", "conv: maps in the code", "2");
    args.option("loss", "bce|mse", "reconstruction loss (acai: mse)", ModelConfig().loss);
    args.option("acai-lambda", "X", "acai: weight of the critic in the autoencoder's loss", "0.5");
    args.option("acai-gamma", "X", "acai: input share of the blends the critic must call 0", "0.2");
    args.option("acai-warmup", "N", "acai: steps over which lambda ramps up from 0", "0");
    args.option("steps", "N", "train until this many steps in all", "2000");
    const ModelConfig general, acai = ModelConfig::forKind(ModelKind::Acai);
    args.option("batch", "N", "minibatch size (acai: " + std::to_string(acai.batch) + ")",
                std::to_string(general.batch));
    args.option("lr", "X",
                "learning rate of the reconstruction phase (acai: " + formatNumber(acai.lrRecon) +
                    ")",
                formatNumber(general.lrRecon));
    args.option("lr-gen", "X", "learning rate of the encoder as generator",
                formatNumber(general.lrGen));
    args.option("lr-disc", "X",
                "learning rate of the discriminator or critic (acai: " + formatNumber(acai.lrDisc) +
                    ")",
                formatNumber(general.lrDisc));
    args.option("seed", "N", "random seed (weights, batches, noise)", "1");
    args.option("device", "auto|cpu|cuda", "where to train", "auto");
    addThreadsOption(args);
}

uint64_t seedOption(const Args &args) {
    return uint64_t(args.integer("seed", 0, (1ll << 53)));
}

ModelConfig configFromOptions(const Args &args, const Dataset &data, ModelKind kind) {
    // The kind's defaults (model/config.cpp), then what was given on the command line.
    ModelConfig c = ModelConfig::forKind(kind);
    c.arch = architectureFromString(args.text("arch"));
    c.prior = args.text("prior");
    c.labelConditioned = args.has("labels");
    c.labelledFraction = args.number("labelled-fraction", 0, 1);
    c.latent = int(args.integer("latent", 1, 4096));
    c.clusters = int(args.integer("clusters", 2, 1024));
    c.clusterBalance = args.number("cluster-balance", 0, 1e6);
    c.hidden = int(args.integer("hidden", 1, 65536));
    c.convDepth = int(args.integer("conv-depth", 1, 1024));
    c.convScales = int(args.integer("conv-scales", 0, 6));
    c.latentChannels = int(args.integer("latent-channels", 1, 1024));
    c.discHidden = c.hidden;
    if (args.has("loss")) {
        c.loss = args.text("loss");
        c.linearOutput = c.loss == "mse";
    }
    c.acaiLambda = args.number("acai-lambda", 0, 1e6);
    c.acaiGamma = args.number("acai-gamma", 0, 1);
    c.acaiWarmup = int(args.integer("acai-warmup", 0, 1 << 30));
    c.channels = data.channels();
    c.height = data.height();
    c.width = data.width();
    c.numClasses = data.numClasses;
    c.data = args.text("data");
    c.seed = seedOption(args);
    c.device = args.text("device");
    if (args.has("batch"))
        c.batch = int(args.integer("batch", 1, 1 << 20));
    if (args.has("lr"))
        c.lrRecon = args.number("lr", 1e-9, 10);
    if (args.has("lr-gen"))
        c.lrGen = args.number("lr-gen", 1e-9, 10);
    if (args.has("lr-disc"))
        c.lrDisc = args.number("lr-disc", 1e-9, 10);
    return c;
}

namespace {

// What one `train` call works on, after its options are read.
struct TrainRun {
    std::unique_ptr<Trainer> trainer;
    fs::path out;
    bool resumed = false;
};

// A resumed run takes its networks from the checkpoint; a new one from the options.
TrainRun setUpRun(const Args &args, const Context &ctx, const std::optional<LaunchInfo> &launch) {
    TrainRun run;
    Dataset data;
    run.resumed = args.has("resume");
    if (run.resumed) {
        for (const char *opt : kModelOptions)
            if (args.has(opt))
                throw UsageError(std::string("--") + opt +
                                 " cannot be changed when resuming: the checkpoint defines it");
        const std::string resume = args.text("resume");
        run.trainer = loadCheckpoint(resume, args.has("device") ? args.text("device") : "");
        Trainer &trainer = *run.trainer;
        const ModelConfig &c = trainer.config();
        data =
            loadData(args.has("data") ? args.text("data") : c.data, dataOptions(args, ctx, c.seed));
        run.out = args.has("out") ? fs::path(args.text("out")) : fs::path(resume).parent_path();
        if (run.out.empty())
            run.out = ".";
        if (args.has("batch"))
            trainer.setBatchSize(int(args.integer("batch", 1, 1 << 20)));
        auto rate = [&](const char *name, double current) {
            return args.has(name) ? args.number(name, 1e-9, 10) : current;
        };
        trainer.setLearningRates(rate("lr", c.lrRecon), rate("lr-disc", c.lrDisc),
                                 rate("lr-gen", c.lrGen));
        if (!launch || launch->rank == 0)
            std::cout << "resuming " << resume << " at step " << trainer.steps() << '\n';
    } else {
        const std::string spec = args.required("data");
        run.out = args.required("out");
        data = loadData(spec, dataOptions(args, ctx, seedOption(args)));
        run.trainer = std::make_unique<Trainer>(
            configFromOptions(args, data, modelKindFromString(args.text("model"))));
    }
    run.trainer->setData(std::move(data));
    if (!launch || launch->rank == 0)
        for (const auto &w : run.trainer->data().warnings)
            std::cout << "warning: " << w << '\n';
    return run;
}

// Steps until `target` or Ctrl-C, writing losses as it goes and the checkpoint every
// `checkpointEvery` seconds. A divergence ends the loop with the last good state restored;
// its message is returned (empty when none). With several processes (`group`) only process 0
// writes (`losses` is null elsewhere), and all agree after each step whether to stop, so that
// Ctrl-C in one stops them all at the same step.
std::string trainToTarget(Trainer &trainer, LossesCsvWriter *losses, const fs::path &checkpoint,
                          int64_t target, double checkpointEvery, ProcessGroup *group) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto lastPrint = start, lastSave = start;
    const int64_t firstStep = trainer.steps();
    const bool tty = isatty(STDOUT_FILENO) && losses;
    std::string diverged;
    bool stop = false;
    std::vector<std::pair<std::string, double>> shown; // the last losses read back
    while (trainer.steps() < target && !stop) {
        StepLosses last;
        try {
            last = trainer.step();
            stop = g_interrupted;
            if (group) {
                const torch::Tensor anyone = torch::tensor({stop ? 1.0f : 0.0f});
                group->average({anyone});
                stop = anyone.item<float>() > 0;
            }
            // The last step's losses are read even between --loss-every reads: what is saved
            // at the end has been checked for divergence.
            if (last.values.empty() && (trainer.steps() >= target || stop))
                last = trainer.readLatestLosses();
        } catch (const DivergenceError &e) {
            diverged = e.what(); // every process diverges at the same step: losses are averaged
            break;
        }
        const bool read = !last.values.empty(); // this step's losses (--loss-every)
        if (read)
            shown = last.values;
        if (!losses)
            continue;
        if (read)
            losses->write(last.step, last.values);

        const auto now = Clock::now();
        if (trainer.steps() >= target ||
            now - lastPrint > std::chrono::milliseconds(tty ? 250 : 5000)) {
            lastPrint = now;
            losses->flush(); // a window following the run reads them as they come
            const double elapsed = std::chrono::duration<double>(now - start).count();
            const double rate = double(trainer.steps() - firstStep) / std::max(elapsed, 1e-9);
            std::cout << (tty ? "\r" : "") << formatProgress(trainer.steps(), target, rate, shown)
                      << (tty ? "\033[K" : "\n") << std::flush;
        }
        // Saved after a step whose losses were read, so never with weights a divergence that
        // was not read yet has spoilt.
        if (read && std::chrono::duration<double>(now - lastSave).count() > checkpointEvery) {
            losses->flush();
            saveCheckpoint(trainer, checkpoint.string());
            lastSave = now;
        }
    }
    if (tty)
        std::cout << '\n';
    return diverged;
}

Args trainArgs() {
    Args args("train", "--data SPEC --model KIND --out DIR [OPTIONS]",
              "Trains an autoencoder of the AAE family for --steps minibatches and writes into\n"
              "DIR: model.pt (checkpoint), config.json, losses.csv, latents.csv, latent.png\n"
              "(codes over the prior's density) and reconstructions.png. Ctrl-C stops early and\n"
              "still saves the checkpoint; --resume continues from one. A loss that is not a\n"
              "number stops training with the last good weights (kept every 200 steps) restored\n"
              "and saved.");
    addDataOptions(args, false);
    args.option("model", "KIND",
                "ae, denoising, dropout, vae, acai, aae, aae-gaussian, aae-universal, "
                "aae-supervised, aae-semi, aae-cluster",
                "aae");
    addModelOptions(args);
    args.option("resume", "FILE", "continue training from this checkpoint");
    args.option("out", "DIR", "output folder (default with --resume: the checkpoint's)");
    args.option("show", "N", "items written to latents.csv and latent.png", "10000");
    args.option("checkpoint-every", "SECONDS", "also save the checkpoint this often", "60");
    args.option("loss-every", "N",
                "read the losses back (into losses.csv) every N steps; between reads a GPU "
                "runs ahead",
                "1");
    args.flag("cuda-graphs", "on a GPU, capture the whole step as a CUDA graph and replay it");
    args.option("dist-timeout", "SECONDS",
                "with several processes (torchrun, srun, packaging/launch.sh): how long to wait "
                "for the others before stopping",
                "120");
    return args;
}

// Threads and GPU of this process; with several (`launch`), the machine's cores shared among
// them and each on its local rank's GPU, as torchrun's LOCAL_RANK intends.
void placeProcess(const Args &args, const std::optional<LaunchInfo> &launch) {
    applyThreadsOption(args);
    if (!launch)
        return;
    if (!args.has("threads"))
        setComputeThreads(
            std::max(1, int(std::thread::hardware_concurrency()) / launch->localWorld));
    if (torch::cuda::is_available())
        setProcessGpu(launch->localRank % int(torch::cuda::device_count()));
}

// Joins the other processes of `launch` and says so (process 0).
std::shared_ptr<ProcessGroup> joinProcesses(Trainer &trainer, const LaunchInfo &launch,
                                            double timeoutSeconds, bool lead) {
    auto group =
        ProcessGroup::join(launch, std::chrono::milliseconds(int64_t(timeoutSeconds * 1000)));
    trainer.setProcessGroup(group);
    if (lead)
        std::cout << launch.world << " processes (" << launch.launcher << ", rendezvous "
                  << launch.masterAddress << ":" << launch.masterPort << "), each "
                  << trainer.config().batch / launch.world << " of every " << trainer.config().batch
                  << " items\n";
    return group;
}

void describeRun(const Trainer &trainer, int64_t targetSteps) {
    const ModelConfig &c = trainer.config();
    std::cout << "training " << toString(c.kind) << " (" << toString(c.arch) << ", code size "
              << c.codeSize() << ", prior " << trainer.prior().spec() << ") on "
              << trainer.data().name << " (" << trainer.data().size() << " images " << c.channels
              << "x" << c.height << "x" << c.width << "), device " << trainer.device()
              << ", to step " << targetSteps << '\n';
    if (trainer.steps() >= targetSteps)
        std::cout << "the model is already at step " << trainer.steps()
                  << "; raise --steps to train further\n";
    if (trainer.cudaGraphs() && !trainer.graphUsable())
        std::cout << "--cuda-graphs: the steps run eagerly: " << trainer.graphProblem() << '\n';
}

} // namespace

int runTrain(int argc, char **argv, const Context &ctx) {
    Args args = trainArgs();
    if (!args.parse(argc, argv))
        return 0;

    const int64_t targetSteps = args.integer("steps", 0, 100000000);
    const int64_t shown = args.integer("show", 1, 10000000);
    const double checkpointEvery = args.number("checkpoint-every", 1, 1e9);
    const double distTimeout = args.number("dist-timeout", 1, 1e6);
    // Several processes when a launcher says so (torchrun, srun, packaging/launch.sh).
    const std::optional<LaunchInfo> launch = LaunchInfo::fromEnvironment();
    const bool lead = !launch || launch->rank == 0; // writes the files and the progress
    placeProcess(args, launch);
    TrainRun run = setUpRun(args, ctx, launch);
    Trainer &trainer = *run.trainer;
    trainer.setLossInterval(args.integer("loss-every", 1, 1000000));
    trainer.setCudaGraphs(args.has("cuda-graphs"));
    std::shared_ptr<ProcessGroup> group;
    if (launch)
        group = joinProcesses(trainer, *launch, distTimeout, lead);

    const fs::path checkpointPath = run.out / "model.pt";
    const fs::path lossesPath = run.out / "losses.csv";
    installInterruptHandler();
    if (!lead) { // the others train along and write nothing; process 0 reports
        const std::string diverged = trainToTarget(trainer, nullptr, checkpointPath, targetSteps,
                                                   checkpointEvery, group.get());
        return !diverged.empty() ? 1 : g_interrupted ? 130 : 0;
    }
    makeOutputFolder(run.out);
    writeJsonFile(run.out / "config.json", trainer.config().toJson());
    // A resumed run goes on with the losses.csv it finds.
    LossesCsvWriter losses(lossesPath.string(), trainer.lossNames(), run.resumed);

    describeRun(trainer, targetSteps);
    const bool graphs = trainer.graphUsable();
    const std::string diverged =
        trainToTarget(trainer, &losses, checkpointPath, targetSteps, checkpointEvery, group.get());
    losses.flush();
    if (graphs)
        std::cout << (trainer.graphUsable()
                          ? "--cuda-graphs: the step was captured and replayed"
                          : "--cuda-graphs: the steps ran eagerly: " + trainer.graphProblem())
                  << '\n';
    saveCheckpoint(trainer, checkpointPath.string());
    if (g_interrupted)
        std::cout << "stopped at step " << trainer.steps() << "; the checkpoint is saved, "
                  << "continue with --resume " << checkpointPath.string() << '\n';
    std::cout << "wrote:\n  " << checkpointPath.string() << "  (checkpoint, step "
              << trainer.steps() << ")\n  " << (run.out / "config.json").string() << "\n  "
              << lossesPath.string() << '\n';
    writeOutputs(trainer, run.out, shown);
    if (!diverged.empty()) {
        std::cerr << "latentlab-cli train: " << diverged << '\n';
        return 1;
    }
    return g_interrupted ? 130 : 0;
}

} // namespace latentlab::cli
