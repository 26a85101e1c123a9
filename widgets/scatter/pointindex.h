#pragma once
// PointIndex: the scatter's points in a uniform grid, so that what a person does with the mouse
// costs what is under the mouse, not what is on the plot: the nearest point to a pixel, the
// points in a rectangle or a lasso, the count in the view. Built in O(n) by a counting sort of
// the points by cell; a query visits only the cells it overlaps. Points with a non-finite
// coordinate are kept (indices stay the caller's) but never found.

#include <QPointF>
#include <QPolygonF>
#include <QRectF>
#include <QVector>

#include <cmath>
#include <cstdint>
#include <vector>

namespace latentlab {

class PointIndex {
public:
    PointIndex() = default;
    PointIndex(QVector<double> x, QVector<double> y);

    int size() const { return int(x_.size()); }
    double x(int i) const { return x_.at(i); }
    double y(int i) const { return y_.at(i); }
    // The smallest rectangle holding every finite point; null when there is none.
    QRectF bounds() const { return bounds_; }

    // The point nearest to `at` within `radius`, distances measured after scaling x by
    // `scaleX` and y by `scaleY` (pixels per unit, so `radius` is in pixels); equally near
    // points go to the larger index. Items whose `skip` entry is non-zero are passed over
    // (null: none is). -1 when none is that near.
    int nearest(QPointF at, double scaleX, double scaleY, double radius,
                const std::vector<uint8_t> *skip = nullptr) const;
    // The points inside a rectangle (edges included), or how many there are.
    int countIn(const QRectF &region) const;
    QVector<int> in(const QRectF &region) const;
    // The points inside a polygon (closed implicitly; the odd-even rule, as a lasso that
    // crosses itself is drawn), in ascending order.
    QVector<int> in(const QPolygonF &polygon) const;

    // Calls f(begin, end) for each run [begin, end) of positions in the grid's order whose
    // cells overlap `region` (one run per row of cells); the points themselves may lie outside
    // it. Position k holds item order()[k] at (sortedX()[k], sortedY()[k]): reading by position
    // walks memory in order, which at a million points is most of the time a query takes.
    template <class F> void forEachCell(const QRectF &region, F f) const {
        if (start_.empty() || std::isnan(region.left()) || std::isnan(region.right()) ||
            std::isnan(region.top()) || std::isnan(region.bottom()))
            return; // a view not laid out yet
        const auto [c0, c1] = columns(region.left(), region.right());
        const auto [r0, r1] = rows(region.top(), region.bottom());
        for (int r = r0; r <= r1; ++r)
            f(start_[r * columns_ + c0], start_[r * columns_ + c1 + 1]);
    }
    const std::vector<int> &order() const { return order_; }
    const std::vector<double> &sortedX() const { return sortedX_; }
    const std::vector<double> &sortedY() const { return sortedY_; }

private:
    void sortByCell(int finite);
    std::pair<int, int> columns(double left, double right) const;
    std::pair<int, int> rows(double top, double bottom) const;
    // The cell a coordinate falls in, those beyond the grid in its edge cells.
    int column(double x) const { return clampedCell((x - x0_) * perCellWidth_, columns_); }
    int row(double y) const { return clampedCell((y - y0_) * perCellHeight_, rows_); }
    static int clampedCell(double c, int cells) {
        return !(c > 0) ? 0 : c >= cells - 1 ? cells - 1 : int(c); // NaN: 0
    }

    QVector<double> x_, y_;
    QRectF bounds_;
    double x0_ = 0, y0_ = 0, cellWidth_ = 1, cellHeight_ = 1;
    double perCellWidth_ = 1, perCellHeight_ = 1; // their inverses
    int columns_ = 0, rows_ = 0;
    std::vector<int> start_; // cell c holds order_[start_[c], start_[c + 1])
    std::vector<int> order_;
    std::vector<double> sortedX_, sortedY_; // by position in order_
};

} // namespace latentlab
