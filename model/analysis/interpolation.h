#pragma once
// Paths between two codes: linear, or spherical (slerp) which keeps the norm of Gaussian codes.

#include <torch/types.h>

#include <string>

namespace latentlab {

enum class InterpolationMode { Linear, Spherical };

InterpolationMode interpolationModeFromString(const std::string &name); // throws Error

// The code at t (0 gives a, 1 gives b; values outside [0, 1] extrapolate). a, b: [D].
torch::Tensor interpolate(const torch::Tensor &a, const torch::Tensor &b, double t,
                          InterpolationMode mode);

// `steps` codes from a to b inclusive: [steps, D].
torch::Tensor interpolationPath(const torch::Tensor &a, const torch::Tensor &b, int steps,
                                InterpolationMode mode);

} // namespace latentlab
