// LatentPlot's level of detail: the points one by one while few enough are in view, else the
// density picture; the crossfade between the two; the colours the picture gives each point.

#include "widgets/palette.h"
#include "widgets/scatter/densityimage.h"
#include "widgets/scatter/latentplot.h"

#include <QPainter>

namespace latentlab {

namespace {

constexpr int kFadeMs = 200;
const QColor kUnselected(200, 200, 200);

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
    const int n = index_.size();
    const bool greying = !selection_.isEmpty();
    const bool hiding = greying && onlySelected_;
    QVector<QRgb> byLabel;
    for (int g = 0; g < classCounts_.size(); ++g)
        byLabel << labelColor(g == classCounts_.size() - 1 ? -1 : g).rgb();
    hidden_.assign(hiding ? size_t(n) : 0, 0);
    if (hiding)
        for (int i = 0; i < n; ++i)
            hidden_[i] = !selection_.contains(i);
    // In the index's order, as the picture reads them.
    const std::vector<int> &order = index_.order();
    colours_.resize(order.size());
    for (size_t k = 0; k < order.size(); ++k) {
        const int i = order[k], l = labels_[i];
        QRgb c = byLabel.value(l < 0 ? byLabel.size() - 1 : l);
        if (greying && !selection_.contains(i))
            c = hiding ? qRgba(0, 0, 0, 0) : kUnselected.rgb();
        colours_[k] = c;
    }
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
                greyX << index_.x(i);
                greyY << index_.y(i);
            }
            return;
        }
        const int g = labels_[i] < 0 ? groups - 1 : std::min(labels_[i], groups - 1);
        gx[g] << index_.x(i);
        gy[g] << index_.y(i);
    };
    if (items) {
        for (int i : *items)
            place(i);
    } else {
        for (int i = 0; i < index_.size(); ++i)
            place(i);
    }
    for (int g = 0; g < groups; ++g)
        classGraphs_[g]->setData(gx[g], gy[g]);
    unselected_->setData(greyX, greyY);
}

void LatentPlot::updateDetail() {
    const Detail before = detail_;
    const bool sameItems = !stale_; // a pan or zoom, not new codes or colours
    if (index_.size() <= budget_) {
        if (stale_ || detail_ != Detail::AllPoints)
            feedGraphs(nullptr);
        detail_ = Detail::AllPoints;
    } else if (const QRectF view = viewRect(); index_.countIn(view) <= budget_) {
        if (stale_ || detail_ != Detail::ViewPoints || !fedView_.contains(view)) {
            // Half a view's margin on each side, so a small pan needs no new data.
            fedView_ = view.adjusted(-view.width() / 2, -view.height() / 2, view.width() / 2,
                                     view.height() / 2);
            const QVector<int> near = index_.in(fedView_);
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
    densityPicture_ = shadeBins(binPoints(index_, colours_, view, size));
    pictureChanged_ = true;
}

} // namespace latentlab
