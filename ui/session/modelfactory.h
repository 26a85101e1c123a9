#pragma once
// Building trainers for the window: from the Data & Model choices, or from a checkpoint file.
// Both load the data set too; errors come back as latentlab::Error with a sentence to show.

#include "model/config.h"
#include "model/io/checkpoint.h"
#include "model/train/trainer.h"

#include <memory>
#include <string>

namespace latentlab {

// Where the window looks for the demo digits (build/data/mnist next to build/bin).
std::string demoDataDir();

// The data set the window opens with: the demo digits when fetched, else lines.
std::string defaultDataSpec();

// A new trainer with `choices` (image shape and classes taken from the data) and its data.
std::unique_ptr<Trainer> createTrainer(ModelConfig choices, const std::string &dataSpec);

// A trainer from a model file, recognised by content (model/io/checkpoint.h openModel()), with
// its data: a checkpoint's own data set; for a TorchScript model, `shownData` (the Data & Model
// choice) when its images fit the model, else the demo set of the model's image shape.
// `device`: where to put it (empty: the device its checkpoint names).
Checkpoint openModelFile(const std::string &path, const std::string &shownData,
                         const std::string &device = {});
// The data part of openModelFile(), for a trainer already opened from `path`.
void giveModelData(Trainer &trainer, const std::string &path, const std::string &shownData);

// Leave one core for the interface: LibTorch and OpenBLAS each use one thread, so training
// in the worker never starves the window and its decoding threads.
void limitComputeThreads();

} // namespace latentlab
