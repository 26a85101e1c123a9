#pragma once
// LatentLab models for Python: a file that plain `torch.load` reads (LibTorch's pickle_save,
// PyTorch's zip format), holding a dict
//   {"format": "latentlab-python", "version": 1, "config": <the configuration as JSON text>,
//    "step": <int>, "state_dict": {name: tensor}}
// with every weight of the networks by the checkpoint's names ("encoder.layers.0.weight", ...).
// resources/python/latentlab_models.py rebuilds the networks from it (docs/INTEROP.md).

#include "model/config.h"
#include "model/nets/autoencoder.h"

#include <string>

namespace latentlab {

constexpr int kPythonExportVersion = 1;

// Writes atomically; throws Error naming the path when it cannot.
void exportForPython(const ModelConfig &config, Autoencoder &model, int64_t step,
                     const std::string &path);

} // namespace latentlab
