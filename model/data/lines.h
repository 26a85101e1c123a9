#pragma once
// The synthetic "lines" benchmark of the ACAI paper: 32x32 grey images of a 15-pixel line from
// the centre toward an angle theta, anti-aliased. Pixel values are the stroke's coverage in
// [0, 1] (the paper's 2 * coverage - 1, mapped to LatentLab's [0, 1] range for every data set).

#include "model/data/dataset.h"

#include <cstdint>

namespace latentlab {

namespace lines {
constexpr int kSize = 32;
constexpr double kLength = 15.0;
constexpr double kStroke = 2.0;
constexpr int kClasses = 10;
} // namespace lines

// One line at angle theta (radians, counter-clockwise from the +x axis, y up): [1, 32, 32].
torch::Tensor renderLine(double theta);

// Several lines at once: [N, 1, 32, 32] for the angles in `thetas` ([N] double or float).
torch::Tensor renderLines(const torch::Tensor &thetas);

// The label of an angle: floor(10 theta / 2 pi), theta wrapped into [0, 2 pi).
int lineLabel(double theta);

// `count` lines at angles uniform in [0, 2 pi) drawn from `seed`; the same seed gives the same
// set. The angles are kept in `anglesOut` when it is not null.
Dataset makeLinesDataset(int64_t count, uint64_t seed, torch::Tensor *anglesOut = nullptr);

} // namespace latentlab
