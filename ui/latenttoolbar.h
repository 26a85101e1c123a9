#pragma once
// LatentToolBar: the latent view's controls: projection (principal components or two chosen
// dimensions), prior density and samples, points, latent probe, manifold map, fit.
// Each toggle acts on the Explorer; actions() also fill the window's View menu.

#include <QToolBar>

class QComboBox;
class QSpinBox;

namespace latentlab {

class Explorer;

class LatentToolBar : public QToolBar {
    Q_OBJECT
public:
    LatentToolBar(Explorer *explorer, QWidget *parent = nullptr);

    // Shows the projection the explorer chose for a new model of this code size.
    void syncWithModel(int codeSize);

private:
    void applyProjection();

    Explorer *explorer_;
    QComboBox *projection_;
    QSpinBox *xDim_, *yDim_;
};

} // namespace latentlab
