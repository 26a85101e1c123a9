#pragma once
// The small model the training suites share: 96 hidden units in each network, batches of 32, on
// 32 x 32 lines, on the CPU, seed 5. Small enough that a few hundred steps take seconds.

#include "model/config.h"

namespace latentlab {

inline ModelConfig smallTrainingConfig(ModelKind kind) {
    ModelConfig c;
    c.kind = kind;
    c.hidden = 96;
    c.discHidden = 96;
    c.batch = 32;
    c.height = c.width = 32;
    c.numClasses = 10;
    c.data = "lines";
    c.device = "cpu";
    c.seed = 5;
    return c;
}

} // namespace latentlab
