// latentlab-cli compare: several kinds of model trained with the same budget and seed on the
// same items, evaluated by the same measures, written as one table (the ACAI paper's Table 1)
// and one picture of the same ends interpolated by every model (its Figure 3).

#include "commands.h"
#include "evaluate.h"

#include "model/analysis/interpolation.h"
#include "model/data/imageio.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "model/numbers.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace latentlab::cli {

namespace {

constexpr int kFrames = 12; // per interpolation row, the ends included

struct Result {
    ModelConfig config;
    int64_t steps = 0;
    double seconds = 0;
    std::vector<Measure> measures;
};

// Two held-out items to interpolate between: the first test item and the first after it whose
// label is half the classes away (far apart, for lines), else any other label, else the next.
std::pair<int64_t, int64_t> interpolationEnds(const Dataset &data, int64_t split) {
    const int64_t a = split;
    int64_t b = std::min(split + 1, data.size() - 1);
    if (!data.hasLabels())
        return {a, b};
    const int64_t la = data.labels[a].item<int64_t>();
    const int64_t opposite = (la + data.numClasses / 2) % std::max(data.numClasses, 1);
    int64_t other = -1;
    for (int64_t i = split + 1; i < data.size(); ++i) {
        const int64_t l = data.labels[i].item<int64_t>();
        if (l == opposite)
            return {a, i};
        if (other < 0 && l != la)
            other = i;
    }
    return {a, other >= 0 ? other : b};
}

torch::Tensor interpolationRow(Trainer &trainer, const Dataset &data, int64_t a, int64_t b) {
    const torch::Tensor codes = trainer.encode(data.images.index_select(0, torch::tensor({a, b})));
    const torch::Tensor path =
        interpolationPath(codes[0], codes[1], kFrames, InterpolationMode::Linear);
    torch::Tensor labels;
    if (trainer.config().kind == ModelKind::AaeSupervised) {
        // The decoder takes a label too: A's for the first half of the way, B's after.
        labels = torch::full({kFrames}, data.labels[a].item<int64_t>(), torch::kLong);
        labels.slice(0, kFrames / 2).fill_(data.labels[b].item<int64_t>());
    }
    return trainer.decode(path, labels);
}

void trainOne(Trainer &trainer, int64_t steps, const std::string &name) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto lastPrint = start;
    const bool tty = isatty(STDOUT_FILENO);
    while (trainer.steps() < steps) {
        const StepLosses losses = trainer.step();
        const auto now = Clock::now();
        if (trainer.steps() == steps || now - lastPrint > std::chrono::seconds(tty ? 1 : 10)) {
            lastPrint = now;
            const double elapsed = std::chrono::duration<double>(now - start).count();
            const double rate = double(trainer.steps()) / std::max(elapsed, 1e-9);
            std::string line =
                name + std::string(name.size() < 12 ? 12 - name.size() : 0, ' ') + " " +
                formatProgress(trainer.steps(), steps, rate, {{"recon", losses.value("recon")}});
            std::cout << (tty ? "\r" : "") << line << (tty ? "\033[K" : "\n") << std::flush;
        }
    }
    if (tty)
        std::cout << '\n';
}

std::string settingsOf(const ModelConfig &c) {
    std::ostringstream s;
    s << toString(c.arch) << ", code " << c.codeSize() << ", " << c.loss << ", batch " << c.batch
      << ", lr " << formatNumber(c.lrRecon);
    if (c.adversarial() || c.kind == ModelKind::Acai)
        s << (c.kind == ModelKind::Acai ? ", critic lr " : ", disc lr ") << formatNumber(c.lrDisc);
    return s.str();
}

void writeMarkdown(const fs::path &path, const std::vector<Result> &results, const Dataset &data,
                   int64_t split, const std::string &command) {
    std::ofstream md(path);
    md << "# latentlab-cli compare\n\n"
       << "Data: " << data.name << ", trained on items 0-" << split - 1 << ", tested on items "
       << split << "-" << data.size() - 1 << ".\n\n"
       << "Command: `" << command << "`\n\n| metric |";
    for (const Result &r : results)
        md << ' ' << toString(r.config.kind) << " |";
    md << "\n|---|";
    for (size_t i = 0; i < results.size(); ++i)
        md << "---:|";
    md << '\n';
    for (size_t row = 0; row < results.front().measures.size(); ++row) {
        md << "| " << results.front().measures[row].label << " |";
        for (const Result &r : results)
            md << ' ' << formatValue(r.measures[row]) << " |";
        md << '\n';
    }
    md << "| training time |";
    for (const Result &r : results)
        md << ' ' << formatDuration(r.seconds) << " |";
    md << "\n\nSettings (" << results.front().steps << " steps each, seed "
       << results.front().config.seed << "):\n\n";
    for (const Result &r : results) {
        md << "- " << toString(r.config.kind) << ": " << settingsOf(r.config);
        for (const Measure &m : r.measures)
            if (!m.detail.empty())
                md << "; " << m.label << ": " << m.detail;
        md << '\n';
    }
    md << "\ninterpolations.png: the same two held-out items interpolated by each model, one row "
          "per model in the order of the columns above.\n";
    if (!md)
        throw Error(path.string() + ": cannot write.");
}

