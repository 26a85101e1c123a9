#pragma once
// Checkpoint files: one file with the full configuration (as JSON), all weights, the optimiser
// states and the step count. Written atomically (temporary file, flush, fsync, rename) so a
// crash or Ctrl-C never leaves a half-written checkpoint where the last good one was.
//
// Layout: "LATENTLAB CHECKPOINT\n", u32 format version, u64 length + config JSON, u64 length +
// LibTorch archive, u32 CRC-32 of both parts (integers little-endian).

#include "model/config.h"
#include "model/train/trainer.h"

#include <memory>
#include <string>

namespace latentlab {

constexpr uint32_t kCheckpointVersion = 1;

// Throws Error when the file cannot be written; an existing file at `path` is then untouched.
void saveCheckpoint(const Trainer &trainer, const std::string &path);

// Reads only the configuration. Throws Error naming the file and what is wrong with it.
ModelConfig readCheckpointConfig(const std::string &path);

// Rebuilds the trainer (networks from the stored configuration, then weights, optimiser states
// and step). `device` overrides the stored device when not empty. The trainer has no data yet.
std::unique_ptr<Trainer> loadCheckpoint(const std::string &path, const std::string &device = {});

} // namespace latentlab
