#include "widgets/scatter/latentplot.h"

#include "widgets/palette.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>

namespace latentlab {

namespace {

// A pre-drawn anti-aliased disc: QCustomPlot blits a pixmap per point far faster than it
// draws an anti-aliased ellipse per point (docs/RELIABILITY.md, "What the GUI thread can
// afford").
QPixmap discSprite(const QColor &color) {
    constexpr int kSize = 5;
    const qreal ratio = qApp ? qApp->devicePixelRatio() : 1.0;
    QPixmap sprite(QSize(kSize, kSize) * ratio);
    sprite.setDevicePixelRatio(ratio);
    sprite.fill(Qt::transparent);
    QPainter painter(&sprite);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(0.25, 0.25, kSize - 0.5, kSize - 0.5));
    return sprite;
}

} // namespace

LatentPlot::LatentPlot(QWidget *parent)
    : QCustomPlot(parent) {
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setNoAntialiasingOnDrag(true);
    setMouseTracking(true);
    createUnderlays();
    createMarks();
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setBrush(QColor(255, 255, 255, 210));
    axisRect()->insetLayout()->setInsetAlignment(0, legendCorner_);
    legend->setVisible(false); // until a class has points
    connect(this, &QCustomPlot::beforeReplot, this, &LatentPlot::placeLegend);
    connect(this, &QCustomPlot::legendClick, this,
            [this](QCPLegend *, QCPAbstractLegendItem *item, QMouseEvent *event) {
                legendClicked(item, event);
            });
    fadeTimer_ = new QTimer(this);
    fadeTimer_->setInterval(30);
    connect(fadeTimer_, &QTimer::timeout, this, [this] { replot(QCustomPlot::rpQueuedReplot); });
    connect(this, &QCustomPlot::afterReplot, this, &LatentPlot::rehover);
    setAxisLabels(QStringLiteral("z0"), QStringLiteral("z1"));
}

