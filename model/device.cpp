#include "model/device.h"

#include "model/error.h"

#include <torch/cuda.h>
#include <torch/utils.h>
#ifdef LATENTLAB_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

#include <charconv>
#include <cstdio>
#include <dlfcn.h>
#include <thread>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace latentlab {

namespace {
int g_processGpu = 0;
}

void setProcessGpu(int index) {
    g_processGpu = index;
}

torch::Device resolveDevice(const std::string &name) {
    if (name == "cpu")
        return torch::kCPU;
    const torch::Device gpu(torch::kCUDA, c10::DeviceIndex(g_processGpu));
    if (name == "auto")
        return torch::cuda::is_available() ? gpu : torch::Device(torch::kCPU);
    if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
        if (!torch::cuda::is_available())
            throw Error("--device " + name +
                        ": this LibTorch build has no CUDA support or sees no GPU; use --device "
                        "cpu or auto.");
        if (name == "cuda")
            return gpu;
        const std::string number = name.substr(5);
        int index = -1;
        const auto [at, ec] = std::from_chars(number.data(), number.data() + number.size(), index);
        const int count = int(torch::cuda::device_count());
        if (ec != std::errc() || at != number.data() + number.size() || index < 0 || index >= count)
            throw Error("--device " + name + ": this machine has " + std::to_string(count) +
                        " GPU(s), numbered from 0.");
        return torch::Device(torch::kCUDA, c10::DeviceIndex(index));
    }
    throw Error("unknown device '" + name + "'; expected auto, cpu, cuda or cuda:N.");
}

std::vector<DeviceChoice> availableDevices() {
    const unsigned cores = std::thread::hardware_concurrency();
    std::vector<DeviceChoice> out{
        {"cpu", cores > 0 ? "CPU, " + std::to_string(cores) + " threads" : "CPU"}};
    const int gpus = torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0;
    for (int i = 0; i < gpus; ++i) {
        std::string description = "GPU " + std::to_string(i);
#ifdef LATENTLAB_CUDA
        if (const cudaDeviceProp *p = at::cuda::getDeviceProperties(c10::DeviceIndex(i))) {
            char memory[32];
            std::snprintf(memory, sizeof memory, "%.1f GiB",
                          double(p->totalGlobalMem) / double(1ull << 30));
            description = std::string(p->name) + ", " + memory;
        }
#endif
        out.push_back({"cuda:" + std::to_string(i), description});
    }
    return out;
}

torch::Tensor toDeviceAsync(const torch::Tensor &host, const torch::Device &device) {
    if (!device.is_cuda() || !host.device().is_cpu())
        return host.to(device);
    return host.pin_memory().to(device, /*non_blocking=*/true);
}

void copyToDeviceAsync(torch::Tensor &target, const torch::Tensor &host) {
    if (target.device().is_cuda() && host.device().is_cpu())
        target.copy_(host.pin_memory(), /*non_blocking=*/true);
    else
        target.copy_(host);
}

std::string gpuSummary() {
    std::string out;
    for (const DeviceChoice &d : availableDevices())
        if (d.name != "cpu")
            out += (out.empty() ? "" : "; ") + d.name + " " + d.description;
    return out;
}

bool keepFreedMemory() {
#ifdef __GLIBC__
    return mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1;
#else
    return false;
#endif
}

void setComputeThreads(int threads) {
    torch::set_num_threads(threads);
    // OpenBLAS keeps its own pool; its functions exist only when OpenBLAS is the BLAS in use.
    // Only ever lowered: raising OpenBLAS's pool while it runs slows training
    // (docs/RELIABILITY.md, "Memory and the C library").
    using GetThreads = int (*)();
    using SetThreads = void (*)(int);
    auto get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (get && set && threads < get())
        set(threads);
}

} // namespace latentlab
