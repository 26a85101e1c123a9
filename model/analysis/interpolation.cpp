#include "model/analysis/interpolation.h"

#include "model/error.h"

#include <torch/torch.h>

#include <cmath>

namespace latentlab {

InterpolationMode interpolationModeFromString(const std::string &name) {
    if (name == "linear")
        return InterpolationMode::Linear;
    if (name == "slerp" || name == "spherical")
        return InterpolationMode::Spherical;
    throw Error("unknown interpolation '" + name + "'; expected linear or slerp.");
}

torch::Tensor interpolate(const torch::Tensor &a, const torch::Tensor &b, double t,
                          InterpolationMode mode) {
    if (mode == InterpolationMode::Linear)
        return a * (1.0 - t) + b * t;
    const double na = a.norm().item<double>(), nb = b.norm().item<double>();
    if (na < 1e-12 || nb < 1e-12)
        return a * (1.0 - t) + b * t;
    const double cosOmega = std::clamp((a.dot(b) / (na * nb)).item<double>(), -1.0, 1.0);
    const double omega = std::acos(cosOmega);
    if (std::sin(omega) < 1e-6) // (anti)parallel ends: slerp is undefined, fall back
        return a * (1.0 - t) + b * t;
    return a * (std::sin((1.0 - t) * omega) / std::sin(omega)) +
           b * (std::sin(t * omega) / std::sin(omega));
}

torch::Tensor interpolationPath(const torch::Tensor &a, const torch::Tensor &b, int steps,
                                InterpolationMode mode) {
    if (steps < 2)
        throw Error("an interpolation needs at least 2 steps.");
    std::vector<torch::Tensor> codes;
    for (int i = 0; i < steps; ++i)
        codes.push_back(interpolate(a, b, double(i) / (steps - 1), mode));
    return torch::stack(codes);
}

} // namespace latentlab
