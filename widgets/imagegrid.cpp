#include "widgets/imagegrid.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace latentlab {

namespace {
constexpr int kSmallestPicture = 48; // pixels: a 28 x 28 digit is drawn twice its size
constexpr int kGap = 4;
} // namespace

ImageGrid::ImageGrid(QWidget *parent)
    : QWidget(parent) {
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ImageGrid::setImages(const QVector<QImage> &images, const QStringList &captions) {
    images_ = images;
    captions_ = captions;
    updateGeometry();
    setMinimumHeight(heightForWidth(width()));
    update();
}

QSize ImageGrid::pictureSize() const {
    const QSize image = images_.isEmpty() ? QSize(28, 28) : images_.first().size();
    const int side = std::max(1, std::max(image.width(), image.height()));
    const int scale = std::max(1, (kSmallestPicture + side - 1) / side);
    return image * scale;
}

QSize ImageGrid::tileSize() const {
    const int caption = captions_.isEmpty() ? 0 : fontMetrics().height();
    return pictureSize() + QSize(kGap, kGap + caption);
}

int ImageGrid::columnsFor(int width) const {
    return std::max(1, (width - kGap) / tileSize().width());
}

int ImageGrid::heightForWidth(int width) const {
    if (images_.isEmpty())
        return 0;
    const int rows = (count() + columnsFor(width) - 1) / columnsFor(width);
    return kGap + rows * tileSize().height();
}

QSize ImageGrid::sizeHint() const {
    const int width = kGap + 6 * tileSize().width(); // six to a row: the dock stays narrow
    return {width, std::max(tileSize().height(), heightForWidth(width))};
}

QRect ImageGrid::tileRect(int index) const {
    const int columns = columnsFor(width());
    const QSize tile = tileSize();
    return {
        QPoint(kGap + (index % columns) * tile.width(), kGap + (index / columns) * tile.height()),
        pictureSize()};
}

int ImageGrid::imageAt(QPoint pixel) const {
    const QSize tile = tileSize();
    if (pixel.x() < kGap || pixel.y() < kGap)
        return -1;
    const int column = (pixel.x() - kGap) / tile.width();
    const int index = (pixel.y() - kGap) / tile.height() * columnsFor(width()) + column;
    if (column >= columnsFor(width()) || index >= count() || !tileRect(index).contains(pixel))
        return -1;
    return index;
}

void ImageGrid::paintEvent(QPaintEvent *event) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    const QRect dirty = event->rect();
    for (int i = 0; i < count(); ++i) {
        const QRect picture = tileRect(i);
        const QRect tile(picture.topLeft(), tileSize());
        if (!tile.intersects(dirty))
            continue;
        painter.drawImage(picture, images_[i]);
        if (i < captions_.size())
            painter.drawText(QRect(picture.left(), picture.bottom() + 1, picture.width() + kGap,
                                   fontMetrics().height()),
                             Qt::AlignLeft | Qt::AlignTop, captions_[i]);
    }
}

void ImageGrid::mousePressEvent(QMouseEvent *event) {
    const int index = imageAt(event->position().toPoint());
    if (index >= 0 && event->button() == Qt::LeftButton)
        Q_EMIT clicked(index);
    QWidget::mousePressEvent(event);
}

void ImageGrid::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    setMinimumHeight(heightForWidth(width()));
}

} // namespace latentlab
