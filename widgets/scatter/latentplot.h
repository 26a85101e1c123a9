#pragma once
// LatentPlot: a QCustomPlot that shows 2-D latent codes as a scatter coloured by label, over a
// shaded map of the prior's density, with the two ends of an interpolation and its path.
// It knows nothing of torch: callers hand it plain vectors. GUI thread only.
//
// Mouse: wheel zooms and dragging empty space pans (after which the axes stop following the
// data until fitAll()); hovering reports the nearest point, again whenever what is drawn under
// the resting mouse changes; a click selects the same point by the same search; the ends "A"
// and "B" can be dragged, which reports their new position.

#include "widgets/qcp.h"

#include <QPointF>
#include <QStringList>
#include <QVector>

#include <optional>

class QRubberBand;

namespace latentlab {

class LatentPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit LatentPlot(QWidget *parent = nullptr);

    // Points with their labels (-1: unlabelled). classNames names labels 0..n-1 in the legend.
    // Point i keeps index i in the signals.
    void setPoints(const QVector<double> &x, const QVector<double> &y, const QVector<int> &labels,
                   const QStringList &classNames);
    // Density on an nx by ny grid covering xRange x yRange, row-major from the bottom-left.
    void setDensity(int nx, int ny, const QCPRange &xRange, const QCPRange &yRange,
                    const QVector<double> &values);
    // A ready-coloured density picture instead (e.g. each prior component tinted with its
    // label's colour), covering `region`; row 0 of the image is the top of the region.
    void setDensityImage(const QImage &image, const QRectF &region);
    void clearDensity();
    void setDensityVisible(bool visible);
    // A prior's density is on the plot (a grid or a picture), shown or not.
    bool hasDensity() const { return density_->data()->keySize() > 0 || hasDensityImage_; }
    // A cloud of prior samples drawn under the points (empty to hide).
    void setPriorSamples(const QVector<double> &x, const QVector<double> &y);
    void setAxisLabels(const QString &x, const QString &y);
    // Where the prior has nearly all its mass; fitAll() keeps it in view with the points.
    void setPriorExtent(const QRectF &extent) { priorExtent_ = extent; }

    // Interpolation ends (nullopt hides one) and the path between them, in plot coordinates.
    void setEnds(std::optional<QPointF> a, std::optional<QPointF> b);
    void setPath(const QVector<QPointF> &path);
    // The point along the path the slider is at (nullopt hides it).
    void setPathMarker(std::optional<QPointF> position);
    // Rings around these points (the Inspector's nearest neighbours); they follow the points
    // when setPoints() moves them. Empty clears.
    void setHighlighted(const QVector<int> &indices);
    QVector<int> highlighted() const { return highlighted_; }
    // Items chosen by a Ctrl-drag rectangle, drawn as small squares; they follow the points.
    void setSelected(const QVector<int> &indices);
    QVector<int> selected() const { return selected_; }
    // The items whose points lie in `region` (plot coordinates).
    QVector<int> pointsIn(const QRectF &region) const;

    // Decoded images tiled over `region` (the manifold map); a null image hides them.
    void setTiles(const QImage &tiles, const QRectF &region);
    bool tilesVisible() const;
    void setPointsVisible(bool visible);
    // In probe mode, pressing or dragging on empty space reports probed() instead of panning.
    void setProbeMode(bool on);
    bool probeMode() const { return probeMode_; }

    // Fits the axes to the points and the density map and follows the data again.
    void fitAll();
    // True until the person pans or zooms.
    bool followsData() const { return follow_; }
    // Refits when following, then schedules a replot (coalesced by QCustomPlot).
    void refresh();
    // Redraws only the layer of the ends, path and marker, far cheaper than a replot of every
    // point: for the slider and end drags. A whole replot when none was yet.
    void refreshMarks();

    int pointCount() const { return int(x_.size()); }
    // The corner of the plot the legend sits in: the one over the fewest points, chosen anew
    // at each replot (it moves only when another corner is clearly emptier).
    Qt::Alignment legendCorner() const { return legendCorner_; }
    // The graph of label g's points (the last one holds unlabelled points).
    int classGraphCount() const { return classGraphs_.size(); }
    QCPGraph *classGraph(int g) const { return classGraphs_.value(g); }
    // Index of the point nearest to a widget position within maxPixels, or -1.
    int nearestPoint(const QPointF &pixel, double maxPixels = 8) const;
    QPointF pointAt(int index) const { return {x_.value(index), y_.value(index)}; }

Q_SIGNALS:
    void pointHovered(int index); // -1 when the mouse is near none
    void pointClicked(int index, Qt::KeyboardModifiers modifiers);
    void endMoved(int which, QPointF position);       // which: 0 = A, 1 = B
    void probed(QPointF position);                    // probe mode: the point under the mouse
    void pointsSelected(const QVector<int> &indices); // a Ctrl-drag rectangle was released

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    // Under the points: the prior's density and samples, the manifold map's tiles.
    void createUnderlays();
    // Over the points: the path, the ends A and B, the slider's marker, rings, the selection.
    void createMarks();
    int endNear(const QPointF &pixel) const;
    void dropDensityImage();
    void updateHover(int index);
    // After a replot (new points, a pan or zoom, a resize by the docks beside it), the point
    // under a resting mouse may be another: hover reports follow what is drawn, so a click
    // picks what the Inspector shows.
    void rehover();
    void placeHighlight();
    void placeMarked(QCPGraph *graph, const QVector<int> &indices);
    QPointF toPlot(const QPointF &pixel) const;
    // Moves the legend to the corner over the fewest points (before each replot).
    void placeLegend();
    // Points (every `stride`-th, times stride) inside a rectangle of pixels.
    int pointsUnder(const QRectF &pixels, int stride) const;

    QCPColorMap *density_ = nullptr;
    QCPItemPixmap *tiles_ = nullptr;
    QCPItemPixmap *densityImage_ = nullptr;
    bool hasDensityImage_ = false;
    bool densityWanted_ = true;
    QCPGraph *priorCloud_ = nullptr;
    QVector<QCPGraph *> classGraphs_;
    QCPCurve *path_ = nullptr;
    QCPGraph *ends_ = nullptr;
    QCPGraph *cursor_ = nullptr;
    QCPGraph *highlight_ = nullptr;
    QVector<int> highlighted_;
    QCPGraph *selection_ = nullptr;
    QVector<int> selected_;
    QRubberBand *rubberBand_ = nullptr; // while Ctrl-dragging
    QCPItemText *endLabels_[2] = {nullptr, nullptr};
    QVector<double> x_, y_;
    std::optional<QPointF> endPos_[2];
    int dragging_ = -1;
    int hovered_ = -1;
    std::optional<QPointF> mouse_; // where the mouse rests over the plot, buttons up
    bool pressedOnPoint_ = false;
    QPointF pressPos_;
    bool follow_ = true;
    bool probeMode_ = false;
    bool probing_ = false;
    QRectF priorExtent_;
    Qt::Alignment legendCorner_ = Qt::AlignTop | Qt::AlignRight;
};

} // namespace latentlab
