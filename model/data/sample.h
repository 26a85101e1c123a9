#pragma once
// stratifiedSample(): a fixed subset of a data set's items with each label in its share, the
// items a training session re-encodes for its live view when the data set is too large to
// re-encode whole (ui/session/trainingsession.h).

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace latentlab {

// `count` of the first `size` items, ascending. Each label gets its share of `count` (by
// largest remainder, so the shares add up to `count`), taken evenly spaced through that label's
// items, so the sample is the same every time. Unlabelled
// (`labels` undefined): evenly spaced through all. Every item when `count` >= `size`.
std::vector<int64_t> stratifiedSample(const torch::Tensor &labels, int64_t size, int64_t count);

} // namespace latentlab
