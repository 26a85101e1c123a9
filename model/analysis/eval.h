#pragma once
// The papers' measures of a latent space: the ACAI lines benchmark, a linear probe on frozen
// codes, and k-means clustering accuracy with Hungarian matching.

#include <torch/types.h>

#include <functional>
#include <vector>

namespace latentlab {

// Best one-to-one mapping of clusters to labels (Hungarian algorithm on the K x K counts):
// the share of items whose cluster maps to their label. clusters, labels: int64 [N].
double matchedAccuracy(const torch::Tensor &clusters, const torch::Tensor &labels);

// Minimum-cost assignment for a square cost matrix (double [K, K]): column of each row.
std::vector<int> hungarian(const torch::Tensor &cost);

// Whitens the codes (centre, SVD basis, divide by singular values), runs k-means with k =
// classes and `restarts` restarts on the training codes, assigns test codes to the nearest
// centre and returns the matched accuracy on the test split.
double kmeansAccuracy(const torch::Tensor &trainCodes, const torch::Tensor &testCodes,
                      const torch::Tensor &testLabels, int classes, int restarts = 10,
                      uint64_t seed = 1);

// A single linear softmax layer trained on standardised training codes (full-batch Adam);
// accuracy on the test codes.
double probeAccuracy(const torch::Tensor &trainCodes, const torch::Tensor &trainLabels,
                     const torch::Tensor &testCodes, const torch::Tensor &testLabels, int classes,
                     int iterations = 500);

// Classification by a categorical code (the semi-supervised and clustering AAEs). Each of the K
// clusters takes the label most of its training items carry (a cluster no training item falls
// in predicts -1, always wrong); returns the share of test items whose cluster's label is
// theirs. With one cluster per class and trained heads this is plain accuracy of argmax y.
// trainClusters, trainLabels, testClusters, testLabels: int64 [N].
double clusterAccuracy(const torch::Tensor &trainClusters, const torch::Tensor &trainLabels,
                       const torch::Tensor &testClusters, const torch::Tensor &testLabels,
                       int clusters);

struct ParzenScore {
    double logLikelihood = 0; // mean log p(x) of the test items, in nats
    double standardError = 0; // of that mean
    double sigma = 0;         // the bandwidth chosen on the validation items
};

// Mean log-likelihood of `test` under a Gaussian Parzen window on `samples` (all [N, D], rows
// are flattened images): log p(x) = logsumexp_s(-|x - s|^2 / (2 sigma^2)) - log S
// - D/2 log(2 pi sigma^2).
torch::Tensor parzenLogLikelihood(const torch::Tensor &samples, const torch::Tensor &test,
                                  double sigma);

// The AAE paper's likelihood measure (after Breuleux et al. and the GAN paper): the bandwidth
// with the best mean log-likelihood on `validation` among `sigmas`, then the test score.
ParzenScore parzenEstimate(const torch::Tensor &samples, const torch::Tensor &validation,
                           const torch::Tensor &test, const std::vector<double> &sigmas);

struct LinesScore {
    double meanDistance = 0; // mean cosine distance of interpolants to their nearest reference
    double smoothness = 0;   // mean of max(|d theta|) / |theta_n - theta_1| - 1 / (n - 1)
    int interpolations = 0;
};

// The ACAI paper's lines benchmark for interpolations already decoded: frames [P, n, 1, 32, 32]
// in [0, 1], P interpolations of n steps each, the ends included. References are 10,000 lines
// at angles k 2 pi / 10000, compared in the paper's [-1, 1] pixel range.
LinesScore linesScore(const torch::Tensor &frames);

// The protocol: 512 held-out lines (seed), 256 pairs, 16 steps; `interpolate` maps the pair
// images [2P, 1, 32, 32] (A then B for each pair, interleaved) to frames [P, 16, 1, 32, 32].
LinesScore linesBenchmark(const std::function<torch::Tensor(const torch::Tensor &)> &interpolate,
                          uint64_t seed = 12345);

} // namespace latentlab
