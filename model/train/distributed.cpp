#include "model/train/distributed.h"

#include "model/error.h"

#include <torch/torch.h>
#ifdef LATENTLAB_HAVE_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace latentlab {

namespace {

const char *variable(const char *name) {
    const char *value = std::getenv(name);
    return value && *value ? value : nullptr;
}

// The variable's value as an integer in [lo, hi]; `fallback` when it is not set.
int integerVariable(const char *name, int lo, int hi, int fallback) {
    const char *text = variable(name);
    if (!text)
        return fallback;
    int value = 0;
    const char *end = text + std::char_traits<char>::length(text);
    const auto [at, ec] = std::from_chars(text, end, value);
    if (ec != std::errc() || at != end || value < lo || value > hi)
        throw Error(std::string("the environment variable ") + name + " is '" + text +
                    "'; expected a whole number from " + std::to_string(lo) + " to " +
                    std::to_string(hi) + ".");
    return value;
}

bool isLoopback(const std::string &address) {
    return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

} // namespace

std::optional<LaunchInfo> LaunchInfo::fromEnvironment() {
    LaunchInfo info;
    constexpr int kMost = 1 << 20;
    if (variable("WORLD_SIZE") || variable("RANK")) {
        info.launcher = "torchrun variables";
        info.world = integerVariable("WORLD_SIZE", 1, kMost, 1);
        if (info.world > 1 && !variable("RANK"))
            throw Error("WORLD_SIZE is " + std::to_string(info.world) +
                        " but RANK is not set: each process needs its own RANK, from 0 to " +
                        std::to_string(info.world - 1) + ".");
        info.rank = integerVariable("RANK", 0, info.world - 1, 0);
        info.localRank = integerVariable("LOCAL_RANK", 0, info.world - 1, info.rank);
        info.localWorld = integerVariable("LOCAL_WORLD_SIZE", 1, info.world, info.world);
    } else if (variable("SLURM_STEP_NUM_TASKS")) {
        // Only inside an srun step: a batch script alone also has SLURM_NTASKS, and one program
        // run there is one process.
        info.launcher = "SLURM";
        info.world = integerVariable("SLURM_STEP_NUM_TASKS", 1, kMost, 1);
        info.rank = integerVariable("SLURM_PROCID", 0, info.world - 1, 0);
        info.localRank = integerVariable("SLURM_LOCALID", 0, info.world - 1, 0);
        // "2(x3)": two tasks on each of three nodes; "3,2": three on the first node. This
        // node's share is what matters for its threads; the first figure is close enough.
        if (const char *perNode = variable("SLURM_STEP_TASKS_PER_NODE")) {
            int tasks = 0;
            std::from_chars(perNode, perNode + std::char_traits<char>::length(perNode), tasks);
            info.localWorld = std::clamp(tasks, 1, info.world);
        }
        // SLURM names no address for process 0 (the node that ran srun may be another one).
        if (info.world > 1 && !variable("MASTER_ADDR"))
            throw Error("under srun, set MASTER_ADDR to the first node of the step (for example "
                        "MASTER_ADDR=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head "
                        "-1)) and MASTER_PORT to a free port.");
    } else {
        return std::nullopt;
    }
    if (info.world == 1)
        return std::nullopt;
    if (const char *address = variable("MASTER_ADDR"))
        info.masterAddress = address;
    info.masterPort = integerVariable("MASTER_PORT", 1, 65535, info.masterPort);
    return info;
}

#ifdef LATENTLAB_HAVE_GLOO

struct ProcessGroup::Impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
    std::chrono::milliseconds timeout;
};

ProcessGroup::ProcessGroup(LaunchInfo launch, std::unique_ptr<Impl> impl)
    : launch_(std::move(launch))
    , impl_(std::move(impl)) {}

ProcessGroup::~ProcessGroup() = default;

