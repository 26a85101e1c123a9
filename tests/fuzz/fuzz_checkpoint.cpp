// libFuzzer target: the checkpoint loader. Where the input has the checkpoint's layout its
// checksum is recomputed first, so mutations reach the configuration and the weights behind it
// (tst_checkpoint covers the checksum itself). A checkpoint that loads must decode.
// Inputs of format version 1 are skipped: their weights are a LibTorch archive that LibTorch's
// own reader parses, and that reader crashes on crafted archives (docs/RELIABILITY.md).

#include "fuzz_common.h"

#include "model/error.h"
#include "model/io/checkpoint.h"

#include <torch/torch.h>
#include <zlib.h>

#include <cstdlib>
#include <string>

namespace {

uint64_t readLE(const std::string &s, size_t pos, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= uint64_t(uint8_t(s[pos + size_t(i)])) << (8 * i);
    return v;
}

// signature (21) + version (4) + config length (8) + config + payload length (8) + payload + CRC
void fixChecksum(std::string &s) {
    const size_t configPos = 33;
    if (s.size() < configPos + 12)
        return;
    const uint64_t configSize = readLE(s, 25, 8);
    if (configSize > s.size() - configPos - 12)
        return;
    const size_t payloadHeader = configPos + size_t(configSize);
    const uint64_t payloadSize = readLE(s, payloadHeader, 8);
    if (payloadSize != s.size() - payloadHeader - 12)
        return;
    const size_t end = s.size() - 4;
    const uLong crc =
        crc32(0L, reinterpret_cast<const Bytef *>(s.data() + configPos), uInt(end - configPos));
    for (int i = 0; i < 4; ++i)
        s[end + size_t(i)] = char((crc >> (8 * i)) & 0xFF);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    torch::set_num_threads(1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string bytes(reinterpret_cast<const char *>(data), size);
    if (bytes.size() >= 25 && bytes.compare(21, 4, std::string("\1\0\0\0", 4)) == 0)
        return 0;
    fixChecksum(bytes);
    const std::string path =
        fuzz::writeInput(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), ".pt");
    try {
        auto trainer = latentlab::loadCheckpoint(path, "cpu");
        const torch::Tensor image =
            trainer->decode(torch::zeros({1, trainer->config().codeSize()}));
        if (image.size(0) != 1)
            std::abort();
    } catch (const latentlab::Error &) {
    }
    return 0;
}
