#pragma once
// Loads every PNG / JPEG below a folder with OpenCV. Labels come from the first-level
// sub-folder names (sorted); unreadable files are listed in Dataset::warnings, not fatal.

#include "model/data/dataset.h"

namespace latentlab {

// Throws Error when the folder does not exist or holds no readable image.
Dataset loadImageFolder(const std::string &folder, int size, bool colour);

} // namespace latentlab
