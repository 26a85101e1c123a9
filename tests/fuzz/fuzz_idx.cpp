// libFuzzer target: the IDX reader (raw and gzip) on any bytes. It must answer Error or an array
// whose size matches its header, never crash, leak or allocate for a header that lies.

#include "fuzz_common.h"

#include "model/data/idx.h"
#include "model/error.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string path = fuzz::writeInput(data, size, ".idx");
    try {
        const latentlab::IdxArray a = latentlab::readIdx(path);
        size_t expected = 1;
        for (uint32_t d : a.dims)
            expected *= d;
        if (a.dims.empty() || a.data.size() != expected)
            std::abort(); // the reader returned what its header does not describe
    } catch (const latentlab::Error &) {
    }
    return 0;
}
