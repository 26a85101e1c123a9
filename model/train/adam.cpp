#include "model/train/adam.h"

#include "model/error.h"

#include <torch/torch.h>

#include <cmath>
#include <string>

namespace latentlab {

Adam::Adam(std::vector<torch::Tensor> parameters, AdamSettings settings)
    : parameters_(std::move(parameters))
    , settings_(settings)
    , moments_(parameters_.size()) {}

void Adam::zeroGrad() {
    for (torch::Tensor &p : parameters_) {
        torch::Tensor &grad = p.mutable_grad();
        if (grad.defined()) {
            grad.detach_();
            grad.zero_();
        }
    }
}

void Adam::setLearningRate(double lr) {
    settings_.lr = lr;
    if (deviceLr_.defined())
        deviceLr_.fill_(lr);
}

std::vector<size_t> Adam::readyParameters() {
    std::vector<size_t> ready;
    for (size_t i = 0; i < parameters_.size(); ++i) {
        const torch::Tensor &p = parameters_[i];
        if (!p.grad().defined())
            continue;
        Moments &m = moments_[i];
        if (!m.avg.defined()) {
            m.avg = torch::zeros_like(p, torch::MemoryFormat::Preserve);
            m.avgSq = torch::zeros_like(p, torch::MemoryFormat::Preserve);
        }
        ready.push_back(i);
    }
    return ready;
}

void Adam::step() {
    torch::NoGradGuard noGrad;
    const std::vector<size_t> ready = readyParameters();
    if (ready.empty())
        return;
    if (deviceSteps_)
        stepOnDevice(ready);
    else
        stepOnHost(ready);
}

std::vector<torch::Tensor> Adam::updateMoments(const std::vector<size_t> &ready) {
    const double beta1 = settings_.beta1, beta2 = settings_.beta2;
    std::vector<torch::Tensor> grads, avgs, avgSqs;
    for (size_t i : ready) {
        grads.push_back(parameters_[i].grad());
        avgs.push_back(moments_[i].avg);
        avgSqs.push_back(moments_[i].avgSq);
    }
    at::_foreach_mul_(avgs, beta1);
    at::_foreach_add_(avgs, grads, 1 - beta1);
    at::_foreach_mul_(avgSqs, beta2);
    at::_foreach_addcmul_(avgSqs, grads, grads, 1 - beta2);
    return at::_foreach_sqrt(avgSqs);
}

void Adam::stepOnHost(const std::vector<size_t> &ready) {
    std::vector<torch::Tensor> params, avgs;
    std::vector<c10::Scalar> stepSizes, correction2Roots;
    for (size_t i : ready) {
        Moments &m = moments_[i];
        ++m.step;
        params.push_back(parameters_[i]);
        avgs.push_back(m.avg);
        const double correction1 = 1 - std::pow(settings_.beta1, double(m.step));
        const double correction2 = 1 - std::pow(settings_.beta2, double(m.step));
        stepSizes.emplace_back(-settings_.lr / correction1);
        correction2Roots.emplace_back(std::sqrt(correction2));
    }
    // The running means, then p -= lr / c1 * avg / (sqrt(avgSq) / sqrt(c2) + eps), operation by
    // operation as torch::optim::Adam orders them, so the results agree to the last bit.
    std::vector<torch::Tensor> denominators = updateMoments(ready);
    at::_foreach_div_(denominators, correction2Roots);
    at::_foreach_add_(denominators, settings_.eps);
    at::_foreach_addcdiv_(params, avgs, denominators, stepSizes);
}

void Adam::stepOnDevice(const std::vector<size_t> &ready) {
    if (!deviceLr_.defined())
        deviceLr_ = torch::full(
            {}, settings_.lr, torch::TensorOptions(torch::kDouble).device(parameters_[0].device()));
    for (size_t i : ready)
        if (!deviceStep_[i].defined())
            deviceStep_[i] = torch::zeros(
                {}, torch::TensorOptions(torch::kDouble).device(parameters_[i].device()));
    std::vector<torch::Tensor> denominators = updateMoments(ready);
    for (size_t k = 0; k < ready.size(); ++k) {
        const size_t i = ready[k];
        torch::Tensor &step = deviceStep_[i];
        step.add_(1);
        // Bias corrections from the count on the device: 1 - beta^step.
        const torch::Tensor correction1 = 1 - torch::pow(settings_.beta1, step);
        const torch::Tensor correction2 = 1 - torch::pow(settings_.beta2, step);
        const auto type = parameters_[i].scalar_type();
        denominators[k].div_(correction2.sqrt().to(type)).add_(settings_.eps);
        const torch::Tensor stepSize = (-deviceLr_.to(step.device()) / correction1).to(type);
        // p += stepSize * avg / denominator, in the order of addcdiv's kernel.
        parameters_[i].add_(moments_[i].avg * stepSize / denominators[k]);
    }
}

void Adam::setDeviceSteps(bool onDevice) {
    if (onDevice == deviceSteps_)
        return;
    if (onDevice) {
        deviceStep_.assign(parameters_.size(), torch::Tensor());
        for (size_t i = 0; i < parameters_.size(); ++i)
            if (moments_[i].step > 0)
                deviceStep_[i] = torch::full(
                    {}, double(moments_[i].step),
                    torch::TensorOptions(torch::kDouble).device(parameters_[i].device()));
    } else {
        for (size_t i = 0; i < parameters_.size(); ++i)
            moments_[i].step = moments(i).step;
        deviceStep_.clear();
        deviceLr_ = torch::Tensor();
    }
    deviceSteps_ = onDevice;
}

Adam::Moments Adam::moments(size_t i) const {
    Moments m = moments_.at(i);
    if (deviceSteps_)
        m.step = deviceStep_[i].defined() ? std::llround(deviceStep_[i].item<double>()) : 0;
    return m;
}

void Adam::setMoments(size_t i, Moments moments) {
    const torch::Tensor &p = parameters_.at(i);
    if (moments.step <= 0) {
        moments_[i] = Moments{};
        if (deviceSteps_)
            deviceStep_[i] = torch::Tensor();
        return;
    }
    for (const torch::Tensor *t : {&moments.avg, &moments.avgSq})
        if (!t->defined() || t->sizes() != p.sizes() || t->scalar_type() != p.scalar_type() ||
            t->device() != p.device())
            throw Error("the Adam moments of parameter " + std::to_string(i) +
                        " do not fit it: expected " + c10::str(p.sizes()) + " " +
                        std::string(c10::toString(p.scalar_type())) + " on " + p.device().str() +
                        ".");
    if (deviceSteps_)
        deviceStep_[i] = torch::full({}, double(moments.step),
                                     torch::TensorOptions(torch::kDouble).device(p.device()));
    moments_[i] = std::move(moments);
}

} // namespace latentlab
