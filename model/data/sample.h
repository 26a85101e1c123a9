#pragma once
// stratifiedSample(): a fixed subset of a data set's items with each label in its share, the
// items a training session re-encodes for its live view when the data set is too large to
// re-encode whole (ui/session/trainingsession.h).

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace latentlab {

// `count` of the first `size` items, ascending. Each label gets its share of `count` (by
// largest remainder, so the shares add up to `count`), taken evenly spaced through that label's
// items, so the sample is the same every time. Unlabelled
// (`labels` undefined): evenly spaced through all. Every item when `count` >= `size`.
std::vector<int64_t> stratifiedSample(const torch::Tensor &labels, int64_t size, int64_t count);

// Sets up to this size draw a minibatch as the first items of a random permutation, as they
// always have (so runs on them repeat old ones); larger ones by randomDistinct.
constexpr int64_t kPermutedDrawLimit = 65536;

// `count` distinct items of `size` in random order, int64 [count], from `gen` (a CPU generator).
// Up to kPermutedDrawLimit items: the first `count` of torch::randperm(size). Above it, Floyd's
// method and a shuffle of the result: O(count) time and memory, not O(size), so a minibatch of a
// 10,000,000-item set costs what one of a thousand items does.
torch::Tensor randomDistinct(int64_t size, int64_t count, at::Generator &gen);

} // namespace latentlab
