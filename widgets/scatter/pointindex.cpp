#include "widgets/scatter/pointindex.h"

#include <algorithm>
#include <cmath>

namespace latentlab {

namespace {

// The q-quantile of every `stride`-th finite value: the grid spans where most points are, so
// one far outlier does not squeeze the rest into a single cell (outliers join the edge cells).
double sampledQuantile(const QVector<double> &v, const QVector<double> &other, double q) {
    // (const vectors: reading them does not copy them)
    std::vector<double> sample;
    const int stride = std::max(1, int(v.size() / 4096));
    for (int i = 0; i < v.size(); i += stride)
        if (std::isfinite(v[i]) && std::isfinite(other[i]))
            sample.push_back(v[i]);
    if (sample.empty())
        return 0;
    auto at = sample.begin() + std::ptrdiff_t(q * double(sample.size() - 1));
    std::nth_element(sample.begin(), at, sample.end());
    return *at;
}

// Item indices found cell by cell, put in ascending order: by a sweep over a mask when they
// are many (linear, where a sort of 700,000 would take tens of milliseconds).
void ascending(QVector<int> &found, int items) {
    if (found.size() < items / 64) {
        std::sort(found.begin(), found.end());
        return;
    }
    std::vector<uint8_t> mask(size_t(items), 0);
    for (int i : found)
        mask[i] = 1;
    int k = 0;
    for (int i = 0; i < items; ++i)
        if (mask[i])
            found[k++] = i;
}

} // namespace

PointIndex::PointIndex(QVector<double> x, QVector<double> y)
    : x_(std::move(x))
    , y_(std::move(y)) {
    const int n = int(std::min(x_.size(), y_.size()));
    if (x_.size() != n)
        x_.resize(n);
    if (y_.size() != n)
        y_.resize(n);
    // Read through const pointers: the vectors are shared with the caller's, and a non-const
    // access would copy them.
    const double *xs = x_.constData(), *ys = y_.constData();
    double left = INFINITY, right = -INFINITY, top = INFINITY, bottom = -INFINITY;
    int finite = 0;
    for (int i = 0; i < n; ++i)
        if (std::isfinite(xs[i]) && std::isfinite(ys[i])) {
            left = std::min(left, xs[i]);
            right = std::max(right, xs[i]);
            top = std::min(top, ys[i]);
            bottom = std::max(bottom, ys[i]);
            ++finite;
        }
    if (finite == 0)
        return;
    bounds_ = QRectF(QPointF(left, top), QPointF(right, bottom));
    if (bounds_.isNull()) // one point, or all on one spot: a rectangle, however small
        bounds_ = QRectF(left - 0.5, top - 0.5, 1, 1);

    // About four points a cell where they are spread evenly.
    const int side = std::clamp(int(std::sqrt(finite / 4.0)), 1, 2048);
    columns_ = rows_ = side;
    x0_ = sampledQuantile(x_, y_, 0.001);
    y0_ = sampledQuantile(y_, x_, 0.001);
    cellWidth_ = (sampledQuantile(x_, y_, 0.999) - x0_) / side;
    cellHeight_ = (sampledQuantile(y_, x_, 0.999) - y0_) / side;
    if (!(cellWidth_ > 0))
        cellWidth_ = bounds_.width() > 0 ? bounds_.width() / side : 1.0;
    if (!(cellHeight_ > 0))
        cellHeight_ = bounds_.height() > 0 ? bounds_.height() / side : 1.0;
    perCellWidth_ = 1.0 / cellWidth_;
    perCellHeight_ = 1.0 / cellHeight_;

    sortByCell(finite);
}

void PointIndex::sortByCell(int finite) {
    // A counting sort of the finite points by cell, stable (within a cell they stay in index
    // order), in two passes so that memory is written in a few hundred streams at a time, not
    // scattered over the whole grid: first by row, then each row's slice by column.
    const int n = int(x_.size());
    const double *xs = x_.constData(), *ys = y_.constData();
    std::vector<int> rowStart(size_t(rows_) + 1, 0);
    for (int i = 0; i < n; ++i)
        if (std::isfinite(xs[i]) && std::isfinite(ys[i]))
            ++rowStart[row(ys[i]) + 1];
    for (int r = 0; r < rows_; ++r)
        rowStart[r + 1] += rowStart[r];
    // Each point once, packed, so the scatter over rows writes one stream a row, not four.
    struct Placed {
        int item, column;
        double x, y;
    };
    std::vector<Placed> byRow(finite);
    std::vector<int> next(rowStart.begin(), rowStart.end() - 1);
    for (int i = 0; i < n; ++i)
        if (std::isfinite(xs[i]) && std::isfinite(ys[i]))
            byRow[next[row(ys[i])]++] = {i, column(xs[i]), xs[i], ys[i]};
    start_.assign(size_t(columns_) * rows_ + 1, 0);
    order_.resize(finite);
    sortedX_.resize(finite);
    sortedY_.resize(finite);
    std::vector<int> column(size_t(columns_) + 1);
    for (int r = 0; r < rows_; ++r) {
        std::fill(column.begin(), column.end(), 0);
        for (int k = rowStart[r]; k < rowStart[r + 1]; ++k)
            ++column[byRow[k].column + 1];
        column[0] = rowStart[r];
        for (int c = 0; c < columns_; ++c) {
            column[c + 1] += column[c];
            start_[size_t(r) * columns_ + c] = column[c];
        }
        for (int k = rowStart[r]; k < rowStart[r + 1]; ++k) {
            const Placed &p = byRow[k];
            const int to = column[p.column]++;
            order_[to] = p.item;
            sortedX_[to] = p.x;
            sortedY_[to] = p.y;
        }
    }
    start_.back() = finite;
}

std::pair<int, int> PointIndex::columns(double left, double right) const {
    return {column(std::min(left, right)), column(std::max(left, right))};
}

std::pair<int, int> PointIndex::rows(double top, double bottom) const {
    return {row(std::min(top, bottom)), row(std::max(top, bottom))};
}

int PointIndex::nearest(QPointF at, double scaleX, double scaleY, double radius,
                        const std::vector<uint8_t> *skip) const {
    scaleX = std::abs(scaleX);
    scaleY = std::abs(scaleY);
    if (!(scaleX > 0) || !(scaleY > 0) || !std::isfinite(at.x()) || !std::isfinite(at.y()))
        return -1;
    const double rx = radius / scaleX, ry = radius / scaleY;
    int best = -1;
    double bestD = radius * radius;
    forEachCell(QRectF(QPointF(at.x() - rx, at.y() - ry), QPointF(at.x() + rx, at.y() + ry)),
                [&](int begin, int end) {
                    for (int k = begin; k < end; ++k) {
                        const double dx = (sortedX_[k] - at.x()) * scaleX;
                        const double dy = (sortedY_[k] - at.y()) * scaleY;
                        const double d = dx * dx + dy * dy;
                        if (d > bestD)
                            continue;
                        const int i = order_[k];
                        if (skip && (*skip)[i])
                            continue;
                        if (d < bestD || (d == bestD && i > best)) {
                            bestD = d;
                            best = i;
                        }
                    }
                });
    return best;
}

int PointIndex::countIn(const QRectF &region) const {
    const QRectF r = region.normalized();
    const double left = r.left(), right = r.right(), top = r.top(), bottom = r.bottom();
    const double *xs = sortedX_.data(), *ys = sortedY_.data();
    int count = 0;
    forEachCell(r, [&](int begin, int end) {
        int inside = 0;
        for (int k = begin; k < end; ++k)
            inside += (xs[k] >= left) & (xs[k] <= right) & (ys[k] >= top) & (ys[k] <= bottom);
        count += inside;
    });
    return count;
}

QVector<int> PointIndex::in(const QRectF &region) const {
    const QRectF r = region.normalized();
    const double left = r.left(), right = r.right(), top = r.top(), bottom = r.bottom();
    const double *xs = sortedX_.data(), *ys = sortedY_.data();
    QVector<int> inside;
    forEachCell(r, [&](int begin, int end) {
        for (int k = begin; k < end; ++k)
            if ((xs[k] >= left) & (xs[k] <= right) & (ys[k] >= top) & (ys[k] <= bottom))
                inside << order_[k];
    });
    ascending(inside, size());
    return inside;
}

QVector<int> PointIndex::in(const QPolygonF &polygon) const {
    QVector<int> inside;
    if (polygon.size() < 3 || start_.empty())
        return inside;
    // Each grid row keeps the edges that span its band of y, so a point is tested against the
    // few edges its horizontal ray could cross, not against the whole lasso.
    const auto [r0, r1] = rows(polygon.boundingRect().top(), polygon.boundingRect().bottom());
    std::vector<std::vector<std::pair<QPointF, QPointF>>> bands(r1 - r0 + 1);
    for (int e = 0; e < polygon.size(); ++e) {
        const QPointF a = polygon[e], b = polygon[(e + 1) % polygon.size()];
        if (a.y() == b.y())
            continue; // a horizontal edge crosses no horizontal ray
        const auto [from, to] = rows(a.y(), b.y());
        for (int r = from; r <= to; ++r)
            bands[r - r0].push_back({a, b});
    }
    const QRectF box = polygon.boundingRect();
    forEachCell(box, [&](int begin, int end) {
        if (begin == end)
            return;
        const auto &edges = bands[row(sortedY_[begin]) - r0];
        for (int k = begin; k < end; ++k) {
            const double px = sortedX_[k], py = sortedY_[k];
            bool odd = false;
            for (const auto &[a, b] : edges)
                if ((a.y() > py) != (b.y() > py) &&
                    px < a.x() + (py - a.y()) * (b.x() - a.x()) / (b.y() - a.y()))
                    odd = !odd;
            if (odd)
                inside << order_[k];
        }
    });
    ascending(inside, size());
    return inside;
}

} // namespace latentlab
