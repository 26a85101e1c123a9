#include "model/analysis/layout.h"

#include "model/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <hnswlib/hnswlib.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>
#include <unordered_map>
#include <vector>

namespace latentlab {

std::pair<torch::Tensor, torch::Tensor> principalAxes(const torch::Tensor &codes, int count) {
    const torch::Tensor z = codes.to(torch::kCPU, torch::kDouble);
    const torch::Tensor mean = z.mean(0);
    const torch::Tensor centred = z - mean;
    const torch::Tensor cov = centred.t().mm(centred) / double(std::max<int64_t>(1, z.size(0) - 1));
    const auto [values, vectors] = torch::linalg_eigh(cov); // ascending eigenvalues
    const int64_t d = z.size(1);
    std::vector<torch::Tensor> axes;
    for (int k = 0; k < count; ++k)
        axes.push_back(k < d ? vectors.select(1, d - 1 - k) : torch::zeros({d}, torch::kDouble));
    return {mean.to(torch::kFloat), torch::stack(axes).to(torch::kFloat)};
}

torch::Tensor pcaLayout(const torch::Tensor &codes) {
    const auto [mean, axes] = principalAxes(codes, 2);
    return (codes.to(torch::kCPU, torch::kFloat) - mean).mm(axes.t());
}

namespace {

// A small, fast generator for the negative samples (splitmix64): seeded, the same everywhere.
struct SplitMix {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
};

float clip(float v) {
    return std::clamp(v, -4.0f, 4.0f);
}

// body(begin, end, part) over [0, count) cut into `parts` contiguous ranges, part 0 on this
// thread and the others on threads of their own; the first exception is thrown here.
template <typename Body> void inParts(int64_t count, int parts, const Body &body) {
    parts = int(std::clamp<int64_t>(parts, 1, std::max<int64_t>(1, count)));
    if (parts == 1)
        return body(int64_t(0), count, 0);
    std::vector<std::exception_ptr> failures(static_cast<size_t>(parts));
    auto run = [&](int part) {
        try {
            body(count * part / parts, count * (part + 1) / parts, part);
        } catch (...) {
            failures[size_t(part)] = std::current_exception();
        }
    };
    std::vector<std::thread> workers;
    for (int part = 1; part < parts; ++part)
        workers.emplace_back(run, part);
    run(0);
    for (std::thread &w : workers)
        w.join();
    for (const std::exception_ptr &f : failures)
        if (f)
            std::rethrow_exception(f);
}

} // namespace

struct UmapLayout::Impl {
    UmapOptions options;
    double a = 1, b = 1;
    int64_t n = 0;
    // [n, 2]. Relaxed atomics: with several threads an epoch's steps race on the points they
    // share, as in Hogwild; each load and store is whole, and on x86 a plain move.
    std::unique_ptr<std::atomic<float>[]> y;
    std::vector<int32_t> head, tail;
    std::vector<double> epochsPerSample, nextSample, epochsPerNegative, nextNegative;
    int total = 0, done = 0;
    double startRate = 1.0;
    std::vector<SplitMix> rngs; // one per thread; the first seeded with the options' seed

