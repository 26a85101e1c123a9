#pragma once
// Writing images with OpenCV: one image or a grid of them, from float tensors in [0, 1].

#include <torch/types.h>

#include <string>

namespace latentlab {

// One image [C, H, W] (or [1, C, H, W]) in [0, 1] as bytes [H * scale, W * scale, C] (uint8),
// each pixel magnified to a scale x scale block.
torch::Tensor imageBytes(const torch::Tensor &image, int scale = 1);

// images: [N, C, H, W] in [0, 1]; laid out `columns` per row with a 1-pixel gap, each image
// magnified by the integer `scale`. Returns a CV_8UC1 or CV_8UC3 image as raw bytes in a tensor
// [rows, cols, channels] (uint8).
torch::Tensor tileImages(const torch::Tensor &images, int columns, int scale = 1);

// Writes tileImages(...) as a PNG. Throws Error naming the path when writing fails.
void writeImageGrid(const std::string &path, const torch::Tensor &images, int columns,
                    int scale = 1);

// Writes one image [C, H, W] (or [1, C, H, W]) as a picture of its own size times `scale`,
// without the grid's frame. Throws Error naming the path when writing fails.
void writeImage(const std::string &path, const torch::Tensor &image, int scale = 1);

} // namespace latentlab
