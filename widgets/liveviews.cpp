#include "widgets/liveviews.h"

#include <QPainter>

namespace latentlab {

TextLine::TextLine(const QString &widest, QWidget *parent)
    : QWidget(parent)
    , widest_(widest) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void TextLine::setText(const QString &text) {
    if (text == text_)
        return;
    text_ = text;
    update();
}

QSize TextLine::sizeHint() const {
    const QFontMetrics m = fontMetrics();
    return {m.horizontalAdvance(widest_) + 2, m.height()};
}

QSize TextLine::minimumSizeHint() const {
    const QFontMetrics m = fontMetrics();
    return {m.horizontalAdvance(QStringLiteral("…")) + 2, m.height()};
}

void TextLine::paintEvent(QPaintEvent *) {
    QPainter painter(this);
    painter.setPen(
        palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::WindowText));
    const QString shown = fontMetrics().elidedText(text_, Qt::ElideRight, width());
    painter.drawText(rect(), Qt::AlignLeft | Qt::AlignVCenter, shown);
}

ImageView::ImageView(QSize minimum, QSize preferred, QWidget *parent)
    : QWidget(parent)
    , minimum_(minimum)
    , preferred_(preferred) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent); // paintEvent fills every pixel
}

void ImageView::setPlaceholder(const QString &text) {
    placeholder_ = text;
    update();
}

void ImageView::setImage(const QImage &image) {
    image_ = image;
    update();
}

QRect ImageView::imageRect() const {
    if (image_.isNull())
        return {};
    const QSize fitted = image_.size().scaled(size(), Qt::KeepAspectRatio);
    QRect r(QPoint(0, 0), fitted);
    r.moveCenter(rect().center());
    return r;
}

QSize ImageView::sizeHint() const {
    return preferred_;
}

QSize ImageView::minimumSizeHint() const {
    return minimum_;
}

void ImageView::paintEvent(QPaintEvent *) {
    QPainter painter(this);
    painter.fillRect(rect(), Qt::black);
    if (image_.isNull()) {
        painter.setPen(QColor(170, 170, 170));
        painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                         placeholder_);
        return;
    }
    const QRect target = imageRect();
    // Smooth only when shrinking; enlarged digits keep their square pixels.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, target.width() < image_.width());
    painter.drawImage(target, image_);
}

} // namespace latentlab