std::shared_ptr<ProcessGroup> ProcessGroup::join(const LaunchInfo &launch,
                                                 std::chrono::milliseconds timeout) {
    const std::string where = launch.masterAddress + ":" + std::to_string(launch.masterPort);
    const std::string who =
        "process " + std::to_string(launch.rank) + " of " + std::to_string(launch.world);
    auto impl = std::make_unique<Impl>();
    impl->timeout = timeout;
    try {
        c10d::TCPStoreOptions options;
        options.port = uint16_t(launch.masterPort);
        options.isServer = launch.rank == 0;
        options.numWorkers = size_t(launch.world);
        options.waitWorkers = true;
        options.timeout = timeout;
        impl->store = c10::make_intrusive<c10d::TCPStore>(launch.masterAddress, options);
    } catch (const std::exception &e) {
        throw Error(who + " could not " +
                    (launch.rank == 0 ? "serve the rendezvous at " : "reach the rendezvous at ") +
                    where + " (set by " + launch.launcher + "): " + oneLine(e) + "." +
                    (launch.rank == 0 ? " Is another run using that port? Set MASTER_PORT to a "
                                        "free one."
                                      : " Did process 0 start, on that address and port?"));
    }
    try {
        auto options = c10d::ProcessGroupGloo::Options::create(timeout);
        // Gloo talks over the interface PyTorch would pick: GLOO_SOCKET_IFNAME when set, the
        // loopback when the whole world is on this machine, else the host name's address.
        if (const char *name = variable("GLOO_SOCKET_IFNAME"))
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
        else if (isLoopback(launch.masterAddress))
            options->devices.push_back(
                c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
        else
            options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        options->threads = 1;
        impl->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(impl->store, launch.rank,
                                                                 launch.world, options);
    } catch (const std::exception &e) {
        throw Error(who + " could not connect to the others through " + where + ": " + oneLine(e) +
                    ".");
    }
    return std::shared_ptr<ProcessGroup>(new ProcessGroup(launch, std::move(impl)));
}

template <typename Call> void ProcessGroup::collective(const char *what, Call &&call) {
    try {
        call();
    } catch (const std::exception &e) {
        const std::string reason = oneLine(e);
        throw Error("process " + std::to_string(rank()) + " of " + std::to_string(world()) +
                    " lost contact with the others during " + what + " (" + reason +
                    "): another process has stopped or is unreachable; stopping.");
    }
}

namespace {

// The tensors in one flat buffer on the CPU, of the first one's type: one collective call for
// all of them.
torch::Tensor flatten(const std::vector<torch::Tensor> &tensors) {
    std::vector<torch::Tensor> flat;
    flat.reserve(tensors.size());
    const auto type = tensors.front().scalar_type();
    for (const auto &t : tensors)
        flat.push_back(t.detach().reshape({-1}).to(torch::kCPU, type));
    return torch::cat(flat);
}

// Copies the buffer's pieces back into the tensors, in place, wherever they live.
void unflatten(const torch::Tensor &buffer, const std::vector<torch::Tensor> &tensors) {
    torch::NoGradGuard noGrad;
    int64_t at = 0;
    for (const auto &t : tensors) {
        t.copy_(buffer.narrow(0, at, t.numel()).view_as(t));
        at += t.numel();
    }
}

} // namespace

void ProcessGroup::average(const std::vector<torch::Tensor> &tensors) {
    if (tensors.empty())
        return;
    std::vector<torch::Tensor> buffer{flatten(tensors)};
    collective("an all-reduce", [&] { impl_->gloo->allreduce(buffer)->wait(impl_->timeout); });
    unflatten(buffer[0].div_(double(world())), tensors);
}

void ProcessGroup::broadcast(const std::vector<torch::Tensor> &tensors) {
    if (tensors.empty())
        return;
    std::vector<torch::Tensor> buffer{flatten(tensors)};
    collective("a broadcast", [&] { impl_->gloo->broadcast(buffer)->wait(impl_->timeout); });
    unflatten(buffer[0], tensors);
}

void ProcessGroup::barrier() {
    collective("a barrier", [&] { impl_->gloo->barrier()->wait(impl_->timeout); });
}

#else // built without Gloo's headers

struct ProcessGroup::Impl {};

ProcessGroup::ProcessGroup(LaunchInfo launch, std::unique_ptr<Impl> impl)
    : launch_(std::move(launch))
    , impl_(std::move(impl)) {}

ProcessGroup::~ProcessGroup() = default;

std::shared_ptr<ProcessGroup> ProcessGroup::join(const LaunchInfo &launch,
                                                 std::chrono::milliseconds) {
    throw Error(launch.launcher + " ask for " + std::to_string(launch.world) +
                " processes, but this LatentLab was built without Gloo (install libgloo-dev "
                "and build again) and trains in one process only.");
}

void ProcessGroup::average(const std::vector<torch::Tensor> &) {}
void ProcessGroup::broadcast(const std::vector<torch::Tensor> &) {}
void ProcessGroup::barrier() {}

#endif

} // namespace latentlab
