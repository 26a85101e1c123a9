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
#include <optional>
#include <string>

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

// Floating-point operations of the matrix multiplies and convolutions LibTorch runs while
// counting, forward and backward (autograd's own calls are recorded like any other), from the
// shapes of their inputs and outputs: 2 M N K for each mm, addmm, bmm and baddbmm; for a
// convolution 2 N Cout Hout Wout (Cin / groups) kh kw, and in its backward that again for each
// gradient it computes (input, weights). Elementwise work is not counted, so this is a floor of
// what a step computes; for MLPs and these convolutional networks nearly all of it.
std::atomic<int64_t> g_matmulFlops{0};

int64_t product(c10::IntArrayRef sizes, size_t from = 0) {
    int64_t p = 1;
    for (size_t i = from; i < sizes.size(); ++i)
        p *= sizes[i];
    return p;
}

std::unique_ptr<at::ObserverContext> countMatmul(const at::RecordFunction &fn) {
    const char *name = fn.name();
    auto is = [name](const char *op) { return std::strcmp(name, op) == 0; };
    const auto inputs = fn.inputs();
    auto tensor = [&](size_t i) -> std::optional<at::Tensor> {
        if (i < inputs.size() && inputs[i].isTensor())
            return inputs[i].toTensor();
        return std::nullopt;
    };
    if (is("aten::convolution")) { // input, weight, bias, stride, padding, dilation, transposed
        const auto input = tensor(0), weight = tensor(1);
        if (!input || !weight || weight->dim() < 3 || inputs.size() < 7 || !inputs[3].isIntList() ||
            !inputs[4].isIntList() || !inputs[5].isIntList() || !inputs[6].isBool() ||
            inputs[6].toBool())
            return nullptr; // transposed convolutions are not counted
        const auto stride = inputs[3].toIntList(), padding = inputs[4].toIntList(),
                   dilation = inputs[5].toIntList();
        const size_t spatial = size_t(weight->dim()) - 2;
        if (stride.size() != spatial || padding.size() != spatial || dilation.size() != spatial)
            return nullptr;
        // Output elements: N Cout and each spatial size (in + 2 pad - dil (k - 1) - 1) / s + 1.
        int64_t outputs = input->size(0) * weight->size(0);
        for (size_t d = 0; d < spatial; ++d)
            outputs *= (input->size(int64_t(d) + 2) + 2 * padding.get(d) -
                        dilation.get(d) * (weight->size(int64_t(d) + 2) - 1) - 1) /
                           stride.get(d) +
                       1;
        // weight [Cout, Cin / groups, kh, kw]: each output element sums Cin / groups * kh * kw.
        g_matmulFlops += 2 * outputs * product(weight->sizes(), 1);
        return nullptr;
    }
    if (is("aten::convolution_backward")) { // grad_output, input, weight, ..., output_mask
        const auto gradOutput = tensor(0), weight = tensor(2);
        if (!gradOutput || !weight || weight->dim() < 3 || inputs.size() < 11 ||
            !inputs[7].isBool() || inputs[7].toBool() || !inputs[10].isBoolList())
            return nullptr; // transposed convolutions are not counted
        const int64_t once = 2 * gradOutput->numel() * product(weight->sizes(), 1);
        const auto mask = inputs[10].toBoolList();
        g_matmulFlops +=
            once * ((mask.size() > 0 && mask.get(0)) + (mask.size() > 1 && mask.get(1)));
        return nullptr;
    }
    const bool batched = is("aten::bmm") || is("aten::baddbmm");
    const bool withBias = is("aten::addmm") || is("aten::baddbmm");
    if (!batched && !withBias && !is("aten::mm"))
        return nullptr;
    // mm(a, b) and bmm(a, b); addmm(bias, a, b) and baddbmm(bias, a, b).
    const size_t first = withBias ? 1 : 0;
    const auto ta = tensor(first), tb = tensor(first + 1);
    if (!ta || !tb)
        return nullptr;
    const auto a = ta->sizes(), b = tb->sizes();
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

Args benchArgs() {
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
    args.flag("cuda-graphs", "on a GPU, capture the whole step as a CUDA graph and replay it");
    addThreadsOption(args);
    return args;
}

ModelConfig benchConfig(const Args &args) {
    ModelConfig c = ModelConfig::forKind(modelKindFromString(args.text("model")));
    c.arch = architectureFromString(args.text("arch"));
    c.hidden = c.discHidden = int(args.integer("hidden", 1, 65536));
    c.latent = int(args.integer("latent", 1, 4096));
    c.batch = int(args.integer("batch", 1, 1 << 16));
    c.device = args.text("device");
    c.data = "random";
    return c;
}

// Random 1x28x28 images with labels, at least 4 batches of them.
Dataset randomImages(int64_t batch) {
    Dataset data;
    data.name = "random";
    const int64_t n = std::max<int64_t>(1000, 4 * batch);
    data.images = torch::rand({n, 1, 28, 28});
    data.labels = torch::randint(10, {n}, torch::kLong);
    data.numClasses = 10;
    return data;
}

// Throughput: losses read every `interval` steps, so the host draws ahead while the device
// works; timed from a read to a read, both of which wait for the device. Returns the steps
// run and the seconds they took.
std::pair<int, double> timeRun(Trainer &trainer, int steps, int interval) {
    trainer.setLossInterval(interval);
    while (trainer.step().values.empty()) {
    }
    const int runSteps = std::max(interval, (steps + interval - 1) / interval * interval);
    const auto runStart = std::chrono::steady_clock::now();
    for (int i = 0; i < runSteps; ++i)
        trainer.step();
    const double runSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - runStart).count();
    trainer.setLossInterval(1);
    return {runSteps, runSeconds};
}

