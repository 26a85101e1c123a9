// latentlab-cli eval: the papers' measures of a trained model's latent space.

#include "commands.h"
#include "evaluate.h"

#include "model/error.h"
#include "model/io/checkpoint.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <iostream>

namespace latentlab::cli {

int runEval(int argc, char **argv, const Context &ctx) {
    Args args("eval", "--checkpoint FILE [--data SPEC] [--metrics LIST] [--json FILE]",
              "Evaluates a checkpoint. Metrics: lines (the ACAI lines benchmark: 256\n"
              "interpolations of 16 steps between 512 held-out lines; needs a model of 32x32\n"
              "grey images), probe (a linear softmax on frozen codes), kmeans (k-means\n"
              "accuracy with Hungarian matching on whitened codes), parzen (Parzen-window\n"
              "log-likelihood of the test items under 10,000 decoded samples) and classify\n"
              "(error of the categorical code of aae-semi and aae-cluster). The data set's\n"
              "first 80% of items train the probe, k-means and cluster labels; the last 20%\n"
              "are the test items. A model from `train` saw all items without labels;\n"
              "`compare` trains on the first 80% only. Without --metrics, the metrics that do\n"
              "not apply to the model or the data are left out, each with the reason.");
    args.option("checkpoint", "FILE", kModelFileHelp);
    addDataOptions(args, false);
    args.option("metrics", "LIST",
                std::string("comma-separated: ") + metricNames() +
                    " (default: each of lines, probe, kmeans and classify that applies to the "
                    "model and the data)");
    args.option("json", "FILE", "also write the results as JSON");
    if (!args.parse(argc, argv))
        return 0;
    const bool named = args.has("metrics");
    std::vector<std::string> metrics =
        named ? parseMetrics(args.text("metrics"))
              : std::vector<std::string>{"lines", "probe", "kmeans", "classify"};
    auto trainer = openModel(args.required("checkpoint"), "cpu");
    const ModelConfig &c = trainer->config();

    Dataset data;
    if (metrics != std::vector<std::string>{"lines"})
        data = loadData(dataSpecFor(args, c), dataOptions(args, ctx, c.seed));
    // Unnamed metrics are those that apply; a named one that does not is an error (evaluate()).
    std::vector<std::pair<std::string, std::string>> leftOut;
    if (!named)
        metrics = defaultMetrics(c, data, leftOut);
    if (metrics.empty())
        throw Error("none of the default metrics applies to " + args.text("checkpoint") + ": " +
                    leftOut.front().second);
    const std::vector<Measure> measures = evaluate(*trainer, data, metrics, c.seed);

    nlohmann::ordered_json results;
    results["checkpoint"] = args.text("checkpoint");
    results["model"] = c.script.empty() ? toString(c.kind) : std::string("torchscript");
    results["step"] = trainer->steps();
    std::printf("%-32s %s\n", "metric", "value");
    for (const Measure &m : measures) {
        std::printf("%-32s %s%s%s\n", m.label.c_str(), formatValue(m).c_str(),
                    m.detail.empty() ? "" : "  ", m.detail.c_str());
        results[m.key] = m.value ? nlohmann::ordered_json(*m.value) : nlohmann::ordered_json();
    }
    for (const auto &[metric, why] : leftOut) {
        std::printf("left out %s: %s\n", metric.c_str(), why.c_str());
        results["left_out"][metric] = why;
    }
    if (args.has("json"))
        writeJsonFile(args.text("json"), results);
    return 0;
}

} // namespace latentlab::cli
