#include "model/analysis/directions.h"

#include "model/analysis/layout.h"
#include "model/error.h"

#include <torch/torch.h>

namespace latentlab {

namespace {

torch::Tensor floatCodes(const torch::Tensor &codes) {
    if (codes.dim() != 2 || codes.size(0) == 0)
        throw Error("a direction needs codes [N, D] with at least one item.");
    return codes.to(torch::kCPU, torch::kFloat);
}

} // namespace

Direction classDirection(const torch::Tensor &codes, const torch::Tensor &labels, int64_t from,
                         int64_t to, const std::string &name) {
    const torch::Tensor c = floatCodes(codes);
    const torch::Tensor l = labels.to(torch::kCPU, torch::kLong).slice(0, 0, c.size(0));
    auto mean = [&](int64_t label) {
        const torch::Tensor mask = l.eq(label);
        if (mask.sum().item<int64_t>() == 0)
            throw Error("class " + std::to_string(label) +
                        " has no item among the shown codes, so it has no mean code.");
        return c.index({mask}).mean(0);
    };
    return {name, mean(to) - mean(from)};
}

Direction selectionDirection(const torch::Tensor &codes, const std::vector<int64_t> &from,
                             const std::vector<int64_t> &to, const std::string &name) {
    const torch::Tensor c = floatCodes(codes);
    auto mean = [&](const std::vector<int64_t> &items, const char *which) {
        if (items.empty())
            throw Error(std::string("the ") + which + " selection is empty: select items first.");
        for (int64_t i : items)
            if (i < 0 || i >= c.size(0))
                throw Error("item " + std::to_string(i) + " of the " + which +
                            " selection is not among the " + std::to_string(c.size(0)) +
                            " shown items.");
        return c.index_select(0, torch::tensor(items, torch::kLong)).mean(0);
    };
    return {name, mean(to, "'to'") - mean(from, "'from'")};
}

std::vector<Direction> principalDirections(const torch::Tensor &codes, int count) {
    const torch::Tensor c = floatCodes(codes);
    count = int(std::min<int64_t>(count, c.size(1)));
    auto [mean, axes] = principalAxes(c, count);
    const torch::Tensor centred = c - mean;
    std::vector<Direction> out;
    for (int k = 0; k < count; ++k) {
        torch::Tensor axis = axes[k];
        if (axis[axis.abs().argmax()].item<float>() < 0)
            axis = -axis;
        const double spread = centred.mv(axis).std().item<double>();
        out.push_back({"PC" + std::to_string(k + 1), axis * float(spread)});
    }
    return out;
}

void checkDirections(std::vector<Direction> &directions, int64_t codeSize) {
    for (Direction &d : directions) {
        if (d.name.empty())
            throw Error("a direction needs a name.");
        if (!d.vector.defined() || d.vector.dim() != 1 || d.vector.numel() != codeSize)
            throw Error("the direction '" + d.name + "' does not fit the model: its codes have " +
                        std::to_string(codeSize) + " dimensions.");
        d.vector = d.vector.detach().to(torch::kCPU, torch::kFloat).contiguous();
    }
}

torch::Tensor moveAlong(const torch::Tensor &code, const Direction &direction, double amount) {
    if (code.numel() != direction.vector.numel())
        throw Error("the direction '" + direction.name + "' has " +
                    std::to_string(direction.vector.numel()) + " dimensions, the code " +
                    std::to_string(code.numel()) + ".");
    return code.to(torch::kFloat) + direction.vector.view_as(code) * float(amount);
}

} // namespace latentlab
