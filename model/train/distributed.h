#pragma once
// Data-parallel training on PyTorch's own engine: c10d process groups with Gloo, started the
// way PyTorch jobs are started (torchrun's variables, or SLURM's under srun).
//
// Every process holds the whole model and the whole data set and draws the same minibatch
// from the same seeded generator; each trains on its share of the rows (Trainer::drawInputs).
// Before each optimiser step the phase's gradients are averaged across processes in one
// all-reduce (flattened into one buffer, not one call per tensor), so every process takes
// the same step and the weights stay identical, as one process would at the global batch.

#include <torch/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace latentlab {

// Where this process stands among the others, as the launcher said.
struct LaunchInfo {
    int rank = 0;
    int world = 1;
    int localRank = 0;  // on this machine (picks the GPU)
    int localWorld = 1; // processes on this machine (shares the cores)
    std::string masterAddress = "127.0.0.1";
    int masterPort = 29500;
    std::string launcher; // "torchrun variables" or "SLURM"

    // torchrun's RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT, or
    // under srun SLURM_PROCID, SLURM_STEP_NUM_TASKS, SLURM_LOCALID (with MASTER_ADDR, which
    // SLURM does not set). Nothing when no launcher set them or the world is one process.
    // Throws Error naming the variable that is missing or whose value does not fit.
    static std::optional<LaunchInfo> fromEnvironment();
};

class ProcessGroup {
public:
    // Joins the other processes: rank 0 serves the rendezvous (a TCPStore) at the master's
    // address and port, the others connect to it. Throws Error when they do not all arrive
    // within `timeout`, which also bounds every later collective: a process that dies makes
    // the others stop with an Error, not hang.
    static std::shared_ptr<ProcessGroup> join(const LaunchInfo &launch,
                                              std::chrono::milliseconds timeout);
    ~ProcessGroup();

    int rank() const { return launch_.rank; }
    int world() const { return launch_.world; }

    // Replaces each tensor by its mean over the processes: one all-reduce of one flat buffer
    // (on the CPU; tensors elsewhere are copied there and back). Throws Error when a process
    // is gone.
    void average(const std::vector<torch::Tensor> &tensors);
    // Copies rank 0's values into every process's tensors (one broadcast). Throws Error.
    void broadcast(const std::vector<torch::Tensor> &tensors);
    // Waits until every process arrives. Throws Error.
    void barrier();

private:
    struct Impl;
    ProcessGroup(LaunchInfo launch, std::unique_ptr<Impl> impl);
    // Runs a collective; a Gloo failure becomes an Error that says which process lost whom.
    template <typename Call> void collective(const char *what, Call &&call);

    LaunchInfo launch_;
    std::unique_ptr<Impl> impl_;
};

} // namespace latentlab
