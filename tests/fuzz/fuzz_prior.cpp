// libFuzzer target: prior specifications ("gaussian:0.5", "mixture:7", ...). The first byte is
// the code size (1 to 8), the rest the spec. A prior that is made must sample, give densities,
// and name itself with a spec that makes the same prior.

#include "model/error.h"
#include "model/nets/prior.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    torch::set_num_threads(1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 256)
        return 0;
    const int dim = 1 + data[0] % 8;
    const std::string spec(reinterpret_cast<const char *>(data + 1), size - 1);
    try {
        const auto prior = latentlab::makePrior(spec, dim);
        auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
        const torch::Tensor codes = prior->sample(8, gen).codes;
        if (codes.size(0) != 8 || codes.size(1) != dim)
            std::abort();
        prior->sampleForLabels(torch::arange(-1, 7, torch::kLong), gen);
        if (dim >= 2)
            prior->density2d(torch::zeros({3, 2}));
        if (latentlab::makePrior(prior->spec(), dim)->spec() != prior->spec())
            std::abort(); // the spec it names itself by makes another prior
    } catch (const latentlab::Error &) {
    }
    return 0;
}
