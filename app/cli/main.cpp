// latentlab-cli: trains, evaluates and inspects LatentLab models without a window.

#include "commands.h"

#include "model/device.h"
#include "model/error.h"

#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <cstring>
#include <iostream>

using namespace latentlab;
using namespace latentlab::cli;

namespace {

const char kUsage[] =
    "Usage: latentlab-cli COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  train        train an autoencoder of the AAE family and write its pictures\n"
    "  encode       encode a data set with a checkpoint, to CSV\n"
    "  project      a 2-D layout of the codes (PCA, UMAP, two dimensions), to CSV\n"
    "  decode       decode one code to a PNG\n"
    "  interpolate  decode the path between two items to a PNG strip\n"
    "  eval         the papers' measures: lines benchmark, linear probe, k-means,\n"
    "               Parzen log-likelihood, classification error\n"
    "  compare      trains several kinds of model alike; one table, one picture\n"
    "  bench        time training steps and one-image decodes\n"
    "  export       write a checkpoint's configuration and weights for Python's torch.load\n"
    "\n"
    "'latentlab-cli COMMAND --help' describes a command's options; 'latentlab-cli --version'\n"
    "prints the version.\n";

struct Command {
    const char *name;
    int (*run)(int, char **, const Context &);
};

constexpr Command kCommands[] = {
    {"train", runTrain},     {"encode", runEncode},
    {"decode", runDecode},   {"interpolate", runInterpolate},
    {"eval", runEval},       {"compare", runCompare},
    {"bench", runBench},     {"export", runExport},
    {"project", runProject},
};

} // namespace

int main(int argc, char **argv) {
    latentlab::keepFreedMemory();
    if (argc < 2) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (name == "--version") {
        const std::string gpus = gpuSummary();
        std::cout << "latentlab-cli " LATENTLAB_VERSION " (LibTorch " TORCH_VERSION ", "
                  << (gpus.empty() ? std::string("CPU only") : "CUDA available; " + gpus) << ")\n";
        return 0;
    }
    const Context ctx{argv[0]};
    for (const auto &command : kCommands) {
        if (name != command.name)
            continue;
        try {
            return command.run(argc - 2, argv + 2, ctx);
        } catch (const UsageError &e) {
            std::cerr << "latentlab-cli " << name << ": " << e.what() << " (see --help)\n";
            return 2;
        } catch (const Error &e) {
            std::cerr << "latentlab-cli " << name << ": " << e.what() << '\n';
            return 1;
        } catch (const c10::Error &e) {
            std::cerr << "latentlab-cli " << name
                      << ": LibTorch failed: " << e.what_without_backtrace() << '\n';
            return 1;
        } catch (const std::exception &e) {
            std::cerr << "latentlab-cli " << name << ": " << e.what() << '\n';
            return 1;
        }
    }
    std::cerr << "latentlab-cli: unknown command '" << name
              << "'; expected train, encode, decode, interpolate, eval, compare, project, bench or "
                 "export (see "
                 "--help)\n";
    return 2;
}
