// libFuzzer target: the JSON configuration a checkpoint carries. Whatever it reads must be
// valid or refused with Error, and a valid one must come back unchanged through its own text.

#include "model/config.h"
#include "model/error.h"

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string text(reinterpret_cast<const char *>(data), size);
    try {
        const latentlab::ModelConfig c = latentlab::ModelConfig::fromJsonText(text);
        c.validate();
        (void)c.codeSize();
        (void)c.minimumWeightBytes();
        const std::string again = c.toJsonText();
        if (latentlab::ModelConfig::fromJsonText(again).toJsonText() != again)
            std::abort(); // not a round trip
    } catch (const latentlab::Error &) {
    }
    return 0;
}
