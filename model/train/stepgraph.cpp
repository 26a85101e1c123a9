#include "model/train/stepgraph.h"

#include "model/error.h"

#include <string>

#ifdef LATENTLAB_CUDA
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace latentlab {

#ifdef LATENTLAB_CUDA

struct StepGraph::Impl {
    explicit Impl(c10::DeviceIndex index)
        : index(index)
        , stream(c10::cuda::getStreamFromPool(false, index)) {}

    c10::DeviceIndex index;
    c10::cuda::CUDAStream stream; // the one the work is captured on
    at::cuda::CUDAGraph graph;
    bool captured = false;

    // Runs `work` on `stream`, after what the current stream holds and before what it is given
    // next, also when `work` throws (what it queued may still read tensors the current stream
    // frees next).
    template <typename F> void onOwnStream(F &&work) {
        c10::cuda::CUDAGuard deviceGuard(index);
        const c10::cuda::CUDAStream current = c10::cuda::getCurrentCUDAStream(index);
        follow(stream, current);
        struct Rejoin {
            const c10::cuda::CUDAStream &current, &own;
            ~Rejoin() {
                try {
                    Impl::follow(current, own);
                } catch (...) { // a broken device: what comes next reports it
                }
            }
        } rejoin{current, stream};
        c10::cuda::CUDAStreamGuard streamGuard(stream);
        work();
    }

    // `waiting` goes on only once what `queued` holds now is done.
    static void follow(const c10::cuda::CUDAStream &waiting, const c10::cuda::CUDAStream &queued) {
        at::cuda::CUDAEvent event;
        event.record(queued);
        event.block(waiting);
    }
};

bool StepGraph::supported() {
    return true;
}

StepGraph::StepGraph(const torch::Device &device) {
    if (!device.is_cuda())
        throw Error("a CUDA graph runs on a CUDA device, not on " + device.str() + ".");
    impl_ =
        std::make_unique<Impl>(device.has_index() ? device.index() : c10::cuda::current_device());
}

StepGraph::~StepGraph() {
    // A replay may still be running on the current stream; its memory goes with the graph.
    // A device in error (a failed kernel) throws here: nothing is left to wait for then.
    try {
        c10::cuda::getCurrentCUDAStream(impl_->index).synchronize();
        impl_->stream.synchronize();
    } catch (...) {
    }
}

void StepGraph::warmUp(const std::function<void()> &work) {
    impl_->onOwnStream(work);
}

namespace {
// Why a capture failed in this process, or empty. PyTorch's allocator may keep a filter of a
// capture that failed (capture_end throws before taking it away), which a later capture would
// meet: after one failure, none is tried again.
std::string g_failedCapture;
} // namespace

void StepGraph::capture(const std::function<void()> &work) {
    if (impl_->captured)
        throw Error("this CUDA graph already holds a step.");
    if (!g_failedCapture.empty())
        throw Error(g_failedCapture);
    try {
        impl_->onOwnStream([&] {
            // Thread-local: CUDA calls of other threads (the window's views) do not break it.
            impl_->graph.capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
            try {
                work();
            } catch (...) {
                try { // end the capture the failure broke; its own error adds nothing
                    impl_->graph.capture_end();
                } catch (...) {
                }
                throw;
            }
            impl_->graph.capture_end();
        });
    } catch (const std::exception &e) {
        g_failedCapture =
            std::string("the training step cannot be captured as a CUDA graph: ") + oneLine(e);
        try {
            impl_->graph.reset();
        } catch (...) {
        }
        throw Error(g_failedCapture);
    }
    impl_->captured = true;
}

bool StepGraph::captured() const {
    return impl_->captured;
}

void StepGraph::replay() {
    if (!impl_->captured)
        throw Error("there is no captured step to replay.");
    c10::cuda::CUDAGuard deviceGuard(impl_->index);
    impl_->graph.replay();
}

#else // a LibTorch without CUDA

struct StepGraph::Impl {};

bool StepGraph::supported() {
    return false;
}

StepGraph::StepGraph(const torch::Device &) {
    throw Error("this LatentLab was built without CUDA, so it cannot capture CUDA graphs.");
}

StepGraph::~StepGraph() = default;

void StepGraph::warmUp(const std::function<void()> &work) {
    work();
}

void StepGraph::capture(const std::function<void()> &) {
    throw Error("this LatentLab was built without CUDA, so it cannot capture CUDA graphs.");
}

bool StepGraph::captured() const {
    return false;
}

void StepGraph::replay() {
    throw Error("this LatentLab was built without CUDA, so it cannot capture CUDA graphs.");
}

#endif

} // namespace latentlab
