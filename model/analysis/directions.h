#pragma once
// Directions in the code space, to move a code along: attribute vectors (from one class's mean
// code to another's, from one selection of items to another, as in Larsen et al. 2016 and
// White 2016) and principal directions of the codes (as GANSpace, Härkönen et al. 2020, finds
// them in a GAN's latent space). A step of 1 along a direction adds its vector: from class A's
// mean, 1 reaches class B's; along a principal direction, 1 is one standard deviation of the
// codes that way.
//
// No Qt; plain functions of tensors on the CPU.

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

struct Direction {
    std::string name;
    torch::Tensor vector; // [D], float, CPU
};

// Mean code of items labelled `to` minus that of items labelled `from` (labels [N]). Throws
// Error naming the class that has no item among the codes.
Direction classDirection(const torch::Tensor &codes, const torch::Tensor &labels, int64_t from,
                         int64_t to, const std::string &name);

// Mean code of the items `to` minus that of the items `from` (indices into codes). Throws Error
// for an empty selection or an index out of range.
Direction selectionDirection(const torch::Tensor &codes, const std::vector<int64_t> &from,
                             const std::vector<int64_t> &to, const std::string &name);

// The `count` leading principal directions of the codes ("PC1", ...), each scaled to the
// codes' standard deviation along it, and pointing so that its largest component is positive
// (the same codes give the same directions).
std::vector<Direction> principalDirections(const torch::Tensor &codes, int count);

// Checks that each direction has a name and codeSize components, and keeps its vector as a
// contiguous float tensor on the CPU. Throws Error naming the first that does not fit.
void checkDirections(std::vector<Direction> &directions, int64_t codeSize);

// `code` [D] moved `amount` steps along `direction`.
torch::Tensor moveAlong(const torch::Tensor &code, const Direction &direction, double amount);

} // namespace latentlab
