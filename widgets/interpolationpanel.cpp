#include "widgets/interpolationpanel.h"

#include "widgets/liveviews.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace latentlab {

namespace {
constexpr int kTicks = 1000; // slider steps per unit of t
}

InterpolationPanel::InterpolationPanel(QWidget *parent)
    : QWidget(parent) {
    endsLabel_ = new QLabel(tr("Click two points on the scatter: the first is A, the second B."));
    endsLabel_->setWordWrap(true);
    preview_ = new ImageView(QSize(96, 96), QSize(280, 280));
    preview_->setPlaceholder(tr("Click two points on the scatter (A, then B), then drag the "
                                "slider below to morph one into the other."));
    stripLabel_ = new QLabel;
    stripLabel_->setMinimumHeight(40);
    // The strip is scaled to the panel's width: it follows the width and never sets it.
    stripLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    comparisons_ = new QWidget;
    new QGridLayout(comparisons_);
    comparisons_->setVisible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(endsLabel_);
    layout->addWidget(preview_, 1);
    layout->addLayout(createSliderRow());
    layout->addLayout(createNearestRow());
    layout->addLayout(createPathRow());
    layout->addWidget(stripLabel_);
    layout->addWidget(comparisons_);
    layout->addLayout(createButtonRow());
    updateRange();
    tLabel_->setText(QStringLiteral("t = %1").arg(position(), 0, 'f', 2));
}

QLayout *InterpolationPanel::createSliderRow() {
    slider_ = new QSlider(Qt::Horizontal);
    slider_->setObjectName(QStringLiteral("interpolationSlider"));
    slider_->setPageStep(kTicks / 10);
    slider_->installEventFilter(this);
    tLabel_ = new TextLine(QStringLiteral("t = -0.50"));
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(QStringLiteral("A")));
    row->addWidget(slider_, 1);
    row->addWidget(new QLabel(QStringLiteral("B")));
    row->addWidget(tLabel_);
    connect(slider_, &QSlider::valueChanged, this, [this] {
        tLabel_->setText(QStringLiteral("t = %1").arg(position(), 0, 'f', 2));
        Q_EMIT positionChanged(position());
    });
    return row;
}

QLayout *InterpolationPanel::createNearestRow() {
    nearestImage_ = new QLabel;
    nearestImage_->setFixedSize(24, 24);
    nearestImage_->setAlignment(Qt::AlignCenter);
    nearestImage_->setStyleSheet(QStringLiteral("background: black;"));
    nearestText_ =
        new TextLine(tr("Nearest training item #9999 at 0.000 (its own nearest at 0.000)"));
    nearestText_->setToolTip(tr("The training item whose code is nearest the frame's: a frame "
                                "much nearer one item than items are to each other is that "
                                "item again"));
    // The row is hidden until the first frame has a nearest item, and keeps its space while
    // hidden: showing it must not lay the window out again (or, at its minimum height, grow it).
    for (QWidget *w :
         {static_cast<QWidget *>(nearestImage_), static_cast<QWidget *>(nearestText_)}) {
        QSizePolicy policy = w->sizePolicy();
        policy.setRetainSizeWhenHidden(true);
        w->setSizePolicy(policy);
    }
    auto *row = new QHBoxLayout;
    row->addWidget(nearestImage_);
    row->addWidget(nearestText_, 1);
    setNearest({}, {});
    return row;
}

QLayout *InterpolationPanel::createPathRow() {
    mode_ = new QComboBox;
    mode_->addItems({tr("linear"), tr("spherical")});
    frames_ = new QSpinBox;
    frames_->setRange(2, 40);
    frames_->setValue(10);
    pastEnds_ = new QCheckBox(tr("past the ends"));
    pastEnds_->setToolTip(tr("Run the slider from -0.5 to 1.5: beyond A and B"));
    // One row: the panel shares its column with the Inspector on a laptop's screen.
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Path")));
    row->addWidget(mode_);
    row->addWidget(new QLabel(tr("Frames")));
    row->addWidget(frames_);
    row->addWidget(pastEnds_, 1);
    connect(mode_, &QComboBox::currentIndexChanged, this, &InterpolationPanel::settingsChanged);
    connect(frames_, &QSpinBox::valueChanged, this, &InterpolationPanel::settingsChanged);
    connect(pastEnds_, &QCheckBox::toggled, this, [this] {
        updateRange();
        Q_EMIT settingsChanged();
    });
    return row;
}

