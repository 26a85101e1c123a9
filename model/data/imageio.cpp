#include "model/data/imageio.h"

#include "model/error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

namespace latentlab {

namespace {

// [N, C, H, W] floats in [0, 1] -> [N, H * scale, W * scale, C] bytes.
torch::Tensor toBytes(const torch::Tensor &images, int scale) {
    torch::Tensor bytes = (images.detach().cpu().to(torch::kFloat).clamp(0, 1) * 255.0)
                              .round()
                              .to(torch::kUInt8)
                              .permute({0, 2, 3, 1});
    if (scale > 1)
        bytes = bytes.repeat_interleave(scale, 1).repeat_interleave(scale, 2);
    return bytes;
}

// bytes: [rows, cols, 1 or 3] (RGB), contiguous.
void writeBytes(const std::string &path, const torch::Tensor &bytes) {
    const int type = bytes.size(2) == 3 ? CV_8UC3 : CV_8UC1;
    cv::Mat mat(int(bytes.size(0)), int(bytes.size(1)), type, bytes.data_ptr<uint8_t>());
    cv::Mat out = mat;
    if (type == CV_8UC3)
        cv::cvtColor(mat, out, cv::COLOR_RGB2BGR);
    bool ok = false;
    try {
        ok = cv::imwrite(path, out);
    } catch (const cv::Exception &) {
        ok = false;
    }
    if (!ok)
        throw Error(path + ": cannot write the image (is the folder there, and does the name "
                           "end in .png?).");
}

} // namespace

torch::Tensor imageBytes(const torch::Tensor &image, int scale) {
    TORCH_CHECK(image.dim() == 3 || (image.dim() == 4 && image.size(0) == 1),
                "imageBytes expects C x H x W");
    return toBytes(image.dim() == 3 ? image.unsqueeze(0) : image, scale)[0].contiguous();
}

torch::Tensor tileImages(const torch::Tensor &images, int columns, int scale) {
    TORCH_CHECK(images.dim() == 4, "tileImages expects N x C x H x W");
    const int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
    columns = int(std::max<int64_t>(1, std::min<int64_t>(columns, n)));
    const int64_t rows = (n + columns - 1) / columns;
    const int64_t cellH = h * scale + 1, cellW = w * scale + 1;
    torch::Tensor canvas =
        torch::full({rows * cellH + 1, columns * cellW + 1, c}, 64, torch::kUInt8);
    const torch::Tensor bytes = toBytes(images, scale);
    for (int64_t i = 0; i < n; ++i) {
        const int64_t r = i / columns, col = i % columns;
        canvas.narrow(0, 1 + r * cellH, h * scale)
            .narrow(1, 1 + col * cellW, w * scale)
            .copy_(bytes[i]);
    }
    return canvas.contiguous();
}

void writeImageGrid(const std::string &path, const torch::Tensor &images, int columns, int scale) {
    writeBytes(path, tileImages(images, columns, scale));
}

void writeImage(const std::string &path, const torch::Tensor &image, int scale) {
    writeBytes(path, imageBytes(image, scale));
}

} // namespace latentlab
