#include "widgets/directionspanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace latentlab {

namespace {
constexpr int kTicks = 100; // slider ticks per step along a direction
constexpr int kPreviewSide = 64;
} // namespace

DirectionsPanel::DirectionsPanel(QWidget *parent)
    : QWidget(parent) {
    list_ = new QListWidget;
    list_->setMaximumHeight(56);
    auto *remove = new QPushButton(tr("Remove"));
    auto *layout = new QVBoxLayout(this);
    auto *listRow = new QHBoxLayout;
    listRow->addWidget(list_, 1);
    listRow->addWidget(remove, 0, Qt::AlignTop);
    layout->addLayout(listRow);
    // What a person uses most comes first (the slider and its picture), so that it is in view
    // in a short dock; making new directions is below.
    layout->addLayout(createMoveRows());
    layout->addLayout(createNewRows());
    layout->addStretch();

    connect(remove, &QPushButton::clicked, this, [this] {
        if (list_->currentRow() >= 0)
            Q_EMIT removeRequested(list_->currentRow());
    });
    connect(list_, &QListWidget::currentRowChanged, this,
            &DirectionsPanel::currentDirectionChanged);
    setClassNames({});
    setSelectionCounts(0, 0);
}

QLayout *DirectionsPanel::createMoveRows() {
    amount_ = new QSlider(Qt::Horizontal);
    amount_->setObjectName(QStringLiteral("directionSlider"));
    amount_->setRange(-3 * kTicks, 3 * kTicks);
    amountLabel_ = new QLabel;
    amountLabel_->setMinimumWidth(70);
    previewLabel_ = new QLabel;
    previewLabel_->setFixedSize(kPreviewSide, kPreviewSide);
    previewLabel_->setAlignment(Qt::AlignCenter);
    previewLabel_->setStyleSheet(QStringLiteral("background: black;"));
    caption_ = new QLabel(tr("Click an item on the scatter, choose a direction, and drag."));
    caption_->setWordWrap(true);
    auto *sliderRow = new QHBoxLayout;
    sliderRow->addWidget(amount_, 1);
    sliderRow->addWidget(amountLabel_);
    auto *moved = new QVBoxLayout;
    moved->addLayout(sliderRow);
    moved->addWidget(caption_, 1);
    auto *previewRow = new QHBoxLayout;
    previewRow->addWidget(previewLabel_);
    previewRow->addLayout(moved, 1);
    connect(amount_, &QSlider::valueChanged, this, [this] {
        amountLabel_->setText(tr("%1 steps").arg(amount(), 0, 'f', 2));
        Q_EMIT amountChanged(amount());
    });
    amountLabel_->setText(tr("%1 steps").arg(0.0, 0, 'f', 2));
    return previewRow;
}

QLayout *DirectionsPanel::createNewRows() {
    fromClass_ = new QComboBox;
    toClass_ = new QComboBox;
    addClass_ = new QPushButton(tr("Add"));
    addClass_->setToolTip(tr("From the mean code of one class to that of another: one step "
                             "moves a code by the difference of the means"));
    useFrom_ = new QPushButton;
    useTo_ = new QPushButton;
    for (QPushButton *use : {useFrom_, useTo_})
        use->setToolTip(tr("Ctrl-drag a rectangle on the scatter to select items, then keep "
                           "the selection here"));
    addSelection_ = new QPushButton(tr("Add"));
    principalCount_ = new QSpinBox;
    principalCount_->setRange(1, 10);
    principalCount_->setValue(3);
    principalCount_->setPrefix(tr("first "));
    auto *addPrincipal = new QPushButton(tr("Add"));
    addPrincipal->setToolTip(tr("The directions in which the codes spread most (one step is "
                                "one standard deviation)"));
    auto pair = [](QWidget *from, QWidget *to) {
        auto *row = new QHBoxLayout;
        row->addWidget(from, 1);
        row->addWidget(new QLabel(QStringLiteral("→")));
        row->addWidget(to, 1);
        return row;
    };
    // New directions: one row each, the Add buttons in a column (no box: the dock is short).
    auto *add = new QGridLayout;
    add->addWidget(new QLabel(tr("New from classes")), 0, 0);
    add->addLayout(pair(fromClass_, toClass_), 0, 1);
    add->addWidget(addClass_, 0, 2);
    add->addWidget(new QLabel(tr("selections")), 1, 0, Qt::AlignRight);
    add->addLayout(pair(useFrom_, useTo_), 1, 1);
    add->addWidget(addSelection_, 1, 2);
    add->addWidget(new QLabel(tr("spread")), 2, 0, Qt::AlignRight);
    add->addWidget(principalCount_, 2, 1, Qt::AlignLeft);
    add->addWidget(addPrincipal, 2, 2);
    add->setColumnStretch(1, 1);

    connect(addClass_, &QPushButton::clicked, this, [this] {
        Q_EMIT classDirectionRequested(fromClass_->currentIndex(), toClass_->currentIndex());
    });
    connect(useFrom_, &QPushButton::clicked, this, [this] { Q_EMIT useSelectionAs(0); });
    connect(useTo_, &QPushButton::clicked, this, [this] { Q_EMIT useSelectionAs(1); });
    connect(addSelection_, &QPushButton::clicked, this,
            &DirectionsPanel::selectionDirectionRequested);
    connect(addPrincipal, &QPushButton::clicked, this,
            [this] { Q_EMIT principalDirectionsRequested(principalCount_->value()); });
    return add;
}

void DirectionsPanel::setClassNames(const QStringList &names) {
    for (QComboBox *box : {fromClass_, toClass_}) {
        box->clear();
        box->addItems(names);
        box->setEnabled(!names.isEmpty());
    }
    if (names.size() > 1)
        toClass_->setCurrentIndex(1);
    addClass_->setEnabled(names.size() > 1);
    addClass_->setToolTip(names.isEmpty() ? tr("The data has no labels") : addClass_->toolTip());
}

void DirectionsPanel::setDirections(const QStringList &names) {
    const int row = list_->currentRow();
    list_->clear();
    list_->addItems(names);
    if (!names.isEmpty())
        list_->setCurrentRow(std::clamp(row, 0, int(names.size()) - 1));
}

void DirectionsPanel::setCurrentDirection(int row) {
    list_->setCurrentRow(row);
}

int DirectionsPanel::currentDirection() const {
    return list_->currentRow();
}

QStringList DirectionsPanel::directionNames() const {
    QStringList names;
    for (int i = 0; i < list_->count(); ++i)
        names << list_->item(i)->text();
    return names;
}

void DirectionsPanel::setSelectionCounts(int from, int to) {
    useFrom_->setText(tr("selection as from (%1)").arg(from));
    useTo_->setText(tr("as to (%1)").arg(to));
    addSelection_->setEnabled(from > 0 && to > 0);
}

double DirectionsPanel::amount() const {
    return double(amount_->value()) / kTicks;
}

void DirectionsPanel::setAmount(double amount) {
    amount_->setValue(int(std::lround(amount * kTicks)));
}

void DirectionsPanel::setPreview(const QImage &image, const QString &caption) {
    preview_ = image;
    if (image.isNull())
        previewLabel_->clear();
    else
        previewLabel_->setPixmap(QPixmap::fromImage(
            image.scaled(kPreviewSide, kPreviewSide, Qt::KeepAspectRatio, Qt::FastTransformation)));
    caption_->setText(caption);
}

QString DirectionsPanel::previewCaption() const {
    return caption_->text();
}

} // namespace latentlab