// Milliseconds of each of `decodes` one-image decodes, after 10 to warm up.
std::vector<double> timeDecodes(Trainer &trainer, int decodes) {
    torch::NoGradGuard noGrad;
    Autoencoder model = trainer.model();
    model->eval();
    torch::Tensor code = torch::randn({1, trainer.config().codeSize()}).to(trainer.device());
    torch::Tensor label = torch::zeros({1}, torch::kLong).to(trainer.device());
    for (int i = 0; i < 10; ++i)
        model->decode(code, label).cpu();
    return timeEach(decodes, [&] { model->decode(code, label).cpu(); });
}

} // namespace

int runBench(int argc, char **argv, const Context &) {
    Args args = benchArgs();
    if (!args.parse(argc, argv))
        return 0;
    applyThreadsOption(args);

    const ModelConfig c = benchConfig(args);
    const int steps = int(args.integer("steps", 1, 1000000));
    const int decodes = int(args.integer("decodes", 1, 10000000));

    Trainer trainer(c);
    trainer.setData(randomImages(c.batch));

    trainer.setCudaGraphs(args.has("cuda-graphs"));
    // The first step runs eagerly even with graphs (they warm up first), so LibTorch's calls
    // can be counted; then warm-ups for the allocator, OpenBLAS's threads, the CUDA context and
    // a graph's capture.
    const int64_t stepFlops = matmulFlopsOf([&] { trainer.step(); });
    for (int i = 0; i < 3; ++i)
        trainer.step();
    // Latency: each step reads its losses back, so it waits for the device.
    const std::vector<double> stepMs = timeEach(steps, [&] { trainer.step(); });
    constexpr int interval = 10;
    const auto [runSteps, runSeconds] = timeRun(trainer, steps, interval);
    const double rate = matmulRate(trainer.device());

    const std::vector<double> decodeMs = timeDecodes(trainer, decodes);

    const std::string widths = c.arch == Architecture::Conv
                                   ? "depth " + std::to_string(c.convDepth) + ", " +
                                         std::to_string(c.convScales) + " scales"
                                   : "hidden " + std::to_string(c.hidden);
    std::printf("model %s, %s, %s, code size %d, device %s, %d LibTorch threads\n",
                toString(c.kind).c_str(), toString(c.arch).c_str(), widths.c_str(), c.codeSize(),
                trainer.device().str().c_str(), torch::get_num_threads());
    std::printf("train step (batch %d): median %.2f ms, p90 %.2f ms over %d steps\n", c.batch,
                percentile(stepMs, 0.5), percentile(stepMs, 0.9), steps);
    std::printf("train steps, losses read every %d: %.1f steps/s (%.3f ms a step) over %d steps\n",
                interval, runSteps / runSeconds, 1000 * runSeconds / runSteps, runSteps);
    if (trainer.cudaGraphs())
        std::printf("CUDA graphs: %s\n",
                    trainer.graphUsable()
                        ? "the step was captured and replayed"
                        : ("the steps ran eagerly: " + trainer.graphProblem()).c_str());
    std::printf("decode one image:      median %.3f ms, p99 %.3f ms over %d decodes\n",
                percentile(decodeMs, 0.5), percentile(decodeMs, 0.99), decodes);
    const double achieved = double(stepFlops) / (percentile(stepMs, 0.5) * 1e6);
    std::printf("step matrix multiplies and convolutions: %.1f MFLOP per step, %.1f GFLOP/s at the "
                "median step, "
                "%.0f%% of this machine's rate\n",
                double(stepFlops) / 1e6, achieved, 100 * achieved / rate);
    std::printf("matrix-multiply rate:   %.1f GFLOP/s (1000 x 1000 float32, %d threads)\n", rate,
                torch::get_num_threads());
    return 0;
}

} // namespace latentlab::cli