void LatentPlot::createUnderlays() {
    density_ = new QCPColorMap(xAxis, yAxis);
    QCPColorGradient gradient;
    gradient.setColorStopAt(0.0, QColor(255, 255, 255));
    gradient.setColorStopAt(1.0, QColor(150, 170, 205));
    density_->setGradient(gradient);
    density_->setInterpolate(true);
    density_->setVisible(false);
    density_->removeFromLegend();
    // Layers from the bottom: the prior, the manifold map's tiles, the points, the marks.
    addLayer(QStringLiteral("prior"), layer(QStringLiteral("main")), QCustomPlot::limBelow);
    addLayer(QStringLiteral("tiles"), layer(QStringLiteral("main")), QCustomPlot::limBelow);
    density_->setLayer(QStringLiteral("prior"));
    densityImage_ = new QCPItemPixmap(this);
    densityImage_->setLayer(QStringLiteral("prior"));
    densityImage_->setScaled(true, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    densityImage_->setVisible(false);
    tiles_ = new QCPItemPixmap(this);
    tiles_->setLayer(QStringLiteral("tiles"));
    tiles_->setScaled(true, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    tiles_->setVisible(false);

    // The scatter as a picture, and the unselected points in grey, under the class graphs.
    pointDensity_ = new QCPItemPixmap(this);
    pointDensity_->setLayer(QStringLiteral("main"));
    pointDensity_->setScaled(true, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    pointDensity_->setVisible(false);
    unselected_ = addGraph();
    unselected_->setLineStyle(QCPGraph::lsNone);
    unselected_->setScatterStyle(QCPScatterStyle(discSprite(QColor(200, 200, 200))));
    unselected_->setName(tr("not selected"));
    unselected_->removeFromLegend();

    priorCloud_ = addGraph();
    priorCloud_->setLineStyle(QCPGraph::lsNone);
    priorCloud_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDot, QColor(90, 110, 160, 120), 1));
    priorCloud_->setName(tr("prior samples"));
    priorCloud_->removeFromLegend();
    priorCloud_->setLayer(QStringLiteral("prior"));
}

void LatentPlot::createMarks() {
    path_ = new QCPCurve(xAxis, yAxis);
    path_->setPen(QPen(QColor(20, 20, 20), 2, Qt::DashLine));
    path_->removeFromLegend();
    ends_ = addGraph();
    ends_->setLineStyle(QCPGraph::lsNone);
    ends_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2), QBrush(Qt::white), 13));
    ends_->removeFromLegend();
    cursor_ = addGraph();
    cursor_->setLineStyle(QCPGraph::lsNone);
    cursor_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::black, 1.5), QBrush(Qt::yellow), 14));
    cursor_->removeFromLegend();
    highlight_ = addGraph();
    highlight_->setLineStyle(QCPGraph::lsNone);
    highlight_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(230, 120, 0), 2), Qt::NoBrush, 11));
    highlight_->setName(tr("nearest neighbours"));
    highlight_->removeFromLegend();
    selectionMarks_ = addGraph();
    selectionMarks_->setLineStyle(QCPGraph::lsNone);
    selectionMarks_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(QColor(40, 40, 40), 1.2), Qt::NoBrush, 7));
    selectionMarks_->setName(tr("selection"));
    selectionMarks_->removeFromLegend();
    lasso_ = new QCPCurve(xAxis, yAxis);
    lasso_->setPen(QPen(QColor(20, 20, 20), 1.5, Qt::DotLine));
    lasso_->setBrush(QColor(40, 80, 160, 30));
    lasso_->removeFromLegend();
    for (int i = 0; i < 2; ++i) {
        endLabels_[i] = new QCPItemText(this);
        endLabels_[i]->setText(i == 0 ? QStringLiteral("A") : QStringLiteral("B"));
        endLabels_[i]->setFont(QFont(font().family(), 8, QFont::Bold));
        endLabels_[i]->setVisible(false);
    }

    // Interpolation marks stay above the points, whatever is added later.
    addLayer(QStringLiteral("marks"), layer(QStringLiteral("main")), QCustomPlot::limAbove);
    layer(QStringLiteral("marks"))->setMode(QCPLayer::lmBuffered); // redrawn alone: refreshMarks()
    for (QCPLayerable *item :
         std::initializer_list<QCPLayerable *>{selectionMarks_, lasso_, highlight_, path_, ends_,
                                               cursor_, endLabels_[0], endLabels_[1]})
        item->setLayer(QStringLiteral("marks"));
}

int LatentPlot::pointsUnder(const QRectF &pixels) const {
    return frame_.index.countIn(QRectF(toPlot(pixels.topLeft()), toPlot(pixels.bottomRight())));
}

QPointF LatentPlot::pointAt(int index) const {
    if (index < 0 || index >= frame_.index.size())
        return {};
    return {frame_.index.x(index), frame_.index.y(index)};
}

void LatentPlot::placeLegend() {
    if (!legend->visible())
        return;
    const QRect area = axisRect()->rect();
    const QSize size = legend->minimumOuterSizeHint();
    const Qt::Alignment corners[] = {Qt::AlignTop | Qt::AlignRight, Qt::AlignTop | Qt::AlignLeft,
                                     Qt::AlignBottom | Qt::AlignRight,
                                     Qt::AlignBottom | Qt::AlignLeft};
    auto under = [&](Qt::Alignment corner) {
        const int left = corner & Qt::AlignLeft ? area.left() : area.right() - size.width();
        const int top = corner & Qt::AlignTop ? area.top() : area.bottom() - size.height();
        return pointsUnder(QRectF(left, top, size.width(), size.height()));
    };
    const int current = under(legendCorner_);
    Qt::Alignment best = legendCorner_;
    int fewest = current;
    for (Qt::Alignment corner : corners)
        if (const int n = under(corner); n < fewest) {
            fewest = n;
            best = corner;
        }
    // A corner only a little emptier is not worth a jump while the points move.
    if (best != legendCorner_ && fewest + std::max(3, current / 10) <= current) {
        legendCorner_ = best;
        axisRect()->insetLayout()->setInsetAlignment(0, legendCorner_);
    }
}

