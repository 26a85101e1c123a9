#include "model/io/checkpointv1.h"

#include "model/error.h"

#include <torch/torch.h>

#include <type_traits>

namespace latentlab {

namespace {

// Version 1 named a parameter "model_" and its path with dots as underscores.
std::string archiveKey(const std::string &parameterName) {
    std::string key = parameterName;
    for (char &c : key)
        if (c == '.')
            c = '_';
    return "model_" + key;
}

// LibTorch 1.13 keys an optimiser's state by the text of the parameter's TensorImpl address,
// LibTorch 2 by the address itself.
template <typename Map> typename Map::key_type stateKey(const torch::Tensor &p) {
    if constexpr (std::is_same_v<typename Map::key_type, std::string>)
        return c10::guts::to_string(p.unsafeGetTensorImpl());
    else
        return p.unsafeGetTensorImpl();
}

// Version 1 stored torch::optim::Adam's own archive for each optimiser: it is read into one of
// those over the same parameters and its moments are taken over, named as state() names them.
void addMoments(NamedTensors &state, torch::serialize::InputArchive &archive,
                const std::string &name, const std::vector<torch::Tensor> &parameters,
                const std::string &source) {
    torch::serialize::InputArchive sub;
    if (!archive.try_read(name, sub))
        throw Error(source + ": the checkpoint lacks the optimiser state '" + name + "'.");
    torch::optim::Adam stored(parameters);
    try {
        stored.load(sub);
    } catch (const c10::Error &) {
        throw Error(source + ": the optimiser state '" + name + "' does not fit the model.");
    }
    auto &states = stored.state();
    for (size_t i = 0; i < parameters.size(); ++i) {
        const auto it = states.find(stateKey<std::decay_t<decltype(states)>>(parameters[i]));
        if (it == states.end())
            continue; // no step yet
        const auto &s = static_cast<const torch::optim::AdamParamState &>(*it->second);
        const std::string prefix = name + "." + std::to_string(i) + ".";
        state.emplace_back(prefix + "step", torch::tensor(s.step(), torch::kLong));
        state.emplace_back(prefix + "exp_avg", s.exp_avg().to(torch::kCPU));
        state.emplace_back(prefix + "exp_avg_sq", s.exp_avg_sq().to(torch::kCPU));
    }
}

} // namespace

NamedTensors stateFromVersion1(const Trainer &trainer, const char *payload, size_t size,
                               const std::string &source) {
    torch::serialize::InputArchive archive;
    archive.load_from(payload, size, torch::kCPU);
    NamedTensors state;
    torch::Tensor steps;
    if (!archive.try_read("steps", steps))
        throw Error(source + ": the checkpoint has no step count; it is damaged.");
    state.emplace_back("steps", steps.to(torch::kLong).reshape({}));
    // A weight the archive lacks is named by setState(), which checks them all.
    for (const auto &p : trainer.model()->named_parameters()) {
        torch::Tensor t;
        if (archive.try_read(archiveKey(p.key()), t))
            state.emplace_back("model." + p.key(), t);
    }
    for (const auto &[name, parameters] : trainer.optimiserParameters())
        addMoments(state, archive, name, parameters, source);
    return state;
}

} // namespace latentlab
