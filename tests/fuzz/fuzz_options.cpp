// libFuzzer target: latentlab-cli's option parsing and the --data spec. The input is split at
// NUL bytes into arguments for `train`'s options; every getter is then asked for its value.

#include "args.h"

#include "model/data/dataset.h"
#include "model/error.h"

#include <iostream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    std::cout.setstate(std::ios::failbit); // --help prints; keep the fuzzer's output clean
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::vector<std::string> words(1);
    for (size_t i = 0; i < size && words.size() < 64; ++i) {
        if (data[i] == 0)
            words.emplace_back();
        else
            words.back() += char(data[i]);
    }
    std::vector<char *> argv;
    for (auto &w : words)
        argv.push_back(w.data());

    latentlab::cli::Args args("train", "--data SPEC", "fuzzing");
    args.option("data", "SPEC", "data", "lines");
    args.option("steps", "N", "steps", "2000");
    args.option("lr", "X", "rate", "0.001");
    args.option("labelled-fraction", "F", "share", "1");
    args.flag("labels", "labels");
    try {
        if (!args.parse(int(argv.size()), argv.data()))
            return 0;
        args.integer("steps", 0, 100000000);
        args.number("lr", 1e-9, 10);
        args.number("labelled-fraction", 0, 1);
        args.has("labels");
        latentlab::parseDataSpec(args.text("data"));
    } catch (const latentlab::cli::UsageError &) {
    } catch (const latentlab::Error &) {
    }
    return 0;
}
