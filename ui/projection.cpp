#include "ui/projection.h"

#include "model/analysis/layout.h"

#include <torch/torch.h>

namespace latentlab {

void Projection::setDimensions(int x, int y) {
    kind_ = Kind::Dimensions;
    xDim_ = x;
    yDim_ = y;
}

void Projection::setPca() {
    kind_ = Kind::Pca;
}

void Projection::reset() {
    mean_ = torch::Tensor();
    components_ = torch::Tensor();
}

void Projection::fit(const torch::Tensor &codes) {
    if (kind_ != Kind::Pca || codes.size(0) < 3)
        return;
    auto [mean, top] = principalAxes(codes, 2);
    if (components_.defined() && components_.size(1) == top.size(1)) {
        // Keep each axis pointing the way it did, so the view does not mirror between fits.
        for (int k = 0; k < 2; ++k)
            if (top[k].dot(components_[k]).item<double>() < 0)
                top[k] = -top[k];
    }
    mean_ = mean;
    components_ = top;
}

torch::Tensor Projection::basis(int codeSize) const {
    if (kind_ == Kind::Pca && components_.defined() && components_.size(1) == codeSize)
        return components_;
    torch::Tensor b = torch::zeros({2, codeSize});
    if (xDim_ < codeSize)
        b[0][xDim_] = 1;
    if (yDim_ < codeSize)
        b[1][yDim_] = 1;
    return b;
}

torch::Tensor Projection::origin(int codeSize) const {
    if (kind_ == Kind::Pca && mean_.defined() && mean_.size(0) == codeSize)
        return mean_;
    return torch::zeros({codeSize});
}

QPointF Projection::project(const torch::Tensor &code) const {
    const int d = int(code.size(0));
    const torch::Tensor p = basis(d).mv(code.to(torch::kFloat) - origin(d));
    return {p[0].item<double>(), p[1].item<double>()};
}

void Projection::projectAll(const torch::Tensor &codes, QVector<double> &x,
                            QVector<double> &y) const {
    const int d = int(codes.size(1));
    const torch::Tensor p =
        ((codes.to(torch::kFloat) - origin(d)).mm(basis(d).t())).to(torch::kDouble).contiguous();
    const int64_t n = p.size(0);
    x.resize(int(n));
    y.resize(int(n));
    const double *data = p.data_ptr<double>();
    for (int64_t i = 0; i < n; ++i) {
        x[int(i)] = data[2 * i];
        y[int(i)] = data[2 * i + 1];
    }
}

torch::Tensor Projection::moveTo(const torch::Tensor &code, QPointF position) const {
    const int d = int(code.size(0));
    const torch::Tensor b = basis(d);
    const QPointF now = project(code);
    // The basis rows are orthonormal, so this shift changes exactly the two coordinates.
    return code.to(torch::kFloat) + b[0] * float(position.x() - now.x()) +
           b[1] * float(position.y() - now.y());
}

torch::Tensor Projection::codeAt(QPointF position, int codeSize) const {
    return moveTo(origin(codeSize).clone(), position);
}

QString Projection::axisName(int axis) const {
    if (kind_ == Kind::Pca)
        return QStringLiteral("PC%1").arg(axis + 1);
    return QStringLiteral("z%1").arg(axis == 0 ? xDim_ : yDim_);
}

} // namespace latentlab
