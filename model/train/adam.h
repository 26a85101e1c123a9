#pragma once
// Adam (Kingma & Ba 2014) over a fixed list of parameters, computing what torch::optim::Adam
// (LibTorch 1.13, no weight decay, no AMSGrad) computes, in one of two forms:
//
// - host steps (the default): each parameter's step count is an integer here, and one step is
//   a handful of LibTorch `_foreach` calls over all parameters at once (one kernel per operation
//   instead of one per operation and parameter, which is what a per-parameter loop pays for);
// - device steps (setDeviceSteps(true)): the step counts, the learning rate and the bias
//   corrections live in tensors on the parameters' device, so a step reads nothing back to the
//   host and every number it uses can change between steps without new host values: the form a
//   CUDA graph can capture once and replay.
//
// A parameter takes part in a step once it has a gradient; zeroGrad() zeroes gradients in
// place (they stay allocated, at the same addresses: what a CUDA graph needs) rather than
// dropping them, as torch::optim::Adam does in LibTorch 1.13 (2.x drops them by default). So a
// parameter that got a gradient once steps in every later step, with a zero gradient where a
// phase does not reach it, exactly as with LibTorch 1.13's Adam. Not thread-safe.

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace latentlab {

struct AdamSettings {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
};

class Adam {
public:
    Adam(std::vector<torch::Tensor> parameters, AdamSettings settings);

    // One update of every parameter that has a gradient.
    void step();
    // Zeroes every gradient that exists, in place.
    void zeroGrad();

    void setLearningRate(double lr);
    const AdamSettings &settings() const { return settings_; }
    const std::vector<torch::Tensor> &parameters() const { return parameters_; }

    // Keeps step counts on the device from now on (or back on the host).
    void setDeviceSteps(bool onDevice);
    bool deviceSteps() const { return deviceSteps_; }

    // What Adam keeps for one parameter: steps taken (0: none yet, and no moments), and the
    // running means of the gradient and of its square.
    struct Moments {
        int64_t step = 0;
        torch::Tensor avg, avgSq;
    };
    // Parameter i's (a copy of the count; the moments are the tensors Adam updates in place).
    // With device steps, reading the count waits for the device.
    Moments moments(size_t i) const;
    // Replaces parameter i's; step 0 forgets them. The tensors are used as given (clone first if
    // they are shared). Throws Error for moments of another shape, type or device.
    void setMoments(size_t i, Moments moments);

private:
    // The running means of the gradient and its square, updated in place for the `ready`
    // parameters; returns sqrt(avgSq) of each, the denominators' start.
    std::vector<torch::Tensor> updateMoments(const std::vector<size_t> &ready);
    void stepOnHost(const std::vector<size_t> &ready);
    void stepOnDevice(const std::vector<size_t> &ready);
    std::vector<size_t> readyParameters(); // those with a gradient; creates their moments

    std::vector<torch::Tensor> parameters_;
    AdamSettings settings_;
    std::vector<Moments> moments_;
    bool deviceSteps_ = false;
    std::vector<torch::Tensor> deviceStep_; // per parameter, a double scalar on its device
    torch::Tensor deviceLr_;                // a double scalar on the parameters' device
};

} // namespace latentlab
