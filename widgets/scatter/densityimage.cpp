#include "widgets/scatter/densityimage.h"

#include <algorithm>
#include <cmath>

namespace latentlab {

uint32_t DensityBins::total() const {
    uint64_t sum = 0;
    for (uint32_t c : counts)
        sum += c;
    return uint32_t(sum);
}

DensityBins binPoints(const PointIndex &index, const std::vector<QRgb> &colourAt,
                      const QRectF &view, QSize pixels) {
    DensityBins bins;
    bins.size = pixels;
    const int w = pixels.width(), h = pixels.height();
    if (w <= 0 || h <= 0)
        return bins;
    bins.counts.assign(size_t(w) * h, 0);
    bins.rgb.assign(size_t(w) * h * 3, 0.0f);
    const QRectF r = view.normalized();
    if (r.width() <= 0 || r.height() <= 0)
        return bins;
    const double sx = w / r.width(), sy = h / r.height();
    const double left = r.left(), top = r.bottom(); // pixel row 0 is the largest y
    index.forEachCell(r, [&](int begin, int end) {
        const double *xs = index.sortedX().data(), *ys = index.sortedY().data();
        for (int k = begin; k < end; ++k) {
            const QRgb colour = colourAt[k];
            if (qAlpha(colour) == 0)
                continue;
            const double px = (xs[k] - left) * sx, py = (top - ys[k]) * sy;
            // A point on the view's right or bottom edge belongs to the last pixel.
            if (px < 0 || py < 0 || px > w || py > h)
                continue;
            const int c = std::min(int(px), w - 1), row = std::min(int(py), h - 1);
            const size_t p = size_t(row) * w + c;
            ++bins.counts[p];
            bins.rgb[3 * p] += qRed(colour);
            bins.rgb[3 * p + 1] += qGreen(colour);
            bins.rgb[3 * p + 2] += qBlue(colour);
        }
    });
    return bins;
}

QImage shadeBins(const DensityBins &bins) {
    QImage image(bins.size, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return image;
    image.fill(Qt::transparent);
    const uint32_t top =
        bins.counts.empty() ? 0 : *std::max_element(bins.counts.begin(), bins.counts.end());
    if (top == 0)
        return image;
    // Opacity from 0.55 for one point to 1 for the fullest pixel, on a log scale: a lone point
    // shows, and the dense cores still differ from their edges.
    constexpr double kFloor = 0.55;
    const double scale = top > 1 ? (1 - kFloor) / std::log(double(top)) : 0.0;
    const int w = bins.size.width();
    for (int row = 0; row < bins.size.height(); ++row) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(row));
        for (int c = 0; c < w; ++c) {
            const size_t p = size_t(row) * w + c;
            const uint32_t n = bins.counts[p];
            if (n == 0)
                continue;
            const double alpha = kFloor + scale * std::log(double(n));
            const double k = alpha / n; // the mean colour, premultiplied by alpha
            line[c] = qRgba(int(bins.rgb[3 * p] * k + 0.5), int(bins.rgb[3 * p + 1] * k + 0.5),
                            int(bins.rgb[3 * p + 2] * k + 0.5), int(alpha * 255 + 0.5));
        }
    }
    return image;
}

} // namespace latentlab
