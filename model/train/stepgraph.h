#pragma once
// StepGraph: work on a CUDA device (one training step) captured once as a CUDA graph and
// replayed, so that the host launches the whole step with one call instead of one per kernel.
// The Trainer uses it (Trainer::setCudaGraphs); the work it captures must read nothing from the
// host and keep every tensor it reads or writes at the same address between replays: inputs
// are copied into the tensors captured, gradients are zeroed in place, and the optimisers keep
// their step counts on the device (model/train/adam.h).
//
// Capturing needs a stream other than the default one: warmUp() and capture() run the work on
// a stream of their own, ordered after and before what is queued on the device's current
// stream; replay() launches on the current stream, so copies queued there before it are seen.
// Built without a CUDA LibTorch, supported() is false and the constructor throws Error.
// Not thread-safe.

#include <torch/types.h>

#include <functional>
#include <memory>

namespace latentlab {

class StepGraph {
public:
    // Whether this build can capture CUDA graphs (built against a CUDA LibTorch).
    static bool supported();

    // Throws Error for a device that is not a CUDA device or a build without CUDA.
    explicit StepGraph(const torch::Device &device);
    ~StepGraph(); // waits for the device before the graph's memory goes
    StepGraph(const StepGraph &) = delete;
    StepGraph &operator=(const StepGraph &) = delete;

    // Runs `work` now, eagerly, on the graph's stream: the warm-up runs a capture needs first,
    // so that lazy initialisation (cuBLAS handles, the allocator's pools) happens outside it.
    void warmUp(const std::function<void()> &work);
    // Records `work` without running it. Throws Error (and holds no graph) when the work does
    // something a graph cannot hold (a wait for the device, a copy from pageable memory).
    void capture(const std::function<void()> &work);
    bool captured() const;
    // Runs what was captured, on the device's current stream.
    void replay();

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace latentlab
