#include "model/train/stepgraph.h"

#include "model/error.h"

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
    // next.
    template <typename F> void onOwnStream(F &&work) {
        c10::cuda::CUDAGuard deviceGuard(index);
        const c10::cuda::CUDAStream current = c10::cuda::getCurrentCUDAStream(index);
        follow(stream, current);
        {
            c10::cuda::CUDAStreamGuard streamGuard(stream);
            work();
        }
        follow(current, stream);
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
    c10::cuda::getCurrentCUDAStream(impl_->index).synchronize();
    impl_->stream.synchronize();
}

void StepGraph::warmUp(const std::function<void()> &work) {
    impl_->onOwnStream(work);
}

void StepGraph::capture(const std::function<void()> &work) {
    if (impl_->captured)
        throw Error("this CUDA graph already holds a step.");
    try {
        impl_->onOwnStream([&] {
            impl_->graph.capture_begin();
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
    } catch (const Error &) {
        impl_->graph.reset();
        throw;
    } catch (const std::exception &e) {
        impl_->graph.reset();
        throw Error(std::string("the training step cannot be captured as a CUDA graph: ") +
                    oneLine(e));
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