    void buildGraph(const torch::Tensor &codes);
    void epoch();
    // The steps of edges [begin, end) in this epoch.
    void steps(size_t begin, size_t end, SplitMix &rng, double rate, double now);
};

UmapLayout::UmapLayout(UmapOptions options)
    : impl_(std::make_unique<Impl>()) {
    impl_->options = options;
    std::tie(impl_->a, impl_->b) = curveFor(options.minDistance);
}

UmapLayout::~UmapLayout() = default;

std::pair<double, double> UmapLayout::curveFor(double minDistance) {
    // Least squares of 1 / (1 + a d^(2b)) against 1 for d < minDistance and
    // exp(-(d - minDistance)) beyond, on d in (0, 3]: a coarse grid, then finer ones around the
    // best point.
    std::vector<double> d, target;
    for (int i = 1; i <= 300; ++i) {
        d.push_back(i * 0.01);
        target.push_back(d.back() < minDistance ? 1.0 : std::exp(-(d.back() - minDistance)));
    }
    auto error = [&](double a, double b) {
        double e = 0;
        for (size_t i = 0; i < d.size(); ++i) {
            const double r = 1.0 / (1.0 + a * std::pow(d[i], 2 * b)) - target[i];
            e += r * r;
        }
        return e;
    };
    double bestA = 1, bestB = 1, best = error(1, 1);
    double logA = 0, b = 1, spanA = 3, spanB = 1;
    for (int round = 0; round < 6; ++round) {
        const double centreA = logA, centreB = b;
        for (int i = -10; i <= 10; ++i)
            for (int j = -10; j <= 10; ++j) {
                const double la = centreA + spanA * i / 10, bb = centreB + spanB * j / 10;
                if (bb <= 0.05)
                    continue;
                const double e = error(std::exp(la), bb);
                if (e < best) {
                    best = e;
                    logA = la;
                    b = bb;
                }
            }
        spanA /= 4;
        spanB /= 4;
    }
    bestA = std::exp(logA);
    bestB = b;
    return {bestA, bestB};
}

namespace {

// Item i's k nearest others in `index` into its k slots of `neighbour` and `distance`.
void nearestOf(const hnswlib::HierarchicalNSW<float> &index, const float *data, int64_t dim, int k,
               int64_t i, std::vector<int32_t> &neighbour, std::vector<double> &distance) {
    auto found = index.searchKnn(data + i * dim, size_t(k + 1)); // furthest first
    std::vector<std::pair<float, int64_t>> near;
    while (!found.empty()) {
        if (int64_t(found.top().second) != i)
            near.emplace_back(found.top().first, int64_t(found.top().second));
        found.pop();
    }
    std::reverse(near.begin(), near.end()); // nearest first
    near.resize(size_t(k), near.empty() ? std::pair<float, int64_t>{0.f, i} : near.back());
    for (int j = 0; j < k; ++j) {
        neighbour[size_t(i * k + j)] = int32_t(near[size_t(j)].second);
        distance[size_t(i * k + j)] = std::sqrt(double(std::max(0.f, near[size_t(j)].first)));
    }
}

// Each item's k nearest others by hnswlib's approximate search, nearest first: their indices
// and Euclidean distances, k per item.
void nearestNeighbours(const float *data, int64_t n, int64_t dim, int k, uint64_t seed, int threads,
                       std::vector<int32_t> &neighbour, std::vector<double> &distance) {
    hnswlib::L2Space space{size_t(dim)}; // squared Euclidean distances
    hnswlib::HierarchicalNSW<float> index(&space, size_t(n), 16, 200, seed);
    // Inserted from one thread: hnswlib 0.6.2 draws each new item's level from one generator
    // without a lock (a data race with several inserting threads; docs/RELIABILITY.md). The
    // searches, read-only, run on every thread.
    for (int64_t i = 0; i < n; ++i)
        index.addPoint(data + i * dim, hnswlib::labeltype(i));
    index.setEf(size_t(std::max(2 * (k + 1), 64)));
    neighbour.assign(size_t(n * k), 0);
    distance.assign(size_t(n * k), 0.0);
    inParts(n, threads, [&](int64_t begin, int64_t end, int) {
        for (int64_t i = begin; i < end; ++i)
            nearestOf(index, data, dim, k, i, neighbour, distance);
    });
}

// sigma such that exp(-(d - rho) / sigma) over one item's k distances sums to `targetSum`.
double smoothingScale(const double *di, int k, double rho, double targetSum) {
    double lo = 0, hi = std::numeric_limits<double>::infinity(), sigma = 1;
    for (int iter = 0; iter < 64; ++iter) {
        double sum = 0;
        for (int j = 0; j < k; ++j)
            sum += std::exp(-std::max(0.0, di[j] - rho) / sigma);
        if (std::abs(sum - targetSum) < 1e-5)
            break;
        if (sum > targetSum) {
            hi = sigma;
            sigma = (lo + hi) / 2;
        } else {
            lo = sigma;
            sigma = std::isinf(hi) ? sigma * 2 : (lo + hi) / 2;
        }
    }
    return sigma;
}

// Fuzzy memberships: w = exp(-(d - rho) / sigma), rho the nearest non-zero distance and sigma
// such that the memberships of each item sum to log2(k). Directed, keyed i * n + j.
std::unordered_map<uint64_t, float> memberships(const std::vector<int32_t> &neighbour,
                                                const std::vector<double> &distance, int64_t n,
                                                int k) {
    const double targetSum = std::log2(double(std::max(k, 2)));
    double meanDistance = 0;
    for (double v : distance)
        meanDistance += v;
    meanDistance /= double(std::max<size_t>(1, distance.size()));
    std::unordered_map<uint64_t, float> weight;
    weight.reserve(size_t(n * k * 2));
    for (int64_t i = 0; i < n; ++i) {
        const double *di = &distance[size_t(i * k)];
        double rho = 0;
        for (int j = 0; j < k; ++j)
            if (di[j] > 0) {
                rho = di[j];
                break;
            }
        const double sigma = std::max(smoothingScale(di, k, rho, targetSum), 1e-3 * meanDistance);
        for (int j = 0; j < k; ++j) {
            const int64_t other = neighbour[size_t(i * k + j)];
            if (other != i)
                weight[uint64_t(i) * uint64_t(n) + uint64_t(other)] =
                    float(std::exp(-std::max(0.0, di[j] - rho) / sigma));
        }
    }
    return weight;
}

// Symmetrised: a + b - a b, kept in both directions as the reference keeps its matrix, in an
// order that does not depend on the hash map.
std::vector<std::tuple<int32_t, int32_t, float>>
symmetrised(const std::unordered_map<uint64_t, float> &weight, int64_t n) {
    std::vector<std::tuple<int32_t, int32_t, float>> edges;
    edges.reserve(weight.size() * 2);
    for (const auto &[key, w] : weight) {
        const int64_t i = int64_t(key / uint64_t(n)), j = int64_t(key % uint64_t(n));
        const auto back = weight.find(uint64_t(j) * uint64_t(n) + uint64_t(i));
        const float wb = back == weight.end() ? 0.f : back->second;
        const float both = w + wb - w * wb;
        edges.emplace_back(int32_t(i), int32_t(j), both);
        if (back == weight.end())
            edges.emplace_back(int32_t(j), int32_t(i), both);
    }
    std::sort(edges.begin(), edges.end());
    return edges;
}

} // namespace

void UmapLayout::Impl::buildGraph(const torch::Tensor &codes) {
    const torch::Tensor x = codes.to(torch::kCPU, torch::kFloat).contiguous();
    n = x.size(0);
    const int k = int(std::min<int64_t>(options.neighbours, n - 1));
    std::vector<int32_t> neighbour;
    std::vector<double> distance;
    nearestNeighbours(x.data_ptr<float>(), n, x.size(1), k, options.seed, options.threads,
                      neighbour, distance);
    const auto edges = symmetrised(memberships(neighbour, distance, n, k), n);
    float most = 0;
    for (const auto &e : edges)
        most = std::max(most, std::get<2>(e));
    head.clear();
    tail.clear();
    epochsPerSample.clear();
    for (const auto &[i, j, w] : edges) {
        if (w < most / float(std::max(total, 1))) // would be sampled less than once
            continue;
        head.push_back(i);
        tail.push_back(j);
        epochsPerSample.push_back(double(most) / double(w));
    }
    nextSample = epochsPerSample;
    epochsPerNegative.resize(epochsPerSample.size());
    for (size_t e = 0; e < epochsPerSample.size(); ++e)
        epochsPerNegative[e] = epochsPerSample[e] / options.negativeSamples;
    nextNegative = epochsPerNegative;
}

void UmapLayout::setCodes(const torch::Tensor &codes, const torch::Tensor &start) {
    if (codes.dim() != 2 || codes.size(0) < 3)
        throw Error("a UMAP layout needs at least 3 codes; there are " +
                    std::to_string(codes.dim() == 2 ? codes.size(0) : 0) + ".");
    Impl &m = *impl_;
    const int64_t count = codes.size(0);
    const int full = m.options.epochs > 0 ? m.options.epochs : count < 10000 ? 500 : 200;
    const bool warm =
        start.defined() && start.dim() == 2 && start.size(0) == count && start.size(1) == 2;
    // A warm start only settles what moved: fewer epochs, at a lower rate.
    m.total = warm ? std::max(30, full / 5) : full;
    m.startRate = warm ? 0.3 : 1.0;
    m.done = 0;
    m.rngs.clear();
    for (int t = 0; t < std::max(1, m.options.threads); ++t)
        m.rngs.push_back(SplitMix{m.options.seed + uint64_t(t) * 0x632be59bd9b4e019ULL});
    m.buildGraph(codes);
    torch::Tensor init;
    if (warm) {
        init = start.to(torch::kCPU, torch::kFloat).contiguous();
    } else {
        // PCA, scaled to [-10, 10] as the reference scales its start, with a little seeded
        // noise so that equal codes do not sit on one point.
        init = pcaLayout(codes);
        init = init / init.abs().max().clamp_min(1e-12) * 10;
        auto gen = at::detail::createCPUGenerator(m.options.seed);
        init = (init + 1e-4 * torch::randn(init.sizes(), gen, torch::kFloat)).contiguous();
    }
    m.y = std::make_unique<std::atomic<float>[]>(size_t(count * 2));
    const float *from = init.data_ptr<float>();
    for (int64_t i = 0; i < count * 2; ++i)
        m.y[size_t(i)].store(from[i], std::memory_order_relaxed);
}

void UmapLayout::Impl::epoch() {
    const double rate = startRate * (1.0 - double(done) / double(total));
    const double now = double(done + 1);
    // The edges are sorted by their head: each thread moves mostly points of its own.
    inParts(int64_t(head.size()), int(rngs.size()), [&](int64_t begin, int64_t end, int part) {
        steps(size_t(begin), size_t(end), rngs[size_t(part)], rate, now);
    });
    ++done;
}

void UmapLayout::Impl::steps(size_t begin, size_t end, SplitMix &rng, double rate, double now) {
    const float fa = float(a), fb = float(b);
    constexpr auto relaxed = std::memory_order_relaxed;
    auto at = [&](int64_t item, int axis) -> std::atomic<float> & {
        return y[size_t(item) * 2 + size_t(axis)];
    };
    auto add = [&](std::atomic<float> &v, float by) { v.store(v.load(relaxed) + by, relaxed); };
    for (size_t e = begin; e < end; ++e) {
        if (nextSample[e] > now)
            continue;
        std::atomic<float> &xi = at(head[e], 0), &yi = at(head[e], 1);
        std::atomic<float> &xj = at(tail[e], 0), &yj = at(tail[e], 1);
        const float dx = xi.load(relaxed) - xj.load(relaxed);
        const float dy = yi.load(relaxed) - yj.load(relaxed);
        const float d2 = dx * dx + dy * dy;
        if (d2 > 0) {                               // attraction along the edge, both ends
            const float powered = std::pow(d2, fb); // d2^(b - 1) is this over d2: one pow
            const float coef = -2 * fa * fb * (powered / d2) / (fa * powered + 1);
            const float gx = clip(coef * dx) * float(rate), gy = clip(coef * dy) * float(rate);
            add(xi, gx);
            add(yi, gy);
            add(xj, -gx);
            add(yj, -gy);
        }
        nextSample[e] += epochsPerSample[e];
        // Repulsion from random points, as many as are due.
        const int negatives = int((now - nextNegative[e]) / epochsPerNegative[e]);
        for (int p = 0; p < negatives; ++p) {
            const int64_t other = int64_t(rng.next() % uint64_t(n));
            if (other == head[e])
                continue;
            const float kx = xi.load(relaxed) - at(other, 0).load(relaxed);
            const float ky = yi.load(relaxed) - at(other, 1).load(relaxed);
            const float k2 = kx * kx + ky * ky;
            float gx = 4, gy = 4;
            if (k2 > 0) {
                const float coef = 2 * fb / ((0.001f + k2) * (fa * std::pow(k2, fb) + 1));
                gx = clip(coef * kx);
                gy = clip(coef * ky);
            }
            add(xi, gx * float(rate));
            add(yi, gy * float(rate));
        }
        nextNegative[e] += negatives * epochsPerNegative[e];
    }
}

bool UmapLayout::run(int epochs) {
    for (int i = 0; i < epochs && impl_->done < impl_->total; ++i)
        impl_->epoch();
    return settled();
}

bool UmapLayout::settled() const {
    return impl_->done >= impl_->total;
}

int UmapLayout::epochsDone() const {
    return impl_->done;
}

int UmapLayout::epochsTotal() const {
    return impl_->total;
}

torch::Tensor UmapLayout::layout() const {
    torch::Tensor out = torch::empty({impl_->n, 2}, torch::kFloat);
    float *to = out.data_ptr<float>();
    for (int64_t i = 0; i < impl_->n * 2; ++i)
        to[i] = impl_->y[size_t(i)].load(std::memory_order_relaxed);
    return out;
}

std::pair<torch::Tensor, torch::Tensor>
nearestNeighbours(const torch::Tensor &points, const torch::Tensor &queries, int k, bool skipSelf) {
    const torch::Tensor p = points.to(torch::kCPU, torch::kFloat);
    const torch::Tensor q = queries.to(torch::kCPU, torch::kFloat);
    const int64_t n = p.size(0);
    k = int(std::min<int64_t>(k, skipSelf ? n - 1 : n));
    constexpr int64_t kChunk = 256; // rows of distances at a time: 256 x N floats
    std::vector<torch::Tensor> indices, distances;
    for (int64_t start = 0; start < q.size(0); start += kChunk) {
        const int64_t rows = std::min(kChunk, q.size(0) - start);
        torch::Tensor d = torch::cdist(q.narrow(0, start, rows), p);
        if (skipSelf) {
            const torch::Tensor self = torch::arange(start, start + rows, torch::kLong);
            d.index_put_({torch::arange(rows, torch::kLong), self},
                         std::numeric_limits<float>::infinity());
        }
        // cdist computes |q|^2 + |p|^2 - 2 q.p for speed, which loses the small distances of
        // large codes (an item's own code can come out 0.02 away). The candidates are measured
        // again by difference and ranked by that; a few extra guard the ranking at the edge.
        const int candidates = int(std::min<int64_t>(k + 8, skipSelf ? n - 1 : n));
        const torch::Tensor near = std::get<1>(d.topk(candidates, 1, /*largest=*/false));
        const torch::Tensor exact =
            (p.index_select(0, near.flatten()).view({rows, candidates, p.size(1)}) -
             q.narrow(0, start, rows).unsqueeze(1))
                .norm(2, 2);
        auto [values, order] = exact.topk(k, 1, /*largest=*/false, /*sorted=*/true);
        indices.push_back(near.gather(1, order));
        distances.push_back(values);
    }
    return {torch::cat(indices), torch::cat(distances)};
}

namespace {

// The k nearest neighbours among `points` of the points `items`, each not its own neighbour.
torch::Tensor neighboursOf(const torch::Tensor &points, const torch::Tensor &items, int k) {
    const torch::Tensor found =
        latentlab::nearestNeighbours(points, points.index_select(0, items), k + 1).first;
    // Drop each query itself (first, unless a duplicate point came first); else the furthest.
    const torch::Tensor self = found == items.unsqueeze(1);
    const torch::Tensor keep = ~self;
    const torch::Tensor noSelf = self.any(1).logical_not();
    keep.select(1, k).logical_and_(noSelf.logical_not()); // no self found: drop the (k+1)-th
    return found.masked_select(keep).view({found.size(0), k});
}

} // namespace

double neighbourPreservation(const torch::Tensor &codes, const torch::Tensor &layout, int k,
                             int64_t queries) {
    const int64_t n = codes.size(0);
    torch::Tensor inCodes, inLayout;
    if (queries > 0 && queries < n) {
        auto gen = at::detail::createCPUGenerator(0x5eed);
        const torch::Tensor items = torch::randperm(n, gen, torch::kLong).slice(0, 0, queries);
        k = int(std::min<int64_t>(k, n - 1));
        inCodes = neighboursOf(codes, items, k);
        inLayout = neighboursOf(layout, items, k);
    } else {
        inCodes = nearestNeighbours(codes, codes, k, true).first;
        inLayout = nearestNeighbours(layout, layout, k, true).first;
    }
    // For each point: how many of one list are in the other.
    const torch::Tensor shared =
        (inCodes.unsqueeze(2) == inLayout.unsqueeze(1)).any(2).sum(1).to(torch::kDouble);
    return (shared / double(inCodes.size(1))).mean().item<double>();
}

} // namespace latentlab
