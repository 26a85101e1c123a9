#pragma once
// The scatter as a picture, for when there are more points in view than can be drawn one by
// one: every point binned into the screen pixel it falls on, each pixel coloured by the mean
// of its points' colours (so a pixel shared by two classes mixes them by count) and shaded by
// how many there are, on a log scale with a floor, so a lone point stays visible.

#include "widgets/scatter/pointindex.h"

#include <QImage>
#include <QRgb>
#include <QSize>

#include <cstdint>
#include <vector>

namespace latentlab {

struct DensityBins {
    QSize size;
    std::vector<uint32_t> counts; // row-major, row 0 at the top of the view
    std::vector<float> rgb;       // the sums of the points' colours, three per pixel
    uint32_t total() const;
};

// Bins the points of `index` that lie in `view` (plot coordinates, y up) onto `pixels`.
// colourAt[k] is the colour of the point at position k of the index's order (item
// index.order()[k]); a point whose colour has zero alpha is left out.
DensityBins binPoints(const PointIndex &index, const std::vector<QRgb> &colourAt,
                      const QRectF &view, QSize pixels);

// The bins as a premultiplied ARGB picture: transparent where no point fell.
QImage shadeBins(const DensityBins &bins);

} // namespace latentlab
