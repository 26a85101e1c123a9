#include "model/data/lines.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace latentlab {

namespace {

constexpr int kSubsamples = 8; // per pixel side: 64 coverage samples per pixel
constexpr double kTwoPi = 6.283185307179586;

double wrapAngle(double theta) {
    double t = std::fmod(theta, kTwoPi);
    return t < 0 ? t + kTwoPi : t;
}

// Renders into out[32*32]: coverage of the stroke (a capsule around the segment).
void renderInto(double theta, float *out) {
    using namespace lines;
    const double cx = kSize / 2.0, cy = kSize / 2.0;
    const double dx = kLength * std::cos(theta), dy = -kLength * std::sin(theta); // y grows down
    const double half = kStroke / 2.0;
    const double len2 = dx * dx + dy * dy;

    std::fill(out, out + kSize * kSize, 0.0f);
    const int x0 = std::max(0, int(std::floor(std::min(cx, cx + dx) - half)));
    const int x1 = std::min(kSize - 1, int(std::floor(std::max(cx, cx + dx) + half)));
    const int y0 = std::max(0, int(std::floor(std::min(cy, cy + dy) - half)));
    const int y1 = std::min(kSize - 1, int(std::floor(std::max(cy, cy + dy) + half)));
    for (int py = y0; py <= y1; ++py) {
        for (int px = x0; px <= x1; ++px) {
            int inside = 0;
            for (int sy = 0; sy < kSubsamples; ++sy) {
                for (int sx = 0; sx < kSubsamples; ++sx) {
                    const double x = px + (sx + 0.5) / kSubsamples - cx;
                    const double y = py + (sy + 0.5) / kSubsamples - cy;
                    const double t = std::clamp((x * dx + y * dy) / len2, 0.0, 1.0);
                    const double ex = x - t * dx, ey = y - t * dy;
                    inside += (ex * ex + ey * ey <= half * half);
                }
            }
            out[py * kSize + px] = float(inside) / (kSubsamples * kSubsamples);
        }
    }
}

} // namespace

torch::Tensor renderLine(double theta) {
    torch::Tensor img = torch::empty({1, lines::kSize, lines::kSize});
    renderInto(theta, img.data_ptr<float>());
    return img;
}

torch::Tensor renderLines(const torch::Tensor &thetas) {
    torch::Tensor t = thetas.to(torch::kDouble).contiguous();
    const int64_t n = t.size(0);
    torch::Tensor imgs = torch::empty({n, 1, lines::kSize, lines::kSize});
    const double *th = t.data_ptr<double>();
    float *dst = imgs.data_ptr<float>();
    at::parallel_for(0, n, 64, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            renderInto(th[i], dst + i * lines::kSize * lines::kSize);
    });
    return imgs;
}

int lineLabel(double theta) {
    const int label = int(std::floor(lines::kClasses * wrapAngle(theta) / kTwoPi));
    return std::min(label, lines::kClasses - 1);
}

Dataset makeLinesDataset(int64_t count, uint64_t seed, torch::Tensor *anglesOut) {
    constexpr int64_t kPixels = lines::kSize * lines::kSize;
    checkFitsInMemory(uint64_t(count) * kPixels, "lines:" + std::to_string(count));
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    torch::Tensor thetas = torch::rand({count}, gen, torch::kDouble) * kTwoPi;

    Dataset ds;
    ds.name = "lines";
    // Rendered as floats one image at a time and kept as bytes.
    ds.images = torch::empty({count, 1, lines::kSize, lines::kSize}, torch::kUInt8);
    const double *th = thetas.data_ptr<double>();
    uint8_t *dst = ds.images.data_ptr<uint8_t>();
    at::parallel_for(0, count, 64, [&](int64_t begin, int64_t end) {
        float image[kPixels];
        for (int64_t i = begin; i < end; ++i) {
            renderInto(th[i], image);
            for (int64_t p = 0; p < kPixels; ++p)
                dst[i * kPixels + p] = uint8_t(std::lround(std::clamp(image[p], 0.0f, 1.0f) * 255));
        }
    });
    ds.labels = torch::empty({count}, torch::kLong);
    auto lab = ds.labels.accessor<int64_t, 1>();
    for (int64_t i = 0; i < count; ++i)
        lab[i] = lineLabel(th[i]);
    ds.numClasses = lines::kClasses;
    for (int k = 0; k < lines::kClasses; ++k)
        ds.classNames.push_back(std::to_string(36 * k) + "-" + std::to_string(36 * (k + 1)) +
                                " deg");
    if (anglesOut)
        *anglesOut = thetas;
    return ds;
}

} // namespace latentlab
