// latentlab-cli bench: times training steps and one-image decodes on synthetic 28x28 data, so
// the figures do not depend on which data sets are installed.

#include "commands.h"

#include "model/train/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

namespace latentlab::cli {

namespace {

double percentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5));
    return v[i];
}

template <typename F> std::vector<double> timeEach(int count, F &&run) {
    std::vector<double> ms;
    ms.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        run();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    return ms;
}

} // namespace

int runBench(int argc, char **argv, const Context &) {
    Args args("bench", "--model KIND [--hidden N] --batch N --steps N",
              "Times training steps (median over --steps) and one-image decodes (median and\n"
              "99th percentile over --decodes) on random 1x28x28 images.");
    args.option("model", "KIND", "any kind that train takes (see train --help)", "aae");
    args.option("arch", "mlp|conv", "networks", "mlp");
    args.option("hidden", "N", "width of the hidden layers everywhere they apply", "1000");
    args.option("latent", "N", "code size", "2");
    args.option("batch", "N", "minibatch size", "100");
    args.option("steps", "N", "timed training steps", "50");
    args.option("decodes", "N", "timed one-image decodes", "500");
    args.option("device", "auto|cpu|cuda", "where to run", "auto");
    addThreadsOption(args);
    if (!args.parse(argc, argv))
        return 0;
    applyThreadsOption(args);

    ModelConfig c;
    c.kind = modelKindFromString(args.text("model"));
    c.arch = architectureFromString(args.text("arch"));
    c.hidden = c.discHidden = int(args.integer("hidden", 1, 65536));
    c.latent = int(args.integer("latent", 1, 4096));
    c.batch = int(args.integer("batch", 1, 1 << 16));
    c.device = args.text("device");
    c.data = "random";
    const int steps = int(args.integer("steps", 1, 1000000));
    const int decodes = int(args.integer("decodes", 1, 10000000));

    Trainer trainer(c);
    Dataset data;
    data.name = "random";
    const int64_t n = std::max<int64_t>(1000, 4 * c.batch);
    data.images = torch::rand({n, 1, 28, 28});
    data.labels = torch::randint(10, {n}, torch::kLong);
    data.numClasses = 10;
    trainer.setData(data);

    for (int i = 0; i < 3; ++i) // warm-up: allocator, OpenBLAS threads, CUDA context
        trainer.step();
    const std::vector<double> stepMs = timeEach(steps, [&] { trainer.step(); });

    torch::NoGradGuard noGrad;
    Autoencoder model = trainer.model();
    model->eval();
    torch::Tensor code = torch::randn({1, c.codeSize()}).to(trainer.device());
    torch::Tensor label = torch::zeros({1}, torch::kLong).to(trainer.device());
    for (int i = 0; i < 10; ++i)
        model->decode(code, label).cpu();
    const std::vector<double> decodeMs =
        timeEach(decodes, [&] { model->decode(code, label).cpu(); });

    std::printf("model %s, %s, hidden %d, code size %d, device %s, %d LibTorch threads\n",
                toString(c.kind).c_str(), toString(c.arch).c_str(), c.hidden, c.codeSize(),
                trainer.device().str().c_str(), torch::get_num_threads());
    std::printf("train step (batch %d): median %.2f ms, p90 %.2f ms over %d steps\n", c.batch,
                percentile(stepMs, 0.5), percentile(stepMs, 0.9), steps);
    std::printf("decode one image:      median %.3f ms, p99 %.3f ms over %d decodes\n",
                percentile(decodeMs, 0.5), percentile(decodeMs, 0.99), decodes);
    return 0;
}

} // namespace latentlab::cli
