#include "model/device.h"

#include "model/error.h"

#include <torch/cuda.h>

namespace latentlab {

torch::Device resolveDevice(const std::string &name) {
    if (name == "cpu")
        return torch::kCPU;
    if (name == "auto")
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA)
                                           : torch::Device(torch::kCPU);
    if (name == "cuda") {
        if (!torch::cuda::is_available())
            throw Error("--device cuda: this LibTorch build has no CUDA support or sees no GPU; "
                        "use --device cpu or auto.");
        return torch::kCUDA;
    }
    throw Error("unknown device '" + name + "'; expected auto, cpu or cuda.");
}

} // namespace latentlab
