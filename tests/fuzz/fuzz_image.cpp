// libFuzzer target: one image file through OpenCV, as the image-folder loader reads each file.
// The first byte picks grey or colour; the rest is the file.

#include "fuzz_common.h"

#include "model/data/imagefolder.h"

#include <torch/torch.h>

#include <cstdlib>

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    torch::set_num_threads(1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    const bool colour = data[0] & 1;
    const std::string path = fuzz::writeInput(data + 1, size - 1, ".png");
    const torch::Tensor image = latentlab::readImageFile(path, 8, colour);
    if (image.defined() && (image.size(0) != (colour ? 3 : 1) || image.size(1) != 8 ||
                            image.scalar_type() != torch::kUInt8))
        std::abort();
    return 0;
}