void LatentPlot::setAxisLabels(const QString &x, const QString &y) {
    xAxis->setLabel(x);
    yAxis->setLabel(y);
}

void LatentPlot::setPoints(const QVector<double> &x, const QVector<double> &y,
                           const QVector<int> &labels, const QStringList &classNames) {
    showFrame(buildFrame(x, y, labels, classNames.size(), colouring()), classNames);
}

void LatentPlot::showFrame(ScatterFrame frame, const QStringList &classNames) {
    frame_ = std::move(frame);
    const int selected = selection_.count();
    selection_.resize(frame_.index.size());
    if (selection_.count() != selected) // it held items beyond these points: an edit too
        ++selectionVersion_;
    if (frame_.colouredFor != selectionVersion_) // coloured for another selection
        recolour();
    const int groups = frame_.groups();
    // One graph per label, plus one for unlabelled points at the end.
    while (classGraphs_.size() < groups + 1) {
        QCPGraph *graph = addGraph();
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setAdaptiveSampling(true);
        classGraphs_.append(graph);
    }
    while (classGraphs_.size() > groups + 1)
        removeGraph(classGraphs_.takeLast());
    for (int g = 0; g <= groups; ++g) {
        QCPGraph *graph = classGraphs_[g];
        const QColor c = labelColor(g == groups ? -1 : g);
        graph->setScatterStyle(QCPScatterStyle(discSprite(c)));
        graph->setName(g == groups ? tr("unlabelled") : classNames.value(g, QString::number(g)));
        if (frame_.classCounts[g] == 0)
            graph->removeFromLegend();
        else
            graph->addToLegend();
    }
    legend->setVisible(legend->itemCount() > 0); // an empty legend is a stray white box
    stale_ = true;
    if (frame_.index.size() <= budget_)
        updateDetail(); // the graphs hold every point at once, as callers may read them
    placeHighlight();
}

void LatentPlot::setHighlighted(const QVector<int> &indices) {
    highlighted_ = indices;
    placeHighlight();
}

void LatentPlot::updateLayout() {
    QCustomPlot::updateLayout();
    updateDetail(); // the axis rectangle has its size for this replot now
}

void LatentPlot::placeHighlight() {
    placeMarked(highlight_, highlighted_);
    placeMarked(selectionMarks_, selection_.count() <= 500 ? selection_.items() : QVector<int>());
}

void LatentPlot::placeMarked(QCPGraph *graph, const QVector<int> &indices) {
    QVector<double> xs, ys;
    for (int i : indices)
        if (i >= 0 && i < frame_.index.size()) {
            xs << frame_.index.x(i);
            ys << frame_.index.y(i);
        }
    graph->setData(xs, ys, true);
}

void LatentPlot::setDensity(int nx, int ny, const QCPRange &xRange, const QCPRange &yRange,
                            const QVector<double> &values) {
    density_->data()->setSize(nx, ny);
    density_->data()->setRange(xRange, yRange);
    double top = 0;
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            const double v = values.value(j * nx + i);
            density_->data()->setCell(i, j, v);
            top = std::max(top, v);
        }
    density_->setDataRange(QCPRange(0, top > 0 ? top : 1));
    density_->setVisible(densityWanted_ && top > 0);
    dropDensityImage();
}

void LatentPlot::setDensityImage(const QImage &image, const QRectF &region) {
    density_->data()->clear();
    density_->setVisible(false);
    hasDensityImage_ = !image.isNull();
    if (hasDensityImage_)
        densityImage_->setPixmap(QPixmap::fromImage(image));
    densityImage_->topLeft->setCoords(region.left(), region.bottom());
    densityImage_->bottomRight->setCoords(region.right(), region.top());
    densityImage_->setVisible(densityWanted_ && hasDensityImage_);
}

