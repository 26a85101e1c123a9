#pragma once
// Tensors to QImage: the one place images leave torch for the widgets.

#include <QImage>
#include <QVector>

#include <torch/types.h>

namespace latentlab {

// image: [C, H, W] (C = 1 or 3) in [0, 1] on any device -> a grey or RGB QImage (deep copy).
QImage toQImage(const torch::Tensor &image);
// images: [N, C, H, W] -> N images.
QVector<QImage> toQImages(const torch::Tensor &images);
// Any QImage -> [channels, height, width] in [0, 1] (grey or RGB, resized smoothly).
torch::Tensor fromQImage(const QImage &image, int channels, int height, int width);

} // namespace latentlab
