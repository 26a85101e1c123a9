#include "widgets/interpolationpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace latentlab {

namespace {
constexpr int kTicks = 1000; // slider steps per unit of t
}

InterpolationPanel::InterpolationPanel(QWidget *parent)
    : QWidget(parent) {
    endsLabel_ = new QLabel(tr("Click two points on the scatter: the first is A, the second B."));
    endsLabel_->setWordWrap(true);
    preview_ = new QLabel;
    preview_->setMinimumSize(196, 196);
    preview_->setAlignment(Qt::AlignCenter);
    preview_->setStyleSheet(QStringLiteral("background: black;"));
    slider_ = new QSlider(Qt::Horizontal);
    slider_->setObjectName(QStringLiteral("interpolationSlider"));
    tLabel_ = new QLabel;
    tLabel_->setMinimumWidth(60);
    mode_ = new QComboBox;
    mode_->addItems({tr("linear"), tr("spherical")});
    frames_ = new QSpinBox;
    frames_->setRange(2, 40);
    frames_->setValue(10);
    pastEnds_ = new QCheckBox(tr("run past the ends (-0.5 to 1.5)"));
    stripLabel_ = new QLabel;
    stripLabel_->setMinimumHeight(40);
    auto *exportButton = new QPushButton(tr("Export strip…"));

    auto *sliderRow = new QHBoxLayout;
    sliderRow->addWidget(new QLabel(QStringLiteral("A")));
    sliderRow->addWidget(slider_, 1);
    sliderRow->addWidget(new QLabel(QStringLiteral("B")));
    sliderRow->addWidget(tLabel_);
    auto *form = new QFormLayout;
    form->addRow(tr("Path"), mode_);
    form->addRow(tr("Frames"), frames_);
    form->addRow(pastEnds_);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(endsLabel_);
    layout->addWidget(preview_, 1);
    layout->addLayout(sliderRow);
    layout->addLayout(form);
    layout->addWidget(stripLabel_);
    layout->addWidget(exportButton);

    updateRange();
    connect(slider_, &QSlider::valueChanged, this, [this] {
        tLabel_->setText(QStringLiteral("t = %1").arg(position(), 0, 'f', 2));
        Q_EMIT positionChanged(position());
    });
    connect(mode_, &QComboBox::currentIndexChanged, this, &InterpolationPanel::settingsChanged);
    connect(frames_, &QSpinBox::valueChanged, this, &InterpolationPanel::settingsChanged);
    connect(pastEnds_, &QCheckBox::toggled, this, [this] {
        updateRange();
        Q_EMIT settingsChanged();
    });
    connect(exportButton, &QPushButton::clicked, this, &InterpolationPanel::exportStripRequested);
    tLabel_->setText(QStringLiteral("t = %1").arg(position(), 0, 'f', 2));
}

void InterpolationPanel::updateRange() {
    const double t = position();
    const bool past = pastEnds_->isChecked();
    slider_->setRange(past ? -kTicks / 2 : 0, past ? kTicks * 3 / 2 : kTicks);
    setPosition(t);
}

double InterpolationPanel::position() const {
    return double(slider_->value()) / kTicks;
}
bool InterpolationPanel::spherical() const {
    return mode_->currentIndex() == 1;
}
int InterpolationPanel::frames() const {
    return frames_->value();
}
void InterpolationPanel::setPosition(double t) {
    slider_->setValue(int(std::lround(t * kTicks)));
}
void InterpolationPanel::setEndsText(const QString &text) {
    endsLabel_->setText(text);
}

void InterpolationPanel::setPreview(const QImage &image) {
    previewImage_ = image;
    if (image.isNull()) {
        preview_->clear();
        return;
    }
    const int side = std::min(preview_->width(), preview_->height());
    preview_->setPixmap(
        QPixmap::fromImage(image.scaled(side, side, Qt::KeepAspectRatio, Qt::FastTransformation)));
}

void InterpolationPanel::setStrip(const QVector<QImage> &frames) {
    if (frames.isEmpty()) {
        strip_ = QImage();
        stripLabel_->clear();
        return;
    }
    const int w = frames.first().width(), h = frames.first().height();
    strip_ = QImage(frames.size() * (w + 1) + 1, h + 2, QImage::Format_RGB32);
    strip_.fill(QColor(64, 64, 64));
    QPainter painter(&strip_);
    for (int i = 0; i < frames.size(); ++i)
        painter.drawImage(1 + i * (w + 1), 1, frames[i]);
    painter.end();
    const int width = std::max(stripLabel_->width(), 200);
    stripLabel_->setPixmap(QPixmap::fromImage(
        strip_.scaledToWidth(width, frames.size() * (w + 1) <= width ? Qt::FastTransformation
                                                                     : Qt::SmoothTransformation)));
}

} // namespace latentlab