void LatentPlot::dropDensityImage() {
    // QCPItemPixmap warns about a null pixmap, so the old one stays, hidden, until replaced.
    hasDensityImage_ = false;
    densityImage_->setVisible(false);
}

void LatentPlot::clearDensity() {
    density_->data()->clear();
    density_->setVisible(false);
    dropDensityImage();
}

void LatentPlot::setDensityVisible(bool visible) {
    densityWanted_ = visible;
    density_->setVisible(visible && density_->data()->keySize() > 0);
    densityImage_->setVisible(visible && hasDensityImage_);
}

void LatentPlot::setPriorSamples(const QVector<double> &x, const QVector<double> &y) {
    priorCloud_->setData(x, y);
}

void LatentPlot::setEnds(std::optional<QPointF> a, std::optional<QPointF> b) {
    endPos_[0] = a;
    endPos_[1] = b;
    QVector<double> xs, ys;
    for (int i = 0; i < 2; ++i) {
        endLabels_[i]->setVisible(bool(endPos_[i]));
        if (!endPos_[i])
            continue;
        xs << endPos_[i]->x();
        ys << endPos_[i]->y();
        endLabels_[i]->position->setCoords(*endPos_[i]);
    }
    ends_->setData(xs, ys);
}

void LatentPlot::setPath(const QVector<QPointF> &path) {
    QVector<double> t, xs, ys;
    for (int i = 0; i < path.size(); ++i) {
        t << i;
        xs << path[i].x();
        ys << path[i].y();
    }
    path_->setData(t, xs, ys, true);
}

void LatentPlot::setPathMarker(std::optional<QPointF> position) {
    if (position)
        cursor_->setData({position->x()}, {position->y()});
    else
        cursor_->data()->clear();
}

void LatentPlot::setTiles(const QImage &tiles, const QRectF &region) {
    tiles_->setVisible(!tiles.isNull());
    if (tiles.isNull())
        return;
    tiles_->setPixmap(QPixmap::fromImage(tiles));
    tiles_->topLeft->setCoords(region.left(), region.bottom());
    tiles_->bottomRight->setCoords(region.right(), region.top());
}

bool LatentPlot::tilesVisible() const {
    return tiles_->visible();
}

void LatentPlot::setPointsVisible(bool visible) {
    pointsVisible_ = visible;
    for (QCPGraph *g : classGraphs_)
        g->setVisible(visible);
    unselected_->setVisible(visible);
    pointDensity_->setVisible(visible && detail_ == Detail::Density);
}

void LatentPlot::setProbeMode(bool on) {
    probeMode_ = on;
    setInteraction(QCP::iRangeDrag, !on && tool_ == Tool::Pan);
}

void LatentPlot::fitAll() {
    follow_ = true;
    bool found = !priorExtent_.isNull();
    QCPRange xr(priorExtent_.left(), priorExtent_.right());
    QCPRange yr(priorExtent_.top(), priorExtent_.bottom());
    if (const QRectF b = frame_.index.bounds(); !b.isNull()) {
        const QCPRange gx(b.left(), b.right()), gy(b.top(), b.bottom());
        xr = found ? QCPRange(std::min(xr.lower, gx.lower), std::max(xr.upper, gx.upper)) : gx;
        yr = found ? QCPRange(std::min(yr.lower, gy.lower), std::max(yr.upper, gy.upper)) : gy;
        found = true;
    }
    if (!found && density_->visible()) {
        xr = density_->data()->keyRange();
        yr = density_->data()->valueRange();
        found = true;
    }
    if (!found)
        return;
    xAxis->setRange(xr);
    yAxis->setRange(yr);
    xAxis->scaleRange(1.08, xAxis->range().center());
    yAxis->scaleRange(1.08, yAxis->range().center());
}

void LatentPlot::refresh() {
    if (follow_)
        fitAll();
    replot(QCustomPlot::rpQueuedReplot);
}

void LatentPlot::refreshMarks() {
    layer(QStringLiteral("marks"))->replot();
}

} // namespace latentlab
