// latentlab-cli project: a 2-D layout of a data set's codes (PCA, UMAP or two dimensions), with
// how well it keeps each item's nearest neighbours and how long it took.

#include "commands.h"

#include "model/analysis/layout.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "model/io/export.h"
#include "model/numbers.h"
#include "model/train/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <iostream>

namespace latentlab::cli {

namespace {

// --dims "I,J": the two code dimensions, each below the code size. Throws UsageError.
torch::Tensor dimensionsLayout(const Args &args, const torch::Tensor &codes) {
    const std::string text = args.text("dims");
    const size_t comma = text.find(',');
    const auto x = parseInteger(std::string_view(text).substr(0, comma));
    const auto y = comma == std::string::npos
                       ? std::nullopt
                       : parseInteger(std::string_view(text).substr(comma + 1));
    if (!x || !y || *x < 0 || *y < 0 || *x >= codes.size(1) || *y >= codes.size(1))
        throw UsageError("--dims " + text + ": expected two dimensions from 0 to " +
                         std::to_string(codes.size(1) - 1) + ", like 0,1");
    const std::vector<int64_t> picked{*x, *y};
    return codes.index_select(1, torch::tensor(picked, torch::kLong));
}

torch::Tensor umapLayout(const Args &args, const torch::Tensor &codes) {
    UmapOptions options;
    options.neighbours = int(args.integer("neighbours", 2, 200));
    options.minDistance = args.number("min-dist", 0, 10);
    options.epochs = int(args.integer("epochs", 0, 100000));
    options.seed = uint64_t(args.integer("seed", 0, 1ll << 53));
    options.threads = torch::get_num_threads(); // --threads, or one per core
    UmapLayout umap(options);
    umap.setCodes(codes);
    ProgressLine progress("umap", umap.epochsTotal(), "epochs");
    while (!umap.run(5))
        progress.update(umap.epochsDone());
    return umap.layout();
}

} // namespace

int runProject(int argc, char **argv, const Context &ctx) {
    Args args("project", "--checkpoint FILE [--data SPEC] --method pca|umap|dims --out FILE.csv",
              "Encodes a data set and lays its codes out in 2-D: their first two principal\n"
              "components (pca), UMAP (umap), or two chosen dimensions (dims). Writes\n"
              "index,label,x,y as CSV, one row per item in the order encode writes them, and\n"
              "prints the share of each item's 10 nearest neighbours in the code space that are\n"
              "also among its 10 nearest in the layout, and the time the layout took.");
    args.option("checkpoint", "FILE", kModelFileHelp);
    addDataOptions(args, false);
    args.option("method", "pca|umap|dims", "the layout", "umap");
    args.option("dims", "I,J", "dims: the two code dimensions shown", "0,1");
    args.option("neighbours", "K", "umap: neighbours in its graph", "15");
    args.option("min-dist", "X", "umap: how tightly points may pack", "0.1");
    args.option("epochs", "N", "umap: optimisation epochs (0: 500, or 200 from 10,000 items)", "0");
    args.option("seed", "N", "umap: random seed", "1");
    args.option("out", "FILE", "the CSV file to write");
    addThreadsOption(args);
    if (!args.parse(argc, argv))
        return 0;
    applyThreadsOption(args);
    const std::string method = args.text("method");
    if (method != "pca" && method != "umap" && method != "dims")
        throw UsageError("--method is '" + method + "'; expected pca, umap or dims");
    const std::string out = args.required("out");
    auto trainer = openModel(args.required("checkpoint"), "cpu");
    const ModelConfig &c = trainer->config();
    Dataset data = loadData(dataSpecFor(args, c), dataOptions(args, ctx, c.seed));
    trainer->setData(data);
    const torch::Tensor codes = encodeAll(*trainer, data);

    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    torch::Tensor layout;
    if (method == "pca") {
        layout = pcaLayout(codes);
    } else if (method == "dims") {
        layout = dimensionsLayout(args, codes);
    } else {
        layout = umapLayout(args, codes);
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    writeCodesCsv(out, layout, data.labels, {"x", "y"});
    // Measured on a sample of the items (each against all): exact over all pairs is hours at a
    // million.
    constexpr int64_t kQueries = 2000;
    const double kept = neighbourPreservation(codes, layout, 10, kQueries);
    std::cout << "wrote " << data.size() << " points to " << out << "\n"
              << method << " layout of " << data.size() << " codes of size " << codes.size(1)
              << " in " << formatFixed(seconds, 2) << " s; 10-nearest-neighbour preservation "
              << formatFixed(kept, 3)
              << (data.size() > kQueries
                      ? " (over " + std::to_string(kQueries) + " items drawn at random)"
                      : std::string())
              << '\n';
    return 0;
}

} // namespace latentlab::cli
