#pragma once
// Files for people and other programs: codes as CSV, interpolation frames as a video (or, where
// OpenCV has no encoder for it, as numbered PNGs).

#include <torch/types.h>

#include <string>

namespace latentlab {

// index,label,z0,z1,... one row per code; the label column is empty when labels is undefined.
// Throws Error naming the path when it cannot be written.
void writeCodesCsv(const std::string &path, const torch::Tensor &codes,
                   const torch::Tensor &labels);

// frames [N, C, H, W] in [0, 1], each magnified `scale` times. Returns false when OpenCV cannot
// encode this format here (nothing is left behind then); throws Error for other failures.
bool writeVideo(const std::string &path, const torch::Tensor &frames, double fps, int scale);

// The same frames as folder/frame_000.png, frame_001.png, ... (the folder is created).
void writeImageSequence(const std::string &folder, const torch::Tensor &frames, int scale);

} // namespace latentlab
