#pragma once
// The sub-commands of latentlab-cli. Each parses its own options from the arguments after its
// name and returns the exit status: 0 done, 1 failed at run time, 2 bad usage (thrown as
// UsageError and reported by main).

#include "args.h"

#include "model/config.h"
#include "model/data/dataset.h"
#include "model/io/export.h"
#include "model/train/trainer.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>

namespace latentlab::cli {

struct Context {
    std::string executable; // argv[0], to find the demo data beside the build
};

int runTrain(int argc, char **argv, const Context &ctx);
int runEncode(int argc, char **argv, const Context &ctx);
int runDecode(int argc, char **argv, const Context &ctx);
int runInterpolate(int argc, char **argv, const Context &ctx);
int runBench(int argc, char **argv, const Context &ctx);
int runEval(int argc, char **argv, const Context &ctx);
int runCompare(int argc, char **argv, const Context &ctx);
int runExport(int argc, char **argv, const Context &ctx);
int runProject(int argc, char **argv, const Context &ctx);

// Shared by the commands that read data.
void addDataOptions(Args &args, bool required);
DataOptions dataOptions(const Args &args, const Context &ctx, uint64_t seed);
// --threads N: caps LibTorch's intra-op threads (train, bench).
void addThreadsOption(Args &args);
void applyThreadsOption(const Args &args);
Dataset loadData(const std::string &spec, const DataOptions &options);
// --checkpoint's help: the files encode, decode, interpolate and eval open (model/io/checkpoint.h
// openModel()).
extern const char *const kModelFileHelp;
// --data, or the model's own data set; a TorchScript model of an unusual image shape names none:
// then UsageError asks for --data.
std::string dataSpecFor(const Args &args, const ModelConfig &config);
// Creates the output folder `out` (and its parents). Throws Error when it cannot.
void makeOutputFolder(const std::filesystem::path &out);
// Writes `json` indented, with a final newline. Throws Error when it cannot.
void writeJsonFile(const std::filesystem::path &path, const nlohmann::ordered_json &json);

// Progress of a long loop, on stderr: "encode: 340000 of 1000000 items, 12s left", at most one
// line every 2 s and none in the first 2 s, so short runs print nothing.
class ProgressLine {
public:
    ProgressLine(std::string what, int64_t total, std::string unit = "items");
    void update(int64_t done);

private:
    std::string what_, unit_;
    int64_t total_;
    double start_, last_;
};

// The codes of every item of `data`, encoded a chunk at a time with progress; with `csv`, each
// chunk is written out as it comes and not kept (the result is then undefined).
torch::Tensor encodeAll(Trainer &trainer, const Dataset &data, CodesCsvWriter *csv = nullptr);

// Shared by train and compare: the options that define a model and how it trains (all but
// --model), and the configuration they give for one kind on `data` (train.cpp).
void addModelOptions(Args &args);
uint64_t seedOption(const Args &args);
ModelConfig configFromOptions(const Args &args, const Dataset &data, ModelKind kind);
std::string formatDuration(double seconds); // "45s", "3m05s", "1h02m"
// One progress line: "step 120/2000  35.2 steps/s  recon 0.1234  ...  left 53s".
std::string formatProgress(int64_t step, int64_t target, double stepsPerSecond,
                           const std::vector<std::pair<std::string, double>> &losses);

} // namespace latentlab::cli
