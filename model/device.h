#pragma once
// Picks the torch device from the --device option: auto (CUDA when this LibTorch build has it
// and a GPU is visible, else CPU), cpu, or cuda.

#include <torch/types.h>

#include <string>

namespace latentlab {

// Throws Error for an unknown name, or for "cuda" where CUDA is not available.
torch::Device resolveDevice(const std::string &name);

} // namespace latentlab
