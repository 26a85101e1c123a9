#include "model/device.h"

#include "model/error.h"

#include <torch/cuda.h>

#include <charconv>
#include <dlfcn.h>
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
    // Only ever lowered: raising it while running (openblas_set_num_threads(2) on 2 cores, after
    // it started with 2) halved the paper-size AAE's steps per second here.
    using GetThreads = int (*)();
    using SetThreads = void (*)(int);
    auto get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (get && set && threads < get())
        set(threads);
}

} // namespace latentlab