QLayout *InterpolationPanel::createButtonRow() {
    auto *row = new QHBoxLayout;
    auto button = [this, row](const QString &text, const QString &tip, auto request) {
        auto *b = new QToolButton;
        b->setText(text);
        b->setToolTip(tip);
        row->addWidget(b);
        connect(b, &QToolButton::clicked, this, request);
    };
    button(tr("Export strip…"), tr("Save the strip as a PNG"),
           &InterpolationPanel::exportStripRequested);
    button(tr("Animation…"), tr("Export the path as an MP4 video (or PNG frames)"),
           &InterpolationPanel::exportAnimationRequested);
    button(tr("Image as end…"), tr("Encode an image file and make it the next end"),
           &InterpolationPanel::openImageRequested);
    button(tr("Compare…"), tr("Interpolate the same two items with a saved model too"),
           &InterpolationPanel::compareRequested);
    button(tr("Clear"), tr("Remove the compared models"),
           &InterpolationPanel::clearComparisonsRequested);
    row->addStretch();
    return row;
}

bool InterpolationPanel::eventFilter(QObject *watched, QEvent *event) {
    if (watched == slider_ && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Right || key == Qt::Key_Up || key == Qt::Key_Left ||
            key == Qt::Key_Down) {
            stepFrames(key == Qt::Key_Right || key == Qt::Key_Up ? 1 : -1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void InterpolationPanel::stepFrames(int frames) {
    // Frame k of the strip sits at t = k / (n - 1); a t between frames goes to the next one.
    const double perFrame = 1.0 / (frames_->value() - 1);
    const double at = position() / perFrame;
    const double slack = 0.5 / kTicks / perFrame; // t on a frame, up to the slider's rounding
    const double k = frames > 0 ? std::floor(at + slack) + frames : std::ceil(at - slack) + frames;
    const double t = std::clamp(k * perFrame, double(slider_->minimum()) / kTicks,
                                double(slider_->maximum()) / kTicks);
    setPosition(t);
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

QString InterpolationPanel::endsText() const {
    return endsLabel_->text();
}

void InterpolationPanel::setPreview(const QImage &image) {
    preview_->setImage(image);
}

QImage InterpolationPanel::previewImage() const {
    return preview_->image();
}

void InterpolationPanel::setNearest(const QImage &image, const QString &text) {
    nearestImage_->setVisible(!image.isNull());
    nearestText_->setVisible(!text.isEmpty());
    nearestText_->setText(text);
    if (!image.isNull())
        nearestImage_->setPixmap(
            QPixmap::fromImage(image.scaled(24, 24, Qt::KeepAspectRatio, Qt::FastTransformation)));
}

QString InterpolationPanel::nearestText() const {
    return nearestText_->text();
}

QImage InterpolationPanel::composeStrip(const QVector<QImage> &frames) {
    if (frames.isEmpty())
        return {};
    const int w = frames.first().width(), h = frames.first().height();
    QImage strip(frames.size() * (w + 1) + 1, h + 2, QImage::Format_RGB32);
    strip.fill(QColor(64, 64, 64));
    QPainter painter(&strip);
    for (int i = 0; i < frames.size(); ++i)
        painter.drawImage(1 + i * (w + 1), 1, frames[i]);
    return strip;
}

void InterpolationPanel::setStrip(const QVector<QImage> &frames) {
    strip_ = composeStrip(frames);
    if (strip_.isNull()) {
        stripLabel_->clear();
        return;
    }
    const int width = std::max(stripLabel_->width(), 200);
    const bool magnify = strip_.width() <= width;
    stripLabel_->setPixmap(QPixmap::fromImage(
        strip_.scaledToWidth(width, magnify ? Qt::FastTransformation : Qt::SmoothTransformation)));
}

} // namespace latentlab

namespace latentlab {

void InterpolationPanel::setComparisons(const QVector<QPair<QString, QImage>> &strips) {
    auto *grid = static_cast<QGridLayout *>(comparisons_->layout());
    while (QLayoutItem *item = grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    // Each model's name over its strip, both as wide as the panel and no wider: the pictures
    // follow the panel's width and never set it (scaled to the width, they would widen it at
    // every redraw while training runs).
    const int width = std::max(stripLabel_->width(), 200);
    for (int i = 0; i < strips.size(); ++i) {
        auto *name = new QLabel(strips[i].first);
        name->setToolTip(strips[i].first);
        auto *strip = new QLabel;
        if (!strips[i].second.isNull())
            strip->setPixmap(QPixmap::fromImage(
                strips[i].second.scaledToWidth(width, Qt::SmoothTransformation)));
        else
            strip->setText(tr("(needs two data items as ends)"));
        for (QLabel *label : {name, strip})
            label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        grid->addWidget(name, 2 * i, 0);
        grid->addWidget(strip, 2 * i + 1, 0);
    }
    comparisons_->setVisible(!strips.isEmpty());
}

} // namespace latentlab
