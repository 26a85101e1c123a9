#pragma once
// Picks the torch device from the --device option: auto (CUDA when this LibTorch build has it
// and a GPU is visible, else CPU), cpu, cuda, or cuda:N (the N-th GPU).

#include <torch/types.h>

#include <string>
#include <vector>

namespace latentlab {

// Throws Error for an unknown name, or for "cuda" where CUDA is not available.
torch::Device resolveDevice(const std::string &name);

// A device training can run on, for a chooser: its --device name ("cpu", "cuda:0") and what a
// person reads ("NVIDIA H200, 139.8 GiB").
struct DeviceChoice {
    std::string name;
    std::string description;
};
// The CPU, then each GPU this LibTorch can use (none where it has no CUDA or no GPU answers).
// GPUs are named by the CUDA runtime where LatentLab was built against a CUDA LibTorch.
std::vector<DeviceChoice> availableDevices();
// The GPUs of availableDevices() in one line, "cuda:0 NVIDIA H200, 139.8 GiB; cuda:1 ...", or
// "" when there are none (the CLI's --version and the window's About).
std::string gpuSummary();

// A host tensor on `device` without making the host wait for the device: on a GPU it is copied
// through pinned memory and the copy is queued behind the work already there (a plain .to()
// from pageable memory first waits for the GPU to finish everything queued); on the CPU it is
// `host` itself. For the random numbers a training step draws on the host.
torch::Tensor toDeviceAsync(const torch::Tensor &host, const torch::Device &device);
// The same into `target`, a tensor of the host tensor's shape and type on any device.
void copyToDeviceAsync(torch::Tensor &target, const torch::Tensor &host);

// The GPU that "cuda" and "auto" mean in this process (0 unless set): with several processes
// on one machine, each sets its local rank's, so a checkpoint keeps saying "cuda" or "auto"
// and a resumed run again takes each process's own GPU.
void setProcessGpu(int index);

// Threads LibTorch computes with on the CPU: its own pool and OpenBLAS's (when OpenBLAS is the
// BLAS in use; never raised above what it started with), so that several processes or a
// window's threads do not oversubscribe the cores.
void setComputeThreads(int threads);

// Makes the C library keep freed memory for the next allocation instead of handing it back to
// the kernel at once. glibc's defaults give blocks above 128 KiB back on free (munmap, or by
// trimming the top of the heap), so each training step faults all its activations' and
// gradients' pages in again, and page faults are dear, on a virtual machine most of all
// (figures: docs/RELIABILITY.md, "Memory and the C library").
// Blocks up to 32 MiB (the most glibc allows) come from the heap, which is trimmed only when
// 256 MiB lie free at its top. Call once at the start of a program; returns false where the C
// library is not glibc or refused.
bool keepFreedMemory();

} // namespace latentlab
