// LatentPlot's level of detail: the points one by one while few enough are in view, else the
// density picture; the crossfade between the two; the colours the picture gives each point.

#include "widgets/palette.h"
#include "widgets/scatter/densityimage.h"
#include "widgets/scatter/latentplot.h"

#include <QPainter>

namespace latentlab {

namespace {

constexpr int kFadeMs = 200;

} // namespace

QRectF LatentPlot::viewRect() const {
    return QRectF(QPointF(xAxis->range().lower, yAxis->range().lower),
                  QPointF(xAxis->range().upper, yAxis->range().upper))
        .normalized();
}

void LatentPlot::setPointBudget(int points) {
    budget_ = std::max(1, points);
    stale_ = true;
    replot(QCustomPlot::rpQueuedReplot);
}

void LatentPlot::recolour() {
    colourFrame(frame_, selection_.mask(), onlySelected_);
    frame_.colouredFor = selectionVersion_;
    stale_ = true;
}

void LatentPlot::feedGraphs(const QVector<int> *items) {
    const int groups = int(classGraphs_.size());
    QVector<QVector<double>> gx(groups), gy(groups);
    QVector<double> greyX, greyY;
    const bool greying = !selection_.isEmpty();
    auto place = [&](int i) {
        if (greying && !selection_.contains(i)) {
            if (!onlySelected_) {
                greyX << frame_.index.x(i);
                greyY << frame_.index.y(i);
            }
            return;
        }
        const int g = frame_.labels[i] < 0 ? groups - 1 : std::min(frame_.labels[i], groups - 1);
        gx[g] << frame_.index.x(i);
        gy[g] << frame_.index.y(i);
    };
    if (items) {
        for (int i : *items)
            place(i);
    } else {
        for (int i = 0; i < frame_.index.size(); ++i)
            place(i);
    }
    for (int g = 0; g < groups; ++g)
        classGraphs_[g]->setData(gx[g], gy[g]);
    unselected_->setData(greyX, greyY);
}

void LatentPlot::updateDetail() {
    const Detail before = detail_;
    const bool sameItems = !stale_; // a pan or zoom, not new codes or colours
    if (frame_.index.size() <= budget_) {
        if (stale_ || detail_ != Detail::AllPoints)
            feedGraphs(nullptr);
        detail_ = Detail::AllPoints;
    } else if (const QRectF view = viewRect(); frame_.index.countIn(view) <= budget_) {
        if (stale_ || detail_ != Detail::ViewPoints || !fedView_.contains(view)) {
            // Half a view's margin on each side, so a small pan needs no new data.
            fedView_ = view.adjusted(-view.width() / 2, -view.height() / 2, view.width() / 2,
                                     view.height() / 2);
            const QVector<int> near = frame_.index.in(fedView_);
            feedGraphs(&near);
        }
        detail_ = Detail::ViewPoints;
    } else {
        showDensity(view);
        detail_ = Detail::Density;
    }
    stale_ = false;
    const bool wasDensity = before == Detail::Density, isDensity = detail_ == Detail::Density;
    if (before != Detail::None && sameItems && wasDensity != isDensity)
        startFade(isDensity); // a zoom crossfades; new codes show at once
    const bool fading = fade_.isValid() && fade_.elapsed() < kFadeMs;
    if (!fading && fadeTimer_->isActive()) {
        fadeTimer_->stop();
        fade_.invalidate();
    }
    // During a crossfade both are drawn: the points stay over the picture until it is done.
    if (isDensity && !fading) {
        const QVector<int> none;
        feedGraphs(&none);
    }
    drawFadedDensity();
}

void LatentPlot::startFade(bool toDensity) {
    fadingToDensity_ = toDensity;
    fade_.start();
    fadeTimer_->start();
}

void LatentPlot::drawFadedDensity() {
    const bool fading = fade_.isValid() && fade_.elapsed() < kFadeMs;
    const bool show =
        pointsVisible_ && !densityPicture_.isNull() && (detail_ == Detail::Density || fading);
    pointDensity_->setVisible(show);
    if (!show)
        return;
    double opacity = 1.0;
    if (fading) {
        const double t = fade_.elapsed() / double(kFadeMs);
        opacity = fadingToDensity_ ? t : 1.0 - t;
    }
    if (opacity == shownOpacity_ && !pictureChanged_)
        return; // the item holds this picture at this opacity already
    shownOpacity_ = opacity;
    pictureChanged_ = false;
    if (opacity >= 1.0) {
        pointDensity_->setPixmap(QPixmap::fromImage(densityPicture_));
    } else {
        QPixmap faded(densityPicture_.size());
        faded.fill(Qt::transparent);
        QPainter painter(&faded);
        painter.setOpacity(opacity);
        painter.drawImage(0, 0, densityPicture_);
        painter.end();
        pointDensity_->setPixmap(faded);
    }
    pointDensity_->topLeft->setCoords(densityView_.left(), densityView_.bottom());
    pointDensity_->bottomRight->setCoords(densityView_.right(), densityView_.top());
}

void LatentPlot::showDensity(const QRectF &view) {
    const QSize size = axisRect()->size();
    if (!stale_ && view == densityView_ && size == densitySize_)
        return;
    densityView_ = view;
    densitySize_ = size;
    densityPicture_ = shadeBins(binPoints(frame_.index, frame_.colours, view, size));
    pictureChanged_ = true;
}

} // namespace latentlab
