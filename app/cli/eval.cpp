// latentlab-cli eval: the papers' measures of a trained model's latent space.

#include "commands.h"

#include "model/checkpoint.h"
#include "model/error.h"
#include "model/eval.h"
#include "model/interpolation.h"
#include "model/json.h"

#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace latentlab::cli {

int runEval(int argc, char **argv, const Context &ctx) {
    Args args("eval", "--checkpoint FILE [--data SPEC] [--metrics LIST] [--json FILE]",
              "Evaluates a checkpoint. Metrics: lines (the ACAI lines benchmark: 256\n"
              "interpolations of 16 steps between 512 held-out lines; needs a model of 32x32\n"
              "grey images), probe (a linear softmax on frozen codes) and kmeans (k-means\n"
              "accuracy with Hungarian matching on whitened codes). probe and kmeans train on\n"
              "the first 80% of the data set's items and test on the last 20%.");
    args.option("checkpoint", "FILE", "a checkpoint written by latentlab-cli train");
    addDataOptions(args, false);
    args.option("metrics", "LIST", "comma-separated: lines, probe, kmeans", "lines,probe,kmeans");
    args.option("json", "FILE", "also write the results as JSON");
    if (!args.parse(argc, argv))
        return 0;
    auto trainer = loadCheckpoint(args.required("checkpoint"), "cpu");
    const ModelConfig &c = trainer->config();

    std::vector<std::string> metrics;
    std::stringstream list(args.text("metrics"));
    for (std::string m; std::getline(list, m, ',');) {
        if (m != "lines" && m != "probe" && m != "kmeans")
            throw UsageError("--metrics: unknown metric '" + m + "' (lines, probe, kmeans)");
        metrics.push_back(m);
    }
    Json results = Json::object();
    results.set("checkpoint", args.text("checkpoint"));
    results.set("model", toString(c.kind));
    results.set("step", trainer->steps());
    std::printf("%-28s %s\n", "metric", "value");

    for (const std::string &m : metrics) {
        if (m == "lines") {
            if (c.channels != 1 || c.height != 32 || c.width != 32)
                throw Error("the lines benchmark needs a model of 32x32 grey images; this one "
                            "takes " +
                            std::to_string(c.channels) + "x" + std::to_string(c.height) + "x" +
                            std::to_string(c.width) + ".");
            const LinesScore s = linesBenchmark([&](const torch::Tensor &images) {
                const torch::Tensor codes = trainer->encode(images);
                std::vector<torch::Tensor> paths;
                for (int64_t p = 0; p + 1 < codes.size(0); p += 2)
                    paths.push_back(trainer->decode(
                        interpolationPath(codes[p], codes[p + 1], 16, InterpolationMode::Linear)));
                return torch::stack(paths);
            });
            std::printf("%-28s %.4f\n%-28s %.4f\n", "lines mean distance", s.meanDistance,
                        "lines smoothness", s.smoothness);
            results.set("lines_mean_distance", s.meanDistance);
            results.set("lines_smoothness", s.smoothness);
            continue;
        }
        const Dataset data =
            loadData(args.has("data") ? args.text("data") : c.data, dataOptions(args, ctx, c.seed));
        if (!data.hasLabels())
            throw Error("the data set '" + data.name + "' has no labels; " + m + " needs them.");
        trainer->setData(data);
        const int64_t split = data.size() * 4 / 5;
        const torch::Tensor codes = trainer->encode(data.images);
        const torch::Tensor train = codes.slice(0, 0, split), test = codes.slice(0, split);
        const torch::Tensor trainLabels = data.labels.slice(0, 0, split);
        const torch::Tensor testLabels = data.labels.slice(0, split);
        if (m == "probe") {
            const double a = probeAccuracy(train, trainLabels, test, testLabels, data.numClasses);
            std::printf("%-28s %.2f%%\n", "linear probe accuracy", 100 * a);
            results.set("probe_accuracy", a);
        } else {
            const double a = kmeansAccuracy(train, test, testLabels, data.numClasses, 10, c.seed);
            std::printf("%-28s %.2f%%\n", "k-means accuracy", 100 * a);
            results.set("kmeans_accuracy", a);
        }
    }
    if (args.has("json")) {
        std::ofstream out(args.text("json"));
        out << results.dump(2) << '\n';
        if (!out)
            throw Error(args.text("json") + ": cannot write.");
    }
    return 0;
}

} // namespace latentlab::cli
