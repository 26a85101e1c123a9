#include "ui/figures/imageconvert.h"

#include "model/data/dataset.h"

#include <torch/torch.h>

#include <cstring>

namespace latentlab {

QImage toQImage(const torch::Tensor &image) {
    torch::Tensor bytes = (pixels(image.detach().to(torch::kCPU)).clamp(0, 1) * 255.0)
                              .round()
                              .to(torch::kUInt8)
                              .permute({1, 2, 0})
                              .contiguous();
    const int h = int(bytes.size(0)), w = int(bytes.size(1)), c = int(bytes.size(2));
    const QImage::Format format = c == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8;
    QImage view(bytes.data_ptr<uint8_t>(), w, h, w * c, format);
    return view.copy(); // own the pixels; the tensor goes away
}

QVector<QImage> toQImages(const torch::Tensor &images) {
    QVector<QImage> out;
    for (int64_t i = 0; i < images.size(0); ++i)
        out.append(toQImage(images[i]));
    return out;
}

torch::Tensor fromQImage(const QImage &image, int channels, int height, int width) {
    const QImage scaled =
        image.scaled(width, height, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
            .convertToFormat(channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
    torch::Tensor out = torch::empty({height, width, channels}, torch::kUInt8);
    for (int y = 0; y < height; ++y)
        std::memcpy(out[y].data_ptr<uint8_t>(), scaled.constScanLine(y), size_t(width * channels));
    return out.permute({2, 0, 1}).to(torch::kFloat).div_(255.0).contiguous();
}

} // namespace latentlab
