#pragma once
// LatentPlot: a QCustomPlot that shows 2-D latent codes as a scatter coloured by label, over a
// shaded map of the prior's density, with the two ends of an interpolation and its path.
// It knows nothing of torch: callers hand it plain vectors. GUI thread only.
//
// At scale: while no more than pointBudget() points are in view they are drawn one by one
// (only those near the view when there are more in all); above it the scatter is drawn as a
// density picture (densityimage.h), and a zoom that brings the count under the budget
// crossfades back to points. Searches go through a grid (pointindex.h), so hover, click and
// lasso cost what is under the mouse.
//
// Mouse: wheel zooms and dragging empty space pans (after which the axes stop following the
// data until fitAll()); hovering reports the nearest point, again whenever what is drawn under
// the resting mouse changes; a click selects the same point by the same search; the ends "A"
// and "B" can be dragged, which reports their new position. With the rectangle or lasso tool
// (or Ctrl with the pan tool) a drag selects; Shift adds, Alt removes. A click on a class in
// the legend selects that class. Unselected items are drawn grey, or not at all.

#include "widgets/qcp.h"
#include "widgets/scatter/pointindex.h"
#include "widgets/scatter/scatterframe.h"
#include "widgets/scatter/selection.h"

#include <QElapsedTimer>
#include <QPointF>
#include <QPolygonF>
#include <QStringList>
#include <QTimer>
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
    // Points indexed and coloured elsewhere (scatterframe.h: the window builds a million on a
    // worker thread). A frame coloured for an earlier selection is coloured again.
    void showFrame(ScatterFrame frame, const QStringList &classNames);
    // The selection and how it is drawn, for a frame built elsewhere.
    Colouring colouring() const { return {selection_.mask(), onlySelected_, selectionVersion_}; }
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
    // The selection (selection.h): items chosen by a drag or the legend. A small one is also
    // marked with squares. Setting it emits selectionChanged, not pointsSelected.
    void setSelected(const QVector<int> &indices);
    QVector<int> selected() const { return selection_.items(); }
    int selectedCount() const { return selection_.count(); }
    void invertSelection();
    // Selects the items of a label (-1: the unlabelled ones), as a legend click does.
    void selectLabel(int label, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    // Draws only the selected items (when there is a selection) instead of greying the rest.
    void setShowOnlySelected(bool only);
    bool showsOnlySelected() const { return onlySelected_; }
    enum class Tool { Pan, Rectangle, Lasso };
    void setTool(Tool tool);
    Tool tool() const { return tool_; }
    // The items whose points lie in `region` or a lasso (plot coordinates).
    QVector<int> pointsIn(const QRectF &region) const { return frame_.index.in(region); }
    QVector<int> pointsIn(const QPolygonF &lasso) const { return frame_.index.in(lasso); }
    // What a drag with the selection tool does on release, in widget pixels (for tests).
    void selectUnder(const QPolygonF &pixels, Qt::KeyboardModifiers modifiers);

    // More points than this in view are drawn as a density picture.
    void setPointBudget(int points);
    int pointBudget() const { return budget_; }
    // True while the scatter is drawn as a density picture (as of the last replot).
    bool drawsDensity() const { return detail_ == Detail::Density; }
    // The last density picture drawn, for tests and screenshots.
    QImage densityPicture() const { return densityPicture_; }

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

    int pointCount() const { return frame_.index.size(); }
    // The corner of the plot the legend sits in: the one over the fewest points, chosen anew
    // at each replot (it moves only when another corner is clearly emptier).
    Qt::Alignment legendCorner() const { return legendCorner_; }
    // The graph of label g's points (the last one holds unlabelled points).
    int classGraphCount() const { return classGraphs_.size(); }
    QCPGraph *classGraph(int g) const { return classGraphs_.value(g); }
    // Index of the point nearest to a widget position within maxPixels, or -1.
    int nearestPoint(const QPointF &pixel, double maxPixels = 8) const;
    QPointF pointAt(int index) const;

Q_SIGNALS:
    void pointHovered(int index); // -1 when the mouse is near none
    void pointClicked(int index, Qt::KeyboardModifiers modifiers);
    void endMoved(int which, QPointF position);       // which: 0 = A, 1 = B
    void probed(QPointF position);                    // probe mode: the point under the mouse
    void pointsSelected(const QVector<int> &indices); // a drag or legend click changed it
    void selectionChanged(int count);                 // whatever changed it

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;
    // Lays out, then chooses points or picture for the axis rectangle's new size.
    void updateLayout() override;

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
    // Points inside a rectangle of pixels.
    int pointsUnder(const QRectF &pixels) const;
    void legendClicked(QCPAbstractLegendItem *item, QMouseEvent *event);
    // Points or picture, by how many are in view (at each replot; scatterlevels.cpp).
    void updateDetail();
    // The class graphs (and the grey one) hold `items`, or every point when null.
    void feedGraphs(const QVector<int> *items);
    void showDensity(const QRectF &view);
    void startFade(bool toDensity);
    void drawFadedDensity();
    // Each point's colour in the picture: its label's, grey when unselected, or none.
    void recolour();
    void selectionEdited();
    QRectF viewRect() const;

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
    QCPGraph *selectionMarks_ = nullptr;
    QCPGraph *unselected_ = nullptr; // grey, under the class graphs
    QCPItemPixmap *pointDensity_ = nullptr;
    QCPCurve *lasso_ = nullptr;
    Selection selection_;
    Tool tool_ = Tool::Pan;
    bool onlySelected_ = false;
    bool pointsVisible_ = true;
    QRubberBand *rubberBand_ = nullptr; // while dragging a rectangle
    QPolygonF lassoPixels_;             // while drawing a lasso
    QCPItemText *endLabels_[2] = {nullptr, nullptr};
    ScatterFrame frame_;            // the points shown: index, labels, colours (scatterframe.h)
    uint64_t selectionVersion_ = 0; // raised by each edit of the selection or of onlySelected_
    enum class Detail { None, AllPoints, ViewPoints, Density } detail_ = Detail::None;
    int budget_ = 50000;
    bool stale_ = true;  // the points or their colours changed since the graphs were fed
    QRectF fedView_;     // ViewPoints: the graphs hold the points in here
    QRectF densityView_; // Density: the picture shows this view...
    QSize densitySize_;  // ...at this size
    QImage densityPicture_;
    bool pictureChanged_ = false; // since the item last took it
    double shownOpacity_ = -1;
    QElapsedTimer fade_; // running while one level crossfades into the other
    bool fadingToDensity_ = false;
    QTimer *fadeTimer_ = nullptr;
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
