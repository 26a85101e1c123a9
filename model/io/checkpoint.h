#pragma once
// Checkpoint files: one file with the full configuration (as JSON), all weights, the optimiser
// states and the step count. Written atomically (temporary file, flush, fsync, rename) so a
// crash or Ctrl-C never leaves a half-written checkpoint where the last good one was.
//
// Layout: "LATENTLAB CHECKPOINT\n", u32 format version, u64 length + config JSON, u64 length +
// weights, u32 CRC-32 of both parts (integers little-endian). The weights are Trainer::state()
// in model/io/tensorfile.h's format from version 2 on; version 1 (still read) held a LibTorch
// archive.

#include "model/config.h"
#include "model/train/trainer.h"

#include <memory>
#include <string>

namespace latentlab {

constexpr uint32_t kCheckpointVersion = 2;

// Throws Error when the file cannot be written; an existing file at `path` is then untouched.
void saveCheckpoint(const Trainer &trainer, const std::string &path);

// Reads only the configuration. Throws Error naming the file and what is wrong with it.
ModelConfig readCheckpointConfig(const std::string &path);

// Rebuilds the trainer (networks from the stored configuration, then weights, optimiser states
// and step). `device` overrides the stored device when not empty. The trainer has no data yet.
std::unique_ptr<Trainer> loadCheckpoint(const std::string &path, const std::string &device = {});

// Whatever model `path` holds, recognised by content: a LatentLab checkpoint (loadCheckpoint),
// or a TorchScript model (model/nets/scriptedmodel.h; explored on the CPU, never trained).
// Throws Error naming the file and what it is instead.
std::unique_ptr<Trainer> openModel(const std::string &path, const std::string &device = {});

} // namespace latentlab
