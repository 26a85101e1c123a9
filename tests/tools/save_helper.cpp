// latentlab-save-helper: a process for tst_crashsafety to kill or starve while it saves.
//   save_helper loop PATH          trains a tiny model and saves it to PATH over and over,
//                                  printing "saved N" after each save, until killed
//   save_helper limited PATH BYTES saves once with files limited to BYTES (ulimit -f); prints
//                                  the error and exits 3 when the save is refused, 0 when saved
// Not a test by itself and not installed.

#include "model/data/lines.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "tests/support/smallconfig.h"

#include <torch/torch.h>

#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace latentlab;

namespace {

std::unique_ptr<Trainer> tinyTrainer() {
    ModelConfig c = smallTrainingConfig(ModelKind::Aae, 64);
    c.batch = 16;
    auto t = std::make_unique<Trainer>(c);
    t->setData(makeLinesDataset(64, 1));
    return t;
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 3) {
        std::cerr << "usage: latentlab-save-helper loop PATH | limited PATH BYTES\n";
        return 2;
    }
    torch::set_num_threads(1);
    const std::string mode = argv[1], path = argv[2];
    const std::unique_ptr<Trainer> owned = tinyTrainer();
    Trainer &trainer = *owned;
    if (mode == "loop") {
        for (long n = 1;; ++n) {
            trainer.step();
            saveCheckpoint(trainer, path);
            std::cout << "saved " << n << std::endl;
        }
    }
    if (mode == "limited" && argc == 4) {
        trainer.step();
        // A write past the limit fails with EFBIG instead of killing the process.
        std::signal(SIGXFSZ, SIG_IGN);
        const rlim_t bytes = std::strtoull(argv[3], nullptr, 10);
        const rlimit limit{bytes, bytes};
        setrlimit(RLIMIT_FSIZE, &limit);
        try {
            saveCheckpoint(trainer, path);
        } catch (const Error &e) {
            std::cout << e.what() << std::endl;
            return 3;
        }
        return 0;
    }
    std::cerr << "latentlab-save-helper: unknown mode '" << mode << "'\n";
    return 2;
}
