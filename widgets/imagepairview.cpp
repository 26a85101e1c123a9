#include "widgets/imagepairview.h"

#include <QGridLayout>
#include <QLabel>

namespace latentlab {

namespace {
constexpr int kSide = 112;

QLabel *imageLabel() {
    auto *label = new QLabel;
    label->setFixedSize(kSide, kSide);
    label->setAlignment(Qt::AlignCenter);
    label->setStyleSheet(QStringLiteral("background: black;"));
    return label;
}
} // namespace

ImagePairView::ImagePairView(QWidget *parent)
    : QWidget(parent) {
    input_ = imageLabel();
    output_ = imageLabel();
    caption_ = new QLabel(tr("Hover over a point to see its image."));
    caption_->setWordWrap(true);
    auto *grid = new QGridLayout(this);
    grid->addWidget(new QLabel(tr("input")), 0, 0);
    grid->addWidget(new QLabel(tr("reconstruction")), 0, 1);
    grid->addWidget(input_, 1, 0);
    grid->addWidget(output_, 1, 1);
    grid->addWidget(caption_, 2, 0, 1, 2);
    grid->setRowStretch(3, 1);
}

void ImagePairView::setImages(const QImage &input, const QImage &reconstruction,
                              const QString &caption) {
    auto show = [](QLabel *label, const QImage &image) {
        if (image.isNull())
            label->clear();
        else
            label->setPixmap(QPixmap::fromImage(image.scaled(kSide, kSide, Qt::KeepAspectRatio)));
    };
    show(input_, input);
    show(output_, reconstruction);
    caption_->setText(caption);
}

void ImagePairView::clear() {
    input_->clear();
    output_->clear();
}

QString ImagePairView::caption() const {
    return caption_->text();
}

} // namespace latentlab
