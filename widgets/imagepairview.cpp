#include "widgets/imagepairview.h"

#include "widgets/liveviews.h"

#include <QFontMetrics>
#include <QGridLayout>
#include <QLabel>

#include <algorithm>

namespace latentlab {

namespace {
constexpr int kSide = 88;
constexpr int kSmallSide = 40;
constexpr int kPerRow = 8; // one row: the Inspector shares its column with the Interpolation dock

QLabel *imageLabel(int side = kSide) {
    auto *label = new QLabel;
    label->setFixedSize(side, side);
    label->setAlignment(Qt::AlignCenter);
    label->setStyleSheet(QStringLiteral("background: black; color: #aaa;"));
    label->setWordWrap(true); // the hint shown without a picture
    return label;
}
} // namespace

ImagePairView::ImagePairView(QWidget *parent)
    : QWidget(parent) {
    input_ = imageLabel();
    output_ = imageLabel();
    // Changes with every hover: a view that repaints without re-laying out the window.
    caption_ = new TextLine(tr("item 10000, label 9, code (-0.00, -0.00, …)"));
    caption_->setToolTip({});
    auto *grid = new QGridLayout(this);
    grid->addWidget(new QLabel(tr("input")), 0, 0);
    grid->addWidget(new QLabel(tr("reconstruction")), 0, 1);
    grid->addWidget(input_, 1, 0);
    grid->addWidget(output_, 1, 1);
    grid->addWidget(caption_, 2, 0, 1, 2);
    neighboursTitle_ = new QLabel;
    neighboursTitle_->setWordWrap(true);
    grid->addWidget(neighboursTitle_, 3, 0, 1, 2);
    auto *row = new QGridLayout;
    row->setSpacing(3);
    for (int i = 0; i < kMaxNeighbours; ++i) {
        neighbourImages_ << imageLabel(kSmallSide);
        // Two short lines (item, distance) that change with every hover: a label of fixed size
        // repaints without asking the window to lay itself out again.
        auto *caption = new QLabel;
        caption->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
        QFont small = caption->font();
        small.setPointSizeF(8);
        caption->setFont(small);
        const QFontMetrics metrics(small); // the widest distance, three digits ('g', 3)
        caption->setFixedSize(std::max(kSmallSide, metrics.horizontalAdvance("0.000123") + 2),
                              2 * metrics.lineSpacing() + 2);
        neighbourCaptions_ << caption;
        row->addWidget(neighbourImages_[i], 2 * (i / kPerRow), i % kPerRow);
        row->addWidget(caption, 2 * (i / kPerRow) + 1, i % kPerRow);
    }
    grid->addLayout(row, 4, 0, 1, 2);
    grid->setRowStretch(5, 1);
    clear();
}

void ImagePairView::setNeighbours(const QString &title, const QVector<QImage> &images,
                                  const QStringList &captions) {
    neighboursTitle_->setText(title);
    neighboursTitle_->setVisible(!images.isEmpty());
    for (int i = 0; i < kMaxNeighbours; ++i) {
        const bool shown = i < images.size() && !images[i].isNull();
        neighbourImages_[i]->setVisible(shown);
        neighbourCaptions_[i]->setVisible(shown);
        if (!shown)
            continue;
        neighbourImages_[i]->setPixmap(QPixmap::fromImage(
            images[i].scaled(kSmallSide, kSmallSide, Qt::KeepAspectRatio, Qt::FastTransformation)));
        neighbourCaptions_[i]->setText(captions.value(i));
    }
}

QString ImagePairView::neighboursTitle() const {
    return neighboursTitle_->isVisibleTo(this) ? neighboursTitle_->text() : QString();
}

QStringList ImagePairView::neighbourCaptions() const {
    QStringList list;
    for (QLabel *caption : neighbourCaptions_)
        if (caption->isVisibleTo(this))
            list << caption->text();
    return list;
}

void ImagePairView::setImages(const QImage &input, const QImage &reconstruction,
                              const QString &caption) {
    auto show = [](QLabel *label, const QImage &image, const QString &hint) {
        if (image.isNull())
            label->setText(hint);
        else
            label->setPixmap(QPixmap::fromImage(image.scaled(kSide, kSide, Qt::KeepAspectRatio)));
    };
    show(input_, input, tr("a point of the plane: no item"));
    show(output_, reconstruction, {});
    caption_->setText(caption);
    caption_->setToolTip(caption); // the whole of it where the line is elided
}

void ImagePairView::clear() {
    input_->setText(tr("Hover a point on the scatter"));
    output_->setText(tr("and see the model's reconstruction here"));
    caption_->setText(tr("Hover over a point to see its image; click it to make it an end."));
    setNeighbours({}, {}, {});
}

QString ImagePairView::caption() const {
    return caption_->text();
}

} // namespace latentlab
