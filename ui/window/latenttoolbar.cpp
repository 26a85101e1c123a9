#include "ui/window/latenttoolbar.h"

#include "ui/explorer/explorer.h"
#include "ui/explorer/inspectorcontroller.h"
#include "ui/explorer/manifoldcontroller.h"

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
    addToggles();
    addProjectionChoice();
    addUmapOptions();
    connect(explorer_, &Explorer::projectionChanged, this, &LatentToolBar::showProjection);
    showProjection();
}

void LatentToolBar::addToggles() {
    auto toggle = [this](const QString &text, QKeySequence key, bool on, auto *receiver,
                         auto slot) {
        QAction *a = addAction(text);
        a->setCheckable(true);
        a->setChecked(on);
        a->setShortcut(key);
        connect(a, &QAction::toggled, receiver, slot);
        return a;
    };
    addAction(tr("Fit"), QKeySequence(Qt::Key_F), explorer_, &Explorer::fitView);
    addSeparator();
    toggle(tr("Points"), QKeySequence(), true, explorer_, &Explorer::setPointsVisible);
    toggle(tr("Prior density"), QKeySequence(Qt::Key_D), true, explorer_,
           &Explorer::setDensityVisible);
    toggle(tr("Prior samples"), QKeySequence(), false, explorer_,
           &Explorer::setPriorSamplesVisible);
    manifold_ = toggle(tr("Manifold map"), QKeySequence(Qt::Key_M), false, explorer_->manifold(),
                       &ManifoldController::setVisible);
    probe_ = toggle(tr("Probe"), QKeySequence(Qt::Key_P), false, explorer_->inspector(),
                    &InspectorController::setProbeMode);
    addSeparator();
}

void LatentToolBar::addProjectionChoice() {
    addWidget(new QLabel(tr(" Show ")));
    projection_ = new QComboBox;
    projection_->setObjectName(QStringLiteral("projectionBox"));
    projection_->addItem(tr("principal components"));
    projection_->addItem(tr("dimensions"));
    projection_->addItem(tr("UMAP"));
    projection_->setItemData(2,
                             tr("A layout that keeps each item's nearest neighbours near, "
                                "following the codes while training runs"),
                             Qt::ToolTipRole);
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
}

void LatentToolBar::addUmapOptions() {
    neighbours_ = new QSpinBox;
    neighbours_->setRange(2, 200);
    neighbours_->setValue(explorer_->umapOptions().neighbours);
    neighbours_->setPrefix(tr("neighbours "));
    neighbours_->setToolTip(tr("UMAP: how many nearest codes each item keeps near it; more "
                               "keeps more of the global shape"));
    minDistance_ = new QDoubleSpinBox;
    minDistance_->setRange(0.0, 0.99);
    minDistance_->setSingleStep(0.05);
    minDistance_->setDecimals(2);
    minDistance_->setValue(explorer_->umapOptions().minDistance);
    minDistance_->setPrefix(tr("min dist "));
    minDistance_->setToolTip(tr("UMAP: how tightly points may pack; small values show clusters "
                                "more sharply"));
    neighboursAction_ = addWidget(neighbours_);
    minDistanceAction_ = addWidget(minDistance_);
    // Typing a number should not restart the layout on every digit.
    neighbours_->setKeyboardTracking(false);
    minDistance_->setKeyboardTracking(false);
    auto applyUmap = [this] {
        explorer_->setUmapOptions(neighbours_->value(), minDistance_->value());
    };
    connect(neighbours_, &QSpinBox::valueChanged, this, applyUmap);
    connect(minDistance_, &QDoubleSpinBox::valueChanged, this, applyUmap);
}

void LatentToolBar::updateEnabled() {
    const int kind = projection_->currentIndex();
    projection_->setEnabled(codeSize_ > 2);
    xDim_->setEnabled(codeSize_ > 2 && kind == 1);
    yDim_->setEnabled(codeSize_ > 2 && kind == 1);
    neighboursAction_->setVisible(kind == 2);
    minDistanceAction_->setVisible(kind == 2);
    const bool invertible = kind != 2;
    if (!invertible) {
        probe_->setChecked(false);
        manifold_->setChecked(false);
    }
    probe_->setEnabled(invertible);
    manifold_->setEnabled(invertible);
    probe_->setToolTip(invertible ? tr("Click or drag on the plot to decode the point under the "
                                       "mouse")
                                  : tr("Off under UMAP: a point of its layout is not a code"));
    manifold_->setToolTip(invertible ? tr("Decoded images tiled over the view")
                                     : tr("Off under UMAP: a point of its layout is not a code"));
}

void LatentToolBar::showProjection() {
    const QSignalBlocker b1(projection_), b2(xDim_), b3(yDim_);
    const Projection &shown = explorer_->projection();
    codeSize_ = explorer_->session() ? explorer_->session()->config().codeSize() : 2;
    projection_->setCurrentIndex(shown.kind() == Projection::Kind::Pca    ? 0
                                 : shown.kind() == Projection::Kind::Umap ? 2
                                                                          : 1);
    xDim_->setRange(0, codeSize_ - 1);
    yDim_->setRange(0, codeSize_ - 1);
    xDim_->setValue(shown.xDim());
    yDim_->setValue(shown.yDim());
    updateEnabled();
}

void LatentToolBar::applyProjection() {
    const int index = projection_->currentIndex();
    updateEnabled();
    if (index == 1 && xDim_->value() == yDim_->value())
        return; // one axis twice shows nothing; wait for the other spin box
    const Projection::Kind kind = index == 0   ? Projection::Kind::Pca
                                  : index == 2 ? Projection::Kind::Umap
                                               : Projection::Kind::Dimensions;
    explorer_->setProjection(kind, xDim_->value(), yDim_->value());
}

} // namespace latentlab
