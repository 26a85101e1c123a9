#pragma once
// Checkpoint files: one file with the full configuration (as JSON), all weights, the optimiser
// states and the step count. Written atomically (temporary file, flush, fsync, rename) so a
// crash or Ctrl-C never leaves a half-written checkpoint where the last good one was.
//
// Layout: "LATENTLAB CHECKPOINT\n", u32 format version, u64 length + config JSON, u64 length +
// weights, u32 CRC-32 of both parts (integers little-endian). The weights are Trainer::state()
// in model/io/tensorfile.h's format from version 2 on, with the directions a person defined
// beside them ("direction.<n>.<name>"); version 1 (still read, model/io/checkpointv1.h) held a
// LibTorch archive.

#include "model/analysis/directions.h"
#include "model/config.h"
#include "model/train/trainer.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace latentlab {

constexpr uint32_t kCheckpointVersion = 2;

// The first bytes of a LatentLab checkpoint (its signature).
bool startsLikeCheckpoint(std::string_view head);

// A model file's content: the trainer (without data) and the directions saved with it.
struct Checkpoint {
    std::unique_ptr<Trainer> trainer;
    std::vector<Direction> directions;
};

// Throws Error when the file cannot be written (or a direction does not fit the model); an
// existing file at `path` is then untouched.
void saveCheckpoint(const Trainer &trainer, const std::string &path,
                    std::vector<Direction> directions = {});

// Reads only the configuration. Throws Error naming the file and what is wrong with it.
ModelConfig readCheckpointConfig(const std::string &path);

// Rebuilds the trainer (networks from the stored configuration, then weights, optimiser states
// and step) and reads the directions. `device` overrides the stored device when not empty. The
// trainer has no data yet.
Checkpoint readCheckpoint(const std::string &path, const std::string &device = {});
// readCheckpoint()'s trainer alone.
std::unique_ptr<Trainer> loadCheckpoint(const std::string &path, const std::string &device = {});

// Whatever model `path` holds, recognised by content: a LatentLab checkpoint (readCheckpoint),
// or a TorchScript model (model/nets/scriptedmodel.h; explored on the CPU, never trained; no
// directions). Throws Error naming the file and what it is instead.
Checkpoint readModel(const std::string &path, const std::string &device = {});
// readModel()'s trainer alone.
std::unique_ptr<Trainer> openModel(const std::string &path, const std::string &device = {});

} // namespace latentlab
