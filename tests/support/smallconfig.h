#pragma once
// Small model configurations for the model suites, from one place. The default is the model the
// training suites share: 96 hidden units in each network, batches of 32, on 32 x 32 lines, on
// the CPU, seed 5. Small enough that a few hundred steps take seconds. A suite that needs
// another width or image size passes it; what else it needs (batch, seed, prior) it sets after.

#include "model/config.h"

namespace latentlab {

// The small model over `base`, keeping its kind and whatever else it carries (pass
// ModelConfig::forKind(kind) for that kind's own loss and rates): `hidden` units in each
// network (discriminator too), `side` x `side` images of lines, batches of 32, on the CPU,
// seed 5.
inline ModelConfig smallTrainingConfig(ModelConfig base, int hidden = 96, int side = 32) {
    base.hidden = base.discHidden = hidden;
    base.batch = 32;
    base.height = base.width = side;
    base.numClasses = 10;
    base.data = "lines";
    base.device = "cpu";
    base.seed = 5;
    return base;
}

// The same over ModelConfig's plain defaults with `kind`. Not forKind's: an ACAI from here has
// the AAE's loss and rates, and tst_trainer's ACAI thresholds were measured so.
inline ModelConfig smallTrainingConfig(ModelKind kind, int hidden = 96, int side = 32) {
    ModelConfig c;
    c.kind = kind;
    return smallTrainingConfig(c, hidden, side);
}

} // namespace latentlab