Args compareArgs() {
    Args args("compare", "--data SPEC --models LIST --steps N --seed S --out DIR [OPTIONS]",
              "Trains each model with the same steps, seed and options on the first 80% of the\n"
              "data set's items, evaluates each on the rest, and writes DIR/results.md (models as\n"
              "columns, metrics as rows), DIR/results.json, DIR/interpolations.png (the same two\n"
              "held-out items interpolated by every model, one row each) and DIR/MODEL/model.pt.\n"
              "Options not given take each kind's defaults, as in `train`.");
    addDataOptions(args, true);
    args.option("models", "LIST", "comma-separated kinds, as for train --model",
                "ae,denoising,dropout,vae,aae,acai");
    args.option("metrics", "LIST",
                std::string("comma-separated: ") + metricNames() +
                    " (default: lines for lines data, else probe,kmeans,parzen,classify)");
    args.option("out", "DIR", "output folder");
    addModelOptions(args);
    return args;
}

// The kinds named in --models. Throws UsageError.
std::vector<ModelKind> parseKinds(const std::string &text) {
    std::vector<ModelKind> kinds;
    std::stringstream list(text);
    for (std::string name; std::getline(list, name, ',');) {
        try {
            kinds.push_back(modelKindFromString(name));
        } catch (const Error &e) {
            throw UsageError(std::string("--models: ") + e.what());
        }
    }
    if (kinds.empty())
        throw UsageError("--models: name at least one kind of model");
    return kinds;
}

// One model of `kind` trained on the first `split` items and measured on all of `data`; its
// checkpoint in out/KIND/model.pt, its row of the interpolation figure appended to `rows`.
Result trainAndMeasure(const Args &args, const Dataset &data, int64_t split, ModelKind kind,
                       const std::vector<std::string> &metrics, const fs::path &out,
                       std::pair<int64_t, int64_t> ends, std::vector<torch::Tensor> &rows) {
    Result r;
    r.config = configFromOptions(args, data, kind);
    const std::string name = toString(kind);
    Trainer trainer(r.config);
    trainer.setData(data.slice(0, split));
    const auto start = std::chrono::steady_clock::now();
    trainOne(trainer, args.integer("steps", 1, 100000000), name);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.steps = trainer.steps();
    makeOutputFolder(out / name);
    saveCheckpoint(trainer, (out / name / "model.pt").string());
    r.measures = evaluate(trainer, data, metrics, r.config.seed);
    rows.push_back(interpolationRow(trainer, data, ends.first, ends.second));
    return r;
}

nlohmann::ordered_json resultJson(const Result &r) {
    nlohmann::ordered_json m;
    m["config"] = r.config.toJson();
    m["training_seconds"] = r.seconds;
    for (const Measure &x : r.measures)
        m[x.key] = x.value ? nlohmann::ordered_json(*x.value) : nlohmann::ordered_json();
    return m;
}

} // namespace

int runCompare(int argc, char **argv, const Context &ctx) {
    Args args = compareArgs();
    if (!args.parse(argc, argv))
        return 0;
    applyThreadsOption(args);
    const int64_t steps = args.integer("steps", 1, 100000000);
    const fs::path out = args.required("out");
    const std::vector<ModelKind> kinds = parseKinds(args.text("models"));
    const Dataset data = loadData(args.required("data"), dataOptions(args, ctx, seedOption(args)));
    const bool lines = data.name.rfind("lines", 0) == 0;
    const std::vector<std::string> metrics =
        parseMetrics(args.has("metrics") ? args.text("metrics")
                                         : (lines ? "lines" : "probe,kmeans,parzen,classify"));
    const int64_t split = trainSplit(data);
    if (split < 1 || split >= data.size())
        throw Error("the data set '" + data.name +
                    "' is too small to split into training and "
                    "test items.");
    makeOutputFolder(out);
    std::string command = "latentlab-cli compare";
    for (int i = 0; i < argc; ++i)
        command += std::string(" ") + argv[i];

    const auto ends = interpolationEnds(data, split);
    std::vector<Result> results;
    std::vector<torch::Tensor> rows;
    nlohmann::ordered_json json;
    json["data"] = data.name;
    json["steps"] = steps;
    json["seed"] = seedOption(args);
    json["train_items"] = split;
    json["test_items"] = data.size() - split;
    nlohmann::ordered_json models = nlohmann::ordered_json::object();
    for (ModelKind kind : kinds) {
        results.push_back(trainAndMeasure(args, data, split, kind, metrics, out, ends, rows));
        models[toString(kind)] = resultJson(results.back());
    }
    json["models"] = models;

    writeMarkdown(out / "results.md", results, data, split, command);
    writeJsonFile(out / "results.json", json);
    writeImageGrid((out / "interpolations.png").string(), torch::cat(rows), kFrames, 3);

    std::cout << '\n';
    std::ifstream md(out / "results.md");
    std::cout << md.rdbuf() << "\nwrote " << (out / "results.md").string() << ", "
              << (out / "results.json").string() << ", " << (out / "interpolations.png").string()
              << '\n';
    return 0;
}

} // namespace latentlab::cli
