#pragma once
// Shared by the libFuzzer targets: the readers under test take paths, so each input is written
// to a file of this process's own first.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace fuzz {

// Writes the input to a per-process file ending in `suffix` and returns its path.
inline std::string writeInput(const uint8_t *data, size_t size, const char *suffix) {
    const char *tmp = std::getenv("TMPDIR");
    const std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/latentlab-fuzz-" +
                             std::to_string(getpid()) + suffix;
    FILE *f = std::fopen(path.c_str(), "wb");
    if (!f)
        std::abort();
    if (size && std::fwrite(data, 1, size, f) != size)
        std::abort();
    std::fclose(f);
    return path;
}

} // namespace fuzz
