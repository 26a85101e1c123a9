#pragma once
// Reading checkpoints of format version 1 (LatentLab 0.1), whose weights and optimiser states
// were a LibTorch archive: they are turned into the named tensors of Trainer::state(), which
// Trainer::setState() then checks and puts back as it does for format 2. Used by
// model/io/checkpoint.cpp only.

#include "model/io/tensorfile.h"
#include "model/train/trainer.h"

#include <cstddef>
#include <string>

namespace latentlab {

// The state held by a version 1 payload, for `trainer`'s networks and optimisers. Throws Error
// naming `source` when the archive lacks a part or holds a state that does not fit; LibTorch's
// own reader may throw other exceptions on a damaged archive.
NamedTensors stateFromVersion1(const Trainer &trainer, const char *payload, size_t size,
                               const std::string &source);

} // namespace latentlab
