#pragma once
// Projection: how codes of any size become the two coordinates of the latent view. Either two
// chosen dimensions, or the first two principal components of the shown codes, refitted as the
// codes move (with signs kept from one fit to the next, so the picture does not flip).
// Interpolation always happens in the full code space; only drawing goes through here.

#include <QPointF>
#include <QString>
#include <QVector>

#include <torch/types.h>

namespace latentlab {

class Projection {
public:
    enum class Kind { Dimensions, Pca };

    void setDimensions(int x, int y);
    void setPca();
    Kind kind() const { return kind_; }
    int xDim() const { return xDim_; }
    int yDim() const { return yDim_; }

    // For PCA: fits the mean and the two leading directions of codes [N, D]. No-op otherwise.
    void fit(const torch::Tensor &codes);
    // Forgets the fit (a new model).
    void reset();

    QPointF project(const torch::Tensor &code) const; // [D]
    void projectAll(const torch::Tensor &codes, QVector<double> &x, QVector<double> &y) const;
    // `code` moved within the view's plane so that it projects to `position`.
    torch::Tensor moveTo(const torch::Tensor &code, QPointF position) const;
    // A code that projects to `position`: the mean (PCA) or zeros (dimensions) moved there.
    torch::Tensor codeAt(QPointF position, int codeSize) const;

    QString axisName(int axis) const; // "z3" or "PC1"

private:
    torch::Tensor basis(int codeSize) const;  // [2, D]
    torch::Tensor origin(int codeSize) const; // [D]

    Kind kind_ = Kind::Dimensions;
    int xDim_ = 0, yDim_ = 1;
    torch::Tensor mean_, components_; // PCA: [D], [2, D]
};

} // namespace latentlab
