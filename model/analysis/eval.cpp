#include "model/analysis/eval.h"

#include "model/data/lines.h"
#include "model/error.h"

#include <opencv2/core.hpp>
#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace latentlab {

namespace {
constexpr double kTwoPi = 6.283185307179586;
}

std::vector<int> hungarian(const torch::Tensor &costIn) {
    // The O(K^3) shortest augmenting path form with row and column potentials.
    const torch::Tensor cost = costIn.to(torch::kDouble).contiguous();
    const int n = int(cost.size(0));
    auto a = cost.accessor<double, 2>();
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(n + 1), v(n + 1);
    std::vector<int> p(n + 1), way(n + 1);
    for (int i = 1; i <= n; ++i) {
        p[0] = i;
        int j0 = 0;
        std::vector<double> minv(n + 1, inf);
        std::vector<bool> used(n + 1, false);
        do {
            used[j0] = true;
            const int i0 = p[j0];
            double delta = inf;
            int j1 = 0;
            for (int j = 1; j <= n; ++j) {
                if (used[j])
                    continue;
                const double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (int j = 0; j <= n; ++j) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            const int j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    std::vector<int> columnOfRow(n);
    for (int j = 1; j <= n; ++j)
        columnOfRow[p[j] - 1] = j - 1;
    return columnOfRow;
}

double matchedAccuracy(const torch::Tensor &clusters, const torch::Tensor &labels) {
    const int64_t k = std::max(clusters.max().item<int64_t>(), labels.max().item<int64_t>()) + 1;
    torch::Tensor counts = torch::zeros({k, k}, torch::kDouble);
    auto c = clusters.to(torch::kLong).contiguous(), l = labels.to(torch::kLong).contiguous();
    for (int64_t i = 0; i < c.size(0); ++i)
        counts[c[i].item<int64_t>()][l[i].item<int64_t>()] += 1;
    const std::vector<int> match = hungarian(-counts); // maximise matched counts
    double hits = 0;
    for (int64_t r = 0; r < k; ++r)
        hits += counts[r][match[size_t(r)]].item<double>();
    return hits / double(c.size(0));
}

double kmeansAccuracy(const torch::Tensor &trainCodes, const torch::Tensor &testCodes,
                      const torch::Tensor &testLabels, int classes, int restarts, uint64_t seed) {
    const torch::Tensor train = trainCodes.to(torch::kDouble);
    const torch::Tensor mean = train.mean(0);
    const auto svd = torch::linalg_svd(train - mean, false);
    const torch::Tensor s = std::get<1>(svd).clamp_min(1e-12);
    const torch::Tensor basis = std::get<2>(svd).t(); // [D, D]
    const double scale = std::sqrt(double(train.size(0)));
    auto whiten = [&](const torch::Tensor &z) {
        return ((z.to(torch::kDouble) - mean).mm(basis) / s * scale).to(torch::kFloat).contiguous();
    };
    torch::Tensor w = whiten(trainCodes);
    cv::Mat points(int(w.size(0)), int(w.size(1)), CV_32F, w.data_ptr<float>());
    cv::Mat assignment, centres;
    cv::setRNGSeed(int(seed));
    cv::kmeans(points, classes, assignment,
               cv::TermCriteria(cv::TermCriteria::EPS + cv::TermCriteria::COUNT, 300, 1e-5),
               restarts, cv::KMEANS_PP_CENTERS, centres);
    const torch::Tensor c =
        torch::from_blob(centres.ptr<float>(), {centres.rows, centres.cols}, torch::kFloat).clone();
    const torch::Tensor nearest = torch::cdist(whiten(testCodes), c).argmin(1);
    return matchedAccuracy(nearest, testLabels);
}

double probeAccuracy(const torch::Tensor &trainCodes, const torch::Tensor &trainLabels,
                     const torch::Tensor &testCodes, const torch::Tensor &testLabels, int classes,
                     int iterations) {
    const torch::Tensor mean = trainCodes.mean(0), std = trainCodes.std(0).clamp_min(1e-6);
    const torch::Tensor x = (trainCodes - mean) / std, xt = (testCodes - mean) / std;
    torch::manual_seed(0);
    torch::nn::Linear layer(x.size(1), classes);
    torch::optim::Adam opt(layer->parameters(), torch::optim::AdamOptions(0.05));
    for (int i = 0; i < iterations; ++i) {
        opt.zero_grad();
        torch::nn::functional::cross_entropy(layer(x), trainLabels).backward();
        opt.step();
    }
    torch::NoGradGuard noGrad;
    return layer(xt).argmax(1).eq(testLabels).to(torch::kDouble).mean().item<double>();
}

double clusterAccuracy(const torch::Tensor &trainClusters, const torch::Tensor &trainLabels,
                       const torch::Tensor &testClusters, const torch::Tensor &testLabels,
                       int clusters) {
    const int64_t classes =
        std::max(trainLabels.max().item<int64_t>(), testLabels.max().item<int64_t>()) + 1;
    const torch::Tensor counts =
        torch::zeros({clusters * classes}, torch::kLong)
            .index_add_(0, trainClusters * classes + trainLabels, torch::ones_like(trainLabels))
            .view({clusters, classes});
    // A cluster without training items maps to -1, which matches no label.
    const torch::Tensor labelOf =
        torch::where(counts.sum(1) > 0, counts.argmax(1), torch::full({clusters}, -1L));
    return labelOf.index_select(0, testClusters)
        .eq(testLabels)
        .to(torch::kDouble)
        .mean()
        .item<double>();
}

torch::Tensor parzenLogLikelihood(const torch::Tensor &samples, const torch::Tensor &test,
                                  double sigma) {
    if (sigma <= 0)
        throw Error("the Parzen bandwidth must be positive.");
    const torch::Tensor s = samples.flatten(1).to(torch::kDouble);
    const double d = double(s.size(1));
    const double norm = std::log(double(s.size(0))) + 0.5 * d * std::log(kTwoPi * sigma * sigma);
    std::vector<torch::Tensor> parts;
    for (int64_t i = 0; i < test.size(0); i += 500) { // [chunk, S] distances at a time
        const torch::Tensor x = pixels(test.slice(0, i, i + 500)).flatten(1).to(torch::kDouble);
        const torch::Tensor sq = torch::cdist(x, s).pow(2);
        parts.push_back(torch::logsumexp(-sq / (2 * sigma * sigma), 1) - norm);
    }
    return parts.empty() ? torch::empty({0}, torch::kDouble) : torch::cat(parts);
}

ParzenScore parzenEstimate(const torch::Tensor &samples, const torch::Tensor &validation,
                           const torch::Tensor &test, const std::vector<double> &sigmas) {
    if (sigmas.empty() || samples.size(0) == 0 || validation.size(0) == 0 || test.size(0) == 0)
        throw Error("the Parzen estimate needs samples, validation and test items and bandwidths.");
    ParzenScore best;
    double bestValidation = -std::numeric_limits<double>::infinity();
    for (double sigma : sigmas) {
        const double v = parzenLogLikelihood(samples, validation, sigma).mean().item<double>();
        if (v > bestValidation) {
            bestValidation = v;
            best.sigma = sigma;
        }
    }
    const torch::Tensor ll = parzenLogLikelihood(samples, test, best.sigma);
    best.logLikelihood = ll.mean().item<double>();
    best.standardError =
        ll.size(0) > 1 ? ll.std().item<double>() / std::sqrt(double(ll.size(0))) : 0.0;
    return best;
}

LinesScore linesScore(const torch::Tensor &frames) {
    const int64_t pairs = frames.size(0), n = frames.size(1);
    if (n < 2)
        throw Error("the lines benchmark needs interpolations of at least 2 steps.");
    constexpr int kReferences = 10000;
    const torch::Tensor angles =
        torch::arange(kReferences, torch::kDouble) * (kTwoPi / kReferences);
    // The paper's [-1, 1] pixels, unit length.
    auto unit = [](const torch::Tensor &images, torch::ScalarType type) {
        const torch::Tensor v = pixels(images).flatten(1).to(type) * 2 - 1;
        return v / v.norm(2, 1, true).clamp_min(1e-8);
    };
    const torch::Tensor refImages = renderLines(angles);
    const torch::Tensor frameImages = frames.reshape({pairs * n, -1});
    // Float32 finds a few candidate references; float64 picks the nearest of them and measures
    // its distance. A float32 dot product of 1024 terms is off by up to ~1e-6 depending on which
    // kernels the BLAS picks for the processor, and an exact line must score 0 on any of them.
    constexpr int64_t kCandidates = 4;
    const torch::Tensor scores =
        unit(frameImages, torch::kFloat).mm(unit(refImages, torch::kFloat).t());
    const torch::Tensor candidates = std::get<1>(scores.topk(kCandidates, 1)); // [frames, k]
    const torch::Tensor framesD = unit(frameImages, torch::kDouble);           // [frames, P]
    std::vector<torch::Tensor> similarities;
    for (int64_t k = 0; k < kCandidates; ++k) {
        const torch::Tensor ref = refImages.index_select(0, candidates.select(1, k));
        similarities.push_back((unit(ref, torch::kDouble) * framesD).sum(1));
    }
    const auto [similarity, best] = torch::stack(similarities, 1).max(1);
    const torch::Tensor nearest = candidates.gather(1, best.unsqueeze(1)).squeeze(1);

    LinesScore score;
    score.interpolations = int(pairs);
    score.meanDistance = (1 - similarity).mean().item<double>();
    const torch::Tensor theta = angles.index_select(0, nearest).view({pairs, n});
    double smooth = 0;
    for (int64_t p = 0; p < pairs; ++p) {
        // Unwrap: each step takes the shorter way round the circle.
        std::vector<double> t(static_cast<size_t>(n));
        t[0] = theta[p][0].item<double>();
        for (int64_t i = 1; i < n; ++i) {
            const double d = std::remainder(theta[p][i].item<double>() - t[size_t(i - 1)], kTwoPi);
            t[size_t(i)] = t[size_t(i - 1)] + d;
        }
        double largest = 0;
        for (int64_t i = 1; i < n; ++i)
            largest = std::max(largest, std::abs(t[size_t(i)] - t[size_t(i - 1)]));
        const double total = std::abs(t.back() - t.front());
        if (total >= 1e-4) // undefined otherwise: counted as 0, still in the mean's denominator
            smooth += largest / total - 1.0 / double(n - 1);
    }
    score.smoothness = smooth / double(pairs);
    return score;
}

LinesScore linesBenchmark(const std::function<torch::Tensor(const torch::Tensor &)> &interpolate,
                          uint64_t seed) {
    const Dataset heldOut = makeLinesDataset(512, seed);
    return linesScore(interpolate(heldOut.images));
}

} // namespace latentlab
