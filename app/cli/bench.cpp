// latentlab-cli bench: times training steps and one-image decodes on synthetic 28x28 data, so
// the figures do not depend on which data sets are installed.

#include "commands.h"

#include "model/train/trainer.h"

#include <ATen/record_function.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
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

// Floating-point operations of the matrix multiplies LibTorch runs while counting, forward and
// backward (autograd's own calls are recorded like any other): 2 M N K for each mm, addmm, bmm
// and baddbmm, from the shapes of their inputs. Elementwise work is not counted, so this is
// a floor of what a step computes; for MLPs nearly all of it.
std::atomic<int64_t> g_matmulFlops{0};

std::unique_ptr<at::ObserverContext> countMatmul(const at::RecordFunction &fn) {
    const char *name = fn.name();
    auto is = [name](const char *op) { return std::strcmp(name, op) == 0; };
    const bool batched = is("aten::bmm") || is("aten::baddbmm");
    const bool withBias = is("aten::addmm") || is("aten::baddbmm");
    if (!batched && !withBias && !is("aten::mm"))
        return nullptr;
    const auto inputs = fn.inputs();
    // mm(a, b) and bmm(a, b); addmm(bias, a, b) and baddbmm(bias, a, b).
    const size_t first = withBias ? 1 : 0;
    if (inputs.size() < first + 2 || !inputs[first].isTensor() || !inputs[first + 1].isTensor())
        return nullptr;
    const auto a = inputs[first].toTensor().sizes(), b = inputs[first + 1].toTensor().sizes();
    if (a.size() < 2 || b.size() < 2)
        return nullptr;
    const int64_t batch = batched ? a[0] : 1;
    g_matmulFlops += 2 * batch * a[a.size() - 2] * a[a.size() - 1] * b[b.size() - 1];
    return nullptr;
}

// The matrix-multiply FLOPs of one call of `run`.
template <typename F> int64_t matmulFlopsOf(F &&run) {
    g_matmulFlops = 0;
    const at::CallbackHandle handle =
        at::addGlobalCallback(at::RecordFunctionCallback(countMatmul).needsInputs(true));
    run();
    at::removeCallback(handle);
    return g_matmulFlops.load();
}

// This machine's rate for one float32 1000 x 1000 by 1000 x 1000 product on `device`, GFLOP/s.
double matmulRate(const torch::Device &device) {
    const torch::Tensor a = torch::randn({1000, 1000}, device),
                        b = torch::randn({1000, 1000}, device);
    for (int i = 0; i < 3; ++i)
        a.mm(b).sum().item<float>();
    const int n = 20;
    const auto t0 = std::chrono::steady_clock::now();
    torch::Tensor c;
    for (int i = 0; i < n; ++i)
        c = a.mm(b);
    c.sum().item<float>(); // waits for the device
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return 2e-9 * 1000.0 * 1000.0 * 1000.0 * n / s;
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
    const int64_t stepFlops = matmulFlopsOf([&] { trainer.step(); });
    const double rate = matmulRate(trainer.device());

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
    const double achieved = double(stepFlops) / (percentile(stepMs, 0.5) * 1e6);
    std::printf("step matrix multiplies: %.1f MFLOP per step, %.1f GFLOP/s at the median step, "
                "%.0f%% of this machine's rate\n",
                double(stepFlops) / 1e6, achieved, 100 * achieved / rate);
    std::printf("matrix-multiply rate:   %.1f GFLOP/s (1000 x 1000 float32, %d threads)\n", rate,
                torch::get_num_threads());
    return 0;
}

} // namespace latentlab::cli
