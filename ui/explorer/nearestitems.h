#pragma once
// The items whose codes are nearest a code, in the full code space (never the 2-D view), with
// their images: the Inspector's neighbours of an item or of the probe, and the nearest
// training item of an interpolation frame, so a person can tell a memorised image from a new
// one. Exact search (model/analysis/layout.h); safe on any thread, with tensors that nobody
// writes.

#include <QImage>
#include <QStringList>
#include <QVector>

#include <torch/types.h>

namespace latentlab {

struct NearestItems {
    QVector<int> items;        // nearest first
    QVector<double> distances; // Euclidean, in the code space
    QVector<QImage> images;    // the items' images

    // "#412" over "0.31", under each image.
    QStringList captions() const;
};

// The `count` items of `codes` [N, D] nearest `code` [D], leaving out item `self` (the item
// asked about, at distance 0); their images from `images` [>= N, C, H, W].
NearestItems nearestItems(const torch::Tensor &codes, const torch::Tensor &images,
                          const torch::Tensor &code, int count, int self = -1);

} // namespace latentlab
