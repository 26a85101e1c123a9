#pragma once
// The measures that `eval` and `compare` report, computed the same way for both. Items are split
// once: the first 80% train (the probe, k-means, cluster labels, Parzen samples' fit), the last
// 20% test; the Parzen bandwidth is chosen on the last 1,000 training items.

#include "model/data/dataset.h"
#include "model/train/trainer.h"

#include <optional>
#include <string>
#include <vector>

namespace latentlab::cli {

struct Measure {
    std::string key;   // JSON key, e.g. "probe_accuracy"
    std::string label; // table row, e.g. "linear probe accuracy"
    bool percent = false;
    std::optional<double> value; // empty where the metric does not apply to the model
    std::string detail;          // e.g. the chosen Parzen bandwidth; may be empty
};

// "lines,probe" -> {"lines", "probe"}; throws UsageError naming an unknown metric.
std::vector<std::string> parseMetrics(const std::string &list);
const char *metricNames(); // "lines, probe, kmeans, parzen, classify"

// Why `metric` cannot be computed for this model on this data (one sentence), or empty when it
// can. `data` may be empty where the metric needs none (lines). A categorical metric (classify)
// counts as applicable to a model without a categorical code: its row is "-" (compare's table).
std::string whyNotApplicable(const std::string &metric, const ModelConfig &config,
                             const Dataset &data);

// The metrics eval computes when none are named: each of lines, probe, kmeans and classify that
// applies to the model and the data (classify only for a model with a categorical code). The
// others are added to `leftOut` as (metric, reason).
std::vector<std::string> defaultMetrics(const ModelConfig &config, const Dataset &data,
                                        std::vector<std::pair<std::string, std::string>> &leftOut);

// The rows a metric produces, in table order, each without a value.
std::vector<Measure> measureRows(const std::string &metric);

// Evaluates the trained model; `data` is the whole labelled set (split as above). Rows of a
// metric that does not apply (classify for a model without a categorical code) stay empty.
// Throws Error when the data cannot serve a metric (no labels, not 32x32 lines images, ...).
std::vector<Measure> evaluate(Trainer &trainer, const Dataset &data,
                              const std::vector<std::string> &metrics, uint64_t seed);

// Splits at 80%: the items the models train on in `compare`, and the held-out rest.
int64_t trainSplit(const Dataset &data);

// "97.31%", "0.0091", "-" for an empty value.
std::string formatValue(const Measure &m);

} // namespace latentlab::cli
