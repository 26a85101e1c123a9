#include "widgets/scatter/pointindex.h"

#include <algorithm>
#include <cmath>

namespace latentlab {

namespace {

// The q-quantile of every `stride`-th finite value: the grid spans where most points are, so
// one far outlier does not squeeze the rest into a single cell (outliers join the edge cells).
double sampledQuantile(const QVector<double> &v, const QVector<double> &other, double q) {
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

} // namespace

PointIndex::PointIndex(QVector<double> x, QVector<double> y)
    : x_(std::move(x))
    , y_(std::move(y)) {
    const int n = int(std::min(x_.size(), y_.size()));
    x_.resize(n);
    y_.resize(n);
    double left = INFINITY, right = -INFINITY, top = INFINITY, bottom = -INFINITY;
    int finite = 0;
    for (int i = 0; i < n; ++i)
        if (std::isfinite(x_[i]) && std::isfinite(y_[i])) {
            left = std::min(left, x_[i]);
            right = std::max(right, x_[i]);
            top = std::min(top, y_[i]);
            bottom = std::max(bottom, y_[i]);
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

    // A counting sort of the finite points by cell; within a cell they stay in index order.
    std::vector<int> cellOf(n, -1);
    start_.assign(size_t(columns_) * rows_ + 1, 0);
    for (int i = 0; i < n; ++i)
        if (std::isfinite(x_[i]) && std::isfinite(y_[i])) {
            cellOf[i] = row(y_[i]) * columns_ + column(x_[i]);
            ++start_[cellOf[i] + 1];
        }
    for (size_t c = 1; c < start_.size(); ++c)
        start_[c] += start_[c - 1];
    order_.resize(finite);
    std::vector<int> next(start_.begin(), start_.end() - 1);
    for (int i = 0; i < n; ++i)
        if (cellOf[i] >= 0)
            order_[next[cellOf[i]]++] = i;
}

int PointIndex::column(double x) const {
    const double c = std::floor((x - x0_) / cellWidth_);
    return int(std::clamp(c, 0.0, double(columns_ - 1)));
}

int PointIndex::row(double y) const {
    const double r = std::floor((y - y0_) / cellHeight_);
    return int(std::clamp(r, 0.0, double(rows_ - 1)));
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
                        const int i = order_[k];
                        if (skip && (*skip)[i])
                            continue;
                        const double dx = (x_[i] - at.x()) * scaleX;
                        const double dy = (y_[i] - at.y()) * scaleY;
                        const double d = dx * dx + dy * dy;
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
    int count = 0;
    forEachCell(r, [&](int begin, int end) {
        for (int k = begin; k < end; ++k) {
            const int i = order_[k];
            count +=
                x_[i] >= r.left() && x_[i] <= r.right() && y_[i] >= r.top() && y_[i] <= r.bottom();
        }
    });
    return count;
}

QVector<int> PointIndex::in(const QRectF &region) const {
    const QRectF r = region.normalized();
    QVector<int> inside;
    forEachCell(r, [&](int begin, int end) {
        for (int k = begin; k < end; ++k) {
            const int i = order_[k];
            if (x_[i] >= r.left() && x_[i] <= r.right() && y_[i] >= r.top() && y_[i] <= r.bottom())
                inside << i;
        }
    });
    std::sort(inside.begin(), inside.end());
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
        const auto &edges = bands[row(y_[order_[begin]]) - r0];
        for (int k = begin; k < end; ++k) {
            const int i = order_[k];
            const double px = x_[i], py = y_[i];
            bool odd = false;
            for (const auto &[a, b] : edges)
                if ((a.y() > py) != (b.y() > py) &&
                    px < a.x() + (py - a.y()) * (b.x() - a.x()) / (b.y() - a.y()))
                    odd = !odd;
            if (odd)
                inside << i;
        }
    });
    std::sort(inside.begin(), inside.end());
    return inside;
}

} // namespace latentlab
