#pragma once
// Codes whose neighbourhoods a 2-D PCA cannot keep, for the UMAP suites: UMAP starts from the
// codes' PCA, so a layout test on data that PCA already lays out well passes with UMAP's
// optimisation removed. On these, only the optimisation finds the answer.

#include "model/analysis/layout.h"

#include <ATen/CPUGeneratorImpl.h>
#include <c10/util/Exception.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdint>

namespace latentlab {

struct LabelledCodes {
    torch::Tensor codes;  // [N, 8]
    torch::Tensor labels; // [N], the cluster of each code, in blocks of `each`
};

// `clusters` (at most 6) Gaussian clusters of `each` codes in 8-D, unit spread, 14 apart along
// dimensions 2..7, and spread 10 wide along dimensions 0 and 1. Those two hold most of the
// variance, so PCA's plane is theirs and the clusters lie on one another in it; each code's
// nearest neighbours are still those of its own cluster.
inline LabelledCodes hiddenClusters(int clusters, int each, uint64_t seed) {
    TORCH_CHECK(clusters >= 1 && clusters <= 6, "hiddenClusters: 1 to 6 clusters");
    auto gen = at::detail::createCPUGenerator(seed);
    torch::Tensor centres = torch::zeros({clusters, 8});
    for (int c = 0; c < clusters; ++c)
        centres[c][2 + c] = 14 / std::sqrt(2.0); // 14 between any two
    const torch::Tensor labels = torch::arange(clusters, torch::kLong).repeat_interleave(each);
    torch::Tensor codes = centres.index_select(0, labels) +
                          torch::randn({clusters * int64_t(each), 8}, gen, torch::kFloat);
    codes.narrow(1, 0, 2).mul_(10);
    return {codes, labels};
}

// A swiss roll: a strip 30 wide rolled up one and a half turns (radius 4.7 to 14) in 3-D,
// `count` codes [count, 3]. The width holds the most variance, so PCA's plane is the width and
// one side of the roll, where the turns lie on one another.
inline torch::Tensor swissRoll(int count, uint64_t seed) {
    auto gen = at::detail::createCPUGenerator(seed);
    const torch::Tensor t = 1.5 * M_PI * (1 + 2 * torch::rand({count}, gen, torch::kFloat));
    const torch::Tensor across = 30 * torch::rand({count}, gen, torch::kFloat);
    return torch::stack({t * torch::cos(t), across, t * torch::sin(t)}, 1);
}

// The share of points whose nearest neighbour in `layout` (another point) has their label.
inline double nearestSameLabel(const torch::Tensor &layout, const torch::Tensor &labels) {
    const torch::Tensor nearest = nearestNeighbours(layout, layout, 1, true).first.squeeze(1);
    return (labels.index_select(0, nearest) == labels).to(torch::kDouble).mean().item<double>();
}

} // namespace latentlab
