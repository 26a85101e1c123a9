#include "ui/latenttoolbar.h"

#include "ui/explorer.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

namespace latentlab {

LatentToolBar::LatentToolBar(Explorer *explorer, QWidget *parent)
    : QToolBar(tr("Latent view"), parent)
    , explorer_(explorer) {
    setObjectName(QStringLiteral("latentToolBar"));
    auto toggle = [this](const QString &text, QKeySequence key, bool on, auto slot) {
        QAction *a = addAction(text);
        a->setCheckable(true);
        a->setChecked(on);
        a->setShortcut(key);
        connect(a, &QAction::toggled, explorer_, slot);
        return a;
    };
    addAction(tr("Fit"), QKeySequence(Qt::Key_F), explorer_, &Explorer::fitView);
    addSeparator();
    toggle(tr("Points"), QKeySequence(), true, &Explorer::setPointsVisible);
    toggle(tr("Prior density"), QKeySequence(Qt::Key_D), true, &Explorer::setDensityVisible);
    toggle(tr("Prior samples"), QKeySequence(), false, &Explorer::setPriorSamplesVisible);
    toggle(tr("Manifold map"), QKeySequence(Qt::Key_M), false, &Explorer::setManifoldVisible);
    QAction *probe = toggle(tr("Probe"), QKeySequence(Qt::Key_P), false, &Explorer::setProbeMode);
    probe->setToolTip(tr("Click or drag on the plot to decode the point under the mouse"));
    addSeparator();

    addWidget(new QLabel(tr(" Show ")));
    projection_ = new QComboBox;
    projection_->addItem(tr("principal components"));
    projection_->addItem(tr("dimensions"));
    addWidget(projection_);
    xDim_ = new QSpinBox;
    yDim_ = new QSpinBox;
    xDim_->setPrefix(QStringLiteral("x: z"));
    yDim_->setPrefix(QStringLiteral("y: z"));
    addWidget(xDim_);
    addWidget(yDim_);
    connect(projection_, &QComboBox::currentIndexChanged, this, &LatentToolBar::applyProjection);
    connect(xDim_, &QSpinBox::valueChanged, this, &LatentToolBar::applyProjection);
    connect(yDim_, &QSpinBox::valueChanged, this, &LatentToolBar::applyProjection);
    syncWithModel(2);
}

void LatentToolBar::syncWithModel(int codeSize) {
    const QSignalBlocker b1(projection_), b2(xDim_), b3(yDim_);
    projection_->setCurrentIndex(codeSize > 2 ? 0 : 1);
    xDim_->setRange(0, codeSize - 1);
    yDim_->setRange(0, codeSize - 1);
    xDim_->setValue(0);
    yDim_->setValue(std::min(1, codeSize - 1));
    projection_->setEnabled(codeSize > 2);
    xDim_->setEnabled(codeSize > 2 && projection_->currentIndex() == 1);
    yDim_->setEnabled(codeSize > 2 && projection_->currentIndex() == 1);
}

void LatentToolBar::applyProjection() {
    const bool pca = projection_->currentIndex() == 0;
    xDim_->setEnabled(!pca);
    yDim_->setEnabled(!pca);
    if (!pca && xDim_->value() == yDim_->value())
        return; // one axis twice shows nothing; wait for the other spin box
    explorer_->setProjection(pca, xDim_->value(), yDim_->value());
}

} // namespace latentlab
