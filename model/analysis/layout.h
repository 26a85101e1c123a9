#pragma once
// 2-D layouts of codes of any width, and how well a layout keeps the codes' neighbourhoods.
//
// - principalAxes(): the mean and leading directions of the codes (PCA).
// - UmapLayout: UMAP (McInnes, Healy, Melville 2018, arXiv 1802.03426), written here from the
//   paper's description: a k-nearest-neighbour graph (hnswlib), fuzzy memberships with a
//   per-point scale, symmetrised, then a 2-D layout moved by attractive steps along the
//   graph's edges and repulsive steps against random points, seeded by PCA. It runs a few
//   epochs at a time so that a window can draw it while it settles, and it restarts from a
//   previous layout when the codes move (training), so that points move instead of jumping.
// - neighbourPreservation(): the share of each point's k nearest neighbours in the code space
//   that are also among its k nearest in the layout.
//
// No Qt; not thread-safe (one thread owns a UmapLayout, which may start threads of its own
// while it works: UmapOptions::threads).

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <utility>

namespace latentlab {

// The mean [D] and the `count` leading principal directions [count, D] of codes [N, D]
// (float, on the CPU); directions beyond D are zero.
std::pair<torch::Tensor, torch::Tensor> principalAxes(const torch::Tensor &codes, int count = 2);

// The codes [N, D] on their first two principal axes: [N, 2].
torch::Tensor pcaLayout(const torch::Tensor &codes);

struct UmapOptions {
    int neighbours = 15;      // k of the neighbour graph: larger keeps more global structure
    double minDistance = 0.1; // how tightly points may pack in the layout
    int epochs = 0;           // 0: 500 below 10,000 points, else 200 (as the reference does)
    int negativeSamples = 5;  // repulsive steps per attractive one
    uint64_t seed = 1;
    // Threads for the neighbour graph's searches and the optimisation. One gives the same
    // layout every run; more share each epoch's edges (Hogwild, as umap-learn and uwot do), so
    // the layout varies a little from run to run (the graph does not).
    int threads = 1;
};

class UmapLayout {
public:
    explicit UmapLayout(UmapOptions options = {});
    ~UmapLayout();

    // New codes [N, D]: builds the neighbour graph. The layout starts from `start` [N, 2] when
    // given (the previous layout of the same items: a warm start, fewer epochs at a lower
    // rate), else from the codes' PCA. Throws Error for fewer than 3 codes.
    void setCodes(const torch::Tensor &codes, const torch::Tensor &start = {});
    // Runs up to `epochs` more epochs; returns true once all are done (the layout settled).
    bool run(int epochs);
    bool settled() const;
    int epochsDone() const;
    int epochsTotal() const;
    // The layout now, [N, 2] float.
    torch::Tensor layout() const;

    // The curve 1 / (1 + a d^(2b)) that the layout's similarities follow, fitted to the
    // minimum distance (spread 1).
    static std::pair<double, double> curveFor(double minDistance);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// For each point, the share of its k nearest neighbours in `codes` [N, D] that are among its
// k nearest in `layout` [N, 2]; the mean over points (exact search, in chunks). With `queries`
// > 0 and below N, the mean over that many points drawn at random (seeded: the same points
// each time), each still searched against all N: O(queries x N) instead of O(N^2), so a
// million points take seconds, not hours.
double neighbourPreservation(const torch::Tensor &codes, const torch::Tensor &layout, int k = 10,
                             int64_t queries = 0);

// The k nearest neighbours of each of `queries` [Q, D] among `points` [N, D] by exact search
// (Euclidean): indices [Q, k] and distances [Q, k], nearest first. `skipSelf`: queries are the
// points themselves, each not its own neighbour.
std::pair<torch::Tensor, torch::Tensor> nearestNeighbours(const torch::Tensor &points,
                                                          const torch::Tensor &queries, int k,
                                                          bool skipSelf = false);

} // namespace latentlab
