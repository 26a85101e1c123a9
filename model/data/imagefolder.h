#pragma once
// Loads every PNG / JPEG below a folder with OpenCV. Labels come from the first-level
// sub-folder names (sorted); unreadable files are counted in Dataset::warnings (one sentence
// naming the first), not fatal.

#include "model/data/dataset.h"

namespace latentlab {

// Throws Error when the folder does not exist or holds no readable image.
Dataset loadImageFolder(const std::string &folder, int size, bool colour);

// One image file as bytes, uint8 [C, size, size] (C = 3 in RGB order with `colour`, else 1),
// or an undefined tensor when OpenCV cannot read it. Images of more than 64 megapixels are
// refused before they are decoded.
torch::Tensor readImageFile(const std::string &path, int size, bool colour);

} // namespace latentlab
