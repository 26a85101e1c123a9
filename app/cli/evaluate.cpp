#include "evaluate.h"

#include "args.h"

#include "model/analysis/eval.h"
#include "model/analysis/interpolation.h"
#include "model/error.h"
#include "model/numbers.h"

#include <torch/torch.h>

#include <cstdio>
#include <sstream>

namespace latentlab::cli {

namespace {

constexpr const char *kMetrics[] = {"lines", "probe", "kmeans", "parzen", "classify"};
constexpr int64_t kParzenSamples = 10000;

// `metric` must apply to the model and the data: else an Error with the reason.
void requireApplicable(const std::string &metric, const ModelConfig &config, const Dataset &data) {
    if (const std::string why = whyNotApplicable(metric, config, data); !why.empty())
        throw Error(why);
}

LinesScore linesOf(Trainer &trainer) {
    requireApplicable("lines", trainer.config(), Dataset());
    return linesBenchmark([&](const torch::Tensor &images) {
        const torch::Tensor codes = trainer.encode(images);
        std::vector<torch::Tensor> paths;
        for (int64_t p = 0; p + 1 < codes.size(0); p += 2)
            paths.push_back(trainer.decode(
                interpolationPath(codes[p], codes[p + 1], 16, InterpolationMode::Linear)));
        return torch::stack(paths);
    });
}

} // namespace

std::string whyNotApplicable(const std::string &metric, const ModelConfig &c, const Dataset &data) {
    if (metric == "lines") {
        if (c.channels != 1 || c.height != 32 || c.width != 32)
            return "the lines benchmark needs a model of 32x32 grey images; this one takes " +
                   c.imageShape() + ".";
        if (c.kind == ModelKind::AaeSupervised)
            return "the lines benchmark interpolates codes alone; the supervised AAE also needs "
                   "a label for each frame.";
        return {};
    }
    if ((metric == "probe" || metric == "kmeans" || metric == "classify") && !data.hasLabels())
        return "the data set '" + data.name + "' has no labels; " + metric + " needs them.";
    if (metric == "parzen" && (trainSplit(data) < 2 || data.size() - trainSplit(data) == 0))
        return "the data set '" + data.name + "' is too small for a Parzen estimate.";
    return {};
}

std::vector<std::string> defaultMetrics(const ModelConfig &config, const Dataset &data,
                                        std::vector<std::pair<std::string, std::string>> &leftOut) {
    std::vector<std::string> chosen;
    for (const char *metric : {"lines", "probe", "kmeans", "classify"}) {
        std::string why = whyNotApplicable(metric, config, data);
        if (why.empty() && std::string(metric) == "classify" && config.categories() == 0)
            why = "classify needs a model with a categorical code (aae-semi, aae-cluster).";
        if (why.empty())
            chosen.push_back(metric);
        else
            leftOut.emplace_back(metric, std::move(why));
    }
    return chosen;
}

const char *metricNames() {
    return "lines, probe, kmeans, parzen, classify";
}

std::vector<std::string> parseMetrics(const std::string &list) {
    std::vector<std::string> metrics;
    std::stringstream in(list);
    for (std::string m; std::getline(in, m, ',');) {
        bool known = false;
        for (const char *k : kMetrics)
            known = known || m == k;
        if (!known)
            throw UsageError("--metrics: unknown metric '" + m + "' (" + metricNames() + ")");
        metrics.push_back(m);
    }
    if (metrics.empty())
        throw UsageError("--metrics: name at least one metric (" + std::string(metricNames()) +
                         ")");
    return metrics;
}

std::vector<Measure> measureRows(const std::string &metric) {
    if (metric == "lines")
        return {{"lines_mean_distance", "lines: mean distance", false, {}, {}},
                {"lines_smoothness", "lines: smoothness", false, {}, {}}};
    if (metric == "probe")
        return {{"probe_accuracy", "linear probe accuracy", true, {}, {}}};
    if (metric == "kmeans")
        return {{"kmeans_accuracy", "k-means accuracy", true, {}, {}}};
    if (metric == "parzen")
        return {{"parzen_log_likelihood", "Parzen log-likelihood (nats)", false, {}, {}}};
    return {{"classify_error", "classification error (y)", true, {}, {}}};
}

int64_t trainSplit(const Dataset &data) {
    return data.size() * 4 / 5;
}

namespace {

// Parzen's log-likelihood of the test items under samples of the model, with a sigma chosen on
// the last fifth of the training items (at most 1,000).
void measureParzen(Trainer &trainer, const Dataset &train, const Dataset &test, int64_t split,
                   uint64_t seed, Measure &row) {
    trainer.setData(train); // models without a prior fit one to these codes
    const int64_t validation = std::min<int64_t>(1000, split / 5);
    const torch::Tensor samples = trainer.generate(kParzenSamples, seed);
    const std::vector<double> sigmas = {0.05, 0.08, 0.1, 0.12, 0.15, 0.18,
                                        0.2,  0.25, 0.3, 0.4,  0.5};
    const ParzenScore p =
        parzenEstimate(samples, train.images.slice(0, split - validation), test.images, sigmas);
    row.value = p.logLikelihood;
    row.detail = "+/- " + formatFixed(p.standardError, 1) + ", sigma " + formatFixed(p.sigma, 2) +
                 ", " + std::to_string(kParzenSamples) + " samples";
}

// The categorical AAEs' error: argmax y against the label (semi-supervised), or clusters
// labelled by their training majority.
void measureClassify(Trainer &trainer, const Dataset &data, const Dataset &train,
                     const Dataset &test, int64_t split, Measure &row) {
    const ModelConfig &c = trainer.config();
    if (c.categories() == 0)
        return;
    const torch::Tensor y = trainer.classify(data.images).argmax(1);
    const double accuracy =
        c.kind == ModelKind::AaeSemiSupervised
            ? y.slice(0, split).eq(test.labels).to(torch::kDouble).mean().item<double>()
            : clusterAccuracy(y.slice(0, 0, split), train.labels, y.slice(0, split), test.labels,
                              c.categories());
    row.value = 1.0 - accuracy;
    const int64_t used = (torch::bincount(y, {}, c.categories()) > 0).sum().item<int64_t>();
    row.detail = c.kind == ModelKind::AaeSemiSupervised
                     ? "argmax y against the label"
                     : std::to_string(used) + " of " + std::to_string(c.categories()) +
                           " clusters in use, each labelled by its training "
                           "majority";
}
} // namespace

std::vector<Measure> evaluate(Trainer &trainer, const Dataset &data,
                              const std::vector<std::string> &metrics, uint64_t seed) {
    const int64_t split = trainSplit(data);
    Dataset train, test; // empty when only the lines benchmark (which makes its own) is asked
    if (data.size() > 0) {
        train = data.slice(0, split);
        test = data.slice(split, data.size());
    }
    std::vector<Measure> out;
    torch::Tensor codes; // of all items, encoded once on first use
    auto encoded = [&]() -> const torch::Tensor & {
        if (!codes.defined())
            codes = trainer.encode(data.images);
        return codes;
    };
    for (const std::string &metric : metrics) {
        std::vector<Measure> rows = measureRows(metric);
        if (metric == "lines") {
            const LinesScore s = linesOf(trainer);
            rows[0].value = s.meanDistance;
            rows[1].value = s.smoothness;
        } else if (metric == "probe" || metric == "kmeans") {
            requireApplicable(metric, trainer.config(), data);
            const torch::Tensor &c = encoded();
            const torch::Tensor trainCodes = c.slice(0, 0, split), testCodes = c.slice(0, split);
            rows[0].value = metric == "probe" ? probeAccuracy(trainCodes, train.labels, testCodes,
                                                              test.labels, data.numClasses)
                                              : kmeansAccuracy(trainCodes, testCodes, test.labels,
                                                               data.numClasses, 10, seed);
        } else if (metric == "parzen") {
            requireApplicable(metric, trainer.config(), data);
            measureParzen(trainer, train, test, split, seed, rows[0]);
        } else { // classify
            requireApplicable(metric, trainer.config(), data);
            measureClassify(trainer, data, train, test, split, rows[0]);
        }
        out.insert(out.end(), rows.begin(), rows.end());
    }
    return out;
}

std::string formatValue(const Measure &m) {
    if (!m.value)
        return "-";
    if (m.percent)
        return formatFixed(100 * *m.value, 2) + "%";
    return formatFixed(*m.value, std::abs(*m.value) >= 10 ? 1 : 4);
}

} // namespace latentlab::cli
