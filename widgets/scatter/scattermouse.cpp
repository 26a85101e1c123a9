// LatentPlot and the mouse: hover and click find the nearest point through the index; the ends
// A and B are dragged; empty space pans (or probes); a drag with the rectangle or lasso tool
// selects; the wheel zooms. Any of these but a hover stops the axes following the data.

#include "widgets/scatter/latentplot.h"

#include <QMouseEvent>
#include <QRubberBand>
#include <QWheelEvent>

namespace latentlab {

QPointF LatentPlot::toPlot(const QPointF &pixel) const {
    return {xAxis->pixelToCoord(pixel.x()), yAxis->pixelToCoord(pixel.y())};
}

int LatentPlot::nearestPoint(const QPointF &pixel, double maxPixels) const {
    // Pixels per unit along each axis (the axes are linear).
    const double sx = axisRect()->width() / xAxis->range().size();
    const double sy = axisRect()->height() / yAxis->range().size();
    // Only what is drawn can be picked.
    return frame_.index.nearest(toPlot(pixel), sx, sy, maxPixels,
                                frame_.hidden.empty() ? nullptr : &frame_.hidden);
}

int LatentPlot::endNear(const QPointF &pixel) const {
    for (int i = 0; i < 2; ++i) {
        if (!endPos_[i])
            continue;
        const double dx = xAxis->coordToPixel(endPos_[i]->x()) - pixel.x();
        const double dy = yAxis->coordToPixel(endPos_[i]->y()) - pixel.y();
        if (dx * dx + dy * dy <= 10 * 10)
            return i;
    }
    return -1;
}

void LatentPlot::mousePressEvent(QMouseEvent *event) {
    pressPos_ = event->position();
    if (event->button() == Qt::LeftButton) {
        dragging_ = endNear(pressPos_);
        if (dragging_ >= 0) {
            event->accept();
            return; // an end is dragged, not the view
        }
        const bool onLegend =
            qobject_cast<QCPAbstractLegendItem *>(layerableAt(pressPos_, false)) != nullptr;
        if (tool_ == Tool::Lasso && !onLegend) {
            lassoPixels_ = QPolygonF({pressPos_});
            event->accept();
            return;
        }
        if ((tool_ == Tool::Rectangle || event->modifiers() & Qt::ControlModifier) && !onLegend) {
            if (!rubberBand_)
                rubberBand_ = new QRubberBand(QRubberBand::Rectangle, this);
            rubberBand_->setGeometry(QRect(pressPos_.toPoint(), QSize()));
            rubberBand_->show();
            event->accept();
            return; // a selection, not a pan
        }
        if (probeMode_) {
            probing_ = true;
            Q_EMIT probed(toPlot(pressPos_));
            event->accept();
            return;
        }
    }
    QCustomPlot::mousePressEvent(event);
}

void LatentPlot::mouseMoveEvent(QMouseEvent *event) {
    if (dragging_ >= 0) {
        const QPointF p = toPlot(event->position());
        endPos_[dragging_] = p;
        setEnds(endPos_[0], endPos_[1]);
        Q_EMIT endMoved(dragging_, p);
        replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    if (probing_) {
        Q_EMIT probed(toPlot(event->position()));
        return;
    }
    if (rubberBand_ && rubberBand_->isVisible()) {
        rubberBand_->setGeometry(
            QRect(pressPos_.toPoint(), event->position().toPoint()).normalized());
        return;
    }
    if (!lassoPixels_.isEmpty()) {
        if ((event->position() - lassoPixels_.last()).manhattanLength() >= 3) {
            lassoPixels_ << event->position();
            QVector<double> t, xs, ys;
            for (const QPointF &p : lassoPixels_ + QPolygonF({lassoPixels_.first()})) {
                t << t.size();
                xs << xAxis->pixelToCoord(p.x());
                ys << yAxis->pixelToCoord(p.y());
            }
            lasso_->setData(t, xs, ys, true);
            refreshMarks();
        }
        return;
    }
    if (event->buttons() & Qt::LeftButton) {
        follow_ = false; // the person pans
        mouse_.reset();
    } else {
        mouse_ = event->position();
        updateHover(nearestPoint(*mouse_));
    }
    QCustomPlot::mouseMoveEvent(event);
}

void LatentPlot::updateHover(int index) {
    // The Inspector decodes on every hover report: report a point once, not per mouse move.
    if (index == hovered_)
        return;
    hovered_ = index;
    Q_EMIT pointHovered(index);
}

void LatentPlot::rehover() {
    if (mouse_ && QApplication::mouseButtons() == Qt::NoButton)
        updateHover(nearestPoint(*mouse_));
}

void LatentPlot::leaveEvent(QEvent *event) {
    mouse_.reset();
    QCustomPlot::leaveEvent(event);
}

void LatentPlot::mouseReleaseEvent(QMouseEvent *event) {
    // A drag with a selection tool selects; a click with one still picks the point under it.
    const bool dragged = (event->position() - pressPos_).manhattanLength() >= 4;
    if (rubberBand_ && rubberBand_->isVisible()) {
        rubberBand_->hide();
        if (dragged) {
            selectUnder(QPolygonF({pressPos_, event->position()}), event->modifiers());
            event->accept();
            return;
        }
    }
    if (!lassoPixels_.isEmpty()) {
        lassoPixels_ << event->position();
        const QPolygonF lasso = std::exchange(lassoPixels_, {});
        lasso_->data()->clear();
        const QRectF box = lasso.boundingRect();
        if (box.width() + box.height() >= 4) {
            selectUnder(lasso, event->modifiers());
            event->accept();
            return;
        }
        refreshMarks();
    }
    const bool wasDragging = dragging_ >= 0 || probing_;
    dragging_ = -1;
    probing_ = false;
    const bool click = (event->position() - pressPos_).manhattanLength() < 4;
    if (!wasDragging && click && event->button() == Qt::LeftButton) {
        const int index = nearestPoint(event->position());
        if (index >= 0)
            Q_EMIT pointClicked(index, event->modifiers());
    }
    QCustomPlot::mouseReleaseEvent(event);
}

void LatentPlot::wheelEvent(QWheelEvent *event) {
    follow_ = false;
    QCustomPlot::wheelEvent(event);
}

} // namespace latentlab
