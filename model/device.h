#pragma once
// Picks the torch device from the --device option: auto (CUDA when this LibTorch build has it
// and a GPU is visible, else CPU), cpu, cuda, or cuda:N (the N-th GPU).

#include <torch/types.h>

#include <string>

namespace latentlab {

// Throws Error for an unknown name, or for "cuda" where CUDA is not available.
torch::Device resolveDevice(const std::string &name);

// The GPU that "cuda" and "auto" mean in this process (0 unless set): with several processes
// on one machine, each sets its local rank's, so a checkpoint keeps saying "cuda" or "auto"
// and a resumed run again takes each process's own GPU.
void setProcessGpu(int index);

// Threads LibTorch computes with on the CPU: its own pool and OpenBLAS's (when OpenBLAS is the
// BLAS in use; never raised above what it started with), so that several processes or a
// window's threads do not oversubscribe the cores.
void setComputeThreads(int threads);

} // namespace latentlab
