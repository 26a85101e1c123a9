#include "model/data/sample.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <mutex>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace latentlab {

namespace {

// `take` of `items`, evenly spaced: the i-th is items[floor((i + 0.5) * n / take)].
void takeEvenly(const std::vector<int64_t> &items, int64_t take, std::vector<int64_t> &out) {
    const auto n = int64_t(items.size());
    for (int64_t i = 0; i < take; ++i)
        out.push_back(items[size_t((2 * i + 1) * n / (2 * take))]);
}

} // namespace

std::vector<int64_t> stratifiedSample(const torch::Tensor &labels, int64_t size, int64_t count) {
    size = std::max<int64_t>(size, 0);
    std::vector<int64_t> out;
    if (count >= size) {
        out.resize(size_t(size));
        std::iota(out.begin(), out.end(), int64_t(0));
        return out;
    }
    if (count <= 0)
        return out;
    out.reserve(size_t(count));
    if (!labels.defined()) {
        std::vector<int64_t> all(static_cast<size_t>(size));
        std::iota(all.begin(), all.end(), int64_t(0));
        takeEvenly(all, count, out);
        return out;
    }
    const torch::Tensor l = labels.to(torch::kCPU, torch::kLong).slice(0, 0, size).contiguous();
    const int64_t *label = l.data_ptr<int64_t>();
    // The classes in the order they first appear, each with its items in index order.
    std::unordered_map<int64_t, size_t> classOf;
    std::vector<std::vector<int64_t>> members;
    for (int64_t i = 0; i < size; ++i) {
        auto [it, added] = classOf.try_emplace(label[i], members.size());
        if (added)
            members.emplace_back();
        members[it->second].push_back(i);
    }
    // Largest remainder: each class its floor share, then one more to the largest remainders
    // (ties to the earlier class), so the shares add up to `count` exactly.
    const size_t k = members.size();
    std::vector<int64_t> share(k);
    std::vector<std::pair<int64_t, size_t>> remainders; // (remainder * size, class), negated
    int64_t given = 0;
    for (size_t c = 0; c < k; ++c) {
        const int64_t scaled = int64_t(members[c].size()) * count; // < 2^63 for any real set
        share[c] = scaled / size;
        given += share[c];
        remainders.emplace_back(-(scaled % size), c);
    }
    std::sort(remainders.begin(), remainders.end());
    for (size_t r = 0; given < count && r < k; ++r, ++given)
        ++share[remainders[r].second];
    for (size_t c = 0; c < k; ++c)
        takeEvenly(members[c], share[c], out);
    std::sort(out.begin(), out.end());
    return out;
}

torch::Tensor randomDistinct(int64_t size, int64_t count, at::Generator &gen) {
    count = std::min(count, size);
    if (size <= kPermutedDrawLimit)
        return torch::randperm(size, gen, torch::kLong).slice(0, 0, count);
    auto *cpu = at::check_generator<at::CPUGeneratorImpl>(gen);
    std::lock_guard<std::mutex> lock(gen.mutex());
    auto below = [&](int64_t bound) { return int64_t(cpu->random64() % uint64_t(bound)); };
    // Floyd: for j from size - count to size - 1, take a random t <= j, or j when t is taken.
    std::unordered_set<int64_t> taken;
    taken.reserve(size_t(count) * 2);
    std::vector<int64_t> drawn;
    drawn.reserve(size_t(count));
    for (int64_t j = size - count; j < size; ++j) {
        const int64_t t = below(j + 1);
        drawn.push_back(taken.insert(t).second ? t : j);
        if (drawn.back() == j)
            taken.insert(j);
    }
    for (int64_t i = count - 1; i > 0; --i) // Floyd's order is not uniform: shuffle it
        std::swap(drawn[size_t(i)], drawn[size_t(below(i + 1))]);
    return torch::tensor(drawn, torch::kLong);
}

} // namespace latentlab
