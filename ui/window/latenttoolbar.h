#pragma once
// LatentToolBar: the latent view's controls: projection (principal components, two chosen
// dimensions, or UMAP with its neighbours and minimum distance), prior density and samples,
// points, latent probe, manifold map, fit. The probe and the manifold map decode points of
// the view, so they are off under UMAP, whose points are not codes.
// Each toggle acts on the Explorer; actions() also fill the window's View menu.

#include <QToolBar>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace latentlab {

class Explorer;

class LatentToolBar : public QToolBar {
    Q_OBJECT
public:
    LatentToolBar(Explorer *explorer, QWidget *parent = nullptr);

private:
    // Fit, and the toggles of what the scatter shows (points, prior, manifold map, probe).
    void addToggles();
    // What the view shows: principal components, two dimensions, or UMAP.
    void addProjectionChoice();
    // UMAP's neighbours and minimum distance, shown under UMAP only.
    void addUmapOptions();
    // Shows the explorer's projection (Explorer::projectionChanged): the explorer holds it,
    // the toolbar only shows it and asks for another.
    void showProjection();
    void applyProjection();
    void updateEnabled();

    Explorer *explorer_;
    QComboBox *projection_;
    QSpinBox *xDim_, *yDim_;
    QSpinBox *neighbours_;
    QDoubleSpinBox *minDistance_;
    QAction *probe_, *manifold_;
    QAction *neighboursAction_,
        *minDistanceAction_; // a toolbar shows or hides its widgets' actions
    int codeSize_ = 2;
};

} // namespace latentlab
