#pragma once
// Projection: how codes of any size become the two coordinates of the latent view. Either two
// chosen dimensions, the first two principal components of the shown codes (refitted as the
// codes move, with signs kept from one fit to the next, so the picture does not flip), or a
// UMAP layout of the shown items computed elsewhere (ui/explorer/layoutworker.h) and handed in.
// Interpolation always happens in the full code space; only drawing goes through here.
//
// Dimensions and principal components are linear and can be inverted: a point of the view is
// a code (the probe, the manifold map, dragging an interpolation end). A UMAP layout cannot:
// other codes (an interpolation path) are placed among their nearest items, and invertible()
// is false. Until its first layout arrives, UMAP shows the principal components it starts
// from.

#include <QPointF>
#include <QString>
#include <QVector>

#include <torch/types.h>

namespace latentlab {

class Projection {
public:
    enum class Kind { Dimensions, Pca, Umap };

    void setDimensions(int x, int y);
    void setPca();
    void setUmap();
    Kind kind() const { return kind_; }
    // A point of the view is a code (not so for UMAP): moveTo() and codeAt() may be used.
    bool invertible() const { return kind_ != Kind::Umap; }
    int xDim() const { return xDim_; }
    int yDim() const { return yDim_; }

    // For PCA (and UMAP until its layout comes): fits the mean and the two leading directions of
    // codes [N, D]. No-op otherwise.
    void fit(const torch::Tensor &codes);
    // UMAP: `layout` [N, 2] places the items whose codes are `codes` [N, D].
    void setLayout(const torch::Tensor &codes, const torch::Tensor &layout);
    // UMAP: a layout for `items` items is there (else the principal components are shown).
    bool hasLayout(int64_t items) const;
    // UMAP: the codes the layout is of (undefined before one came).
    const torch::Tensor &layoutCodes() const { return layoutCodes_; }
    // Forgets the fit and the layout (a new model).
    void reset();

    QPointF project(const torch::Tensor &code) const; // [D]
    // Codes [N, D]; under UMAP each placed among its nearest items.
    void projectAll(const torch::Tensor &codes, QVector<double> &x, QVector<double> &y) const;
    QVector<QPointF> projectAll(const torch::Tensor &codes) const;
    // The shown items, whose codes are [N, D]: under UMAP with a layout of N items, their
    // places in it; else projectAll().
    void projectItems(const torch::Tensor &codes, QVector<double> &x, QVector<double> &y) const;
    // `code` moved within the view's plane so that it projects to `position`. Throws Error
    // when the projection is not invertible().
    torch::Tensor moveTo(const torch::Tensor &code, QPointF position) const;
    // A code that projects to `position`: the mean (PCA) or zeros (dimensions) moved there.
    // Throws Error when the projection is not invertible().
    torch::Tensor codeAt(QPointF position, int codeSize) const;

    QString axisName(int axis) const; // "z3", "PC1" or "UMAP 1"

private:
    torch::Tensor basis(int codeSize) const;  // [2, D]
    torch::Tensor origin(int codeSize) const; // [D]
    bool usesLayout(int codeSize) const;
    // UMAP: codes [Q, D] placed among their nearest items, [Q, 2].
    torch::Tensor place(const torch::Tensor &codes) const;
    torch::Tensor coordinates(const torch::Tensor &codes) const; // [N, 2] double

    Kind kind_ = Kind::Dimensions;
    int xDim_ = 0, yDim_ = 1;
    torch::Tensor mean_, components_;    // PCA: [D], [2, D]
    torch::Tensor layoutCodes_, layout_; // UMAP: [N, D], [N, 2]
};

} // namespace latentlab
