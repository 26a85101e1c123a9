#include "ui/explorer/projection.h"

#include "model/analysis/layout.h"
#include "model/error.h"

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

void Projection::setUmap() {
    kind_ = Kind::Umap;
}

void Projection::reset() {
    mean_ = torch::Tensor();
    components_ = torch::Tensor();
    layoutCodes_ = torch::Tensor();
    layout_ = torch::Tensor();
}

void Projection::setLayout(const torch::Tensor &codes, const torch::Tensor &layout) {
    layoutCodes_ = codes.to(torch::kFloat).contiguous();
    layout_ = layout.to(torch::kFloat).contiguous();
}

bool Projection::hasLayout(int64_t items) const {
    return kind_ == Kind::Umap && layout_.defined() && layout_.size(0) == items;
}

bool Projection::usesLayout(int codeSize) const {
    return kind_ == Kind::Umap && layout_.defined() && layoutCodes_.size(1) == codeSize;
}

torch::Tensor Projection::place(const torch::Tensor &codes) const {
    // Inverse-distance weights over the nearest items, as UMAP's own transform starts new
    // points: a code equal to an item's lands on it, one between items lands between them.
    const int k = int(std::min<int64_t>(10, layoutCodes_.size(0)));
    auto [index, distance] = nearestNeighbours(layoutCodes_, codes.to(torch::kFloat), k);
    const torch::Tensor w = 1.0 / (distance.square() + 1e-12);
    const torch::Tensor places = layout_.index_select(0, index.flatten()).view({-1, k, 2});
    return (places * w.unsqueeze(2)).sum(1) / w.sum(1, true);
}

void Projection::fit(const torch::Tensor &codes) {
    // Under UMAP the principal components only stand in until the first layout comes; after
    // that each snapshot would fit them for nothing.
    if (kind_ == Kind::Dimensions || codes.size(0) < 3 ||
        (kind_ == Kind::Umap && layout_.defined()))
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
    if (kind_ != Kind::Dimensions && components_.defined() && components_.size(1) == codeSize)
        return components_;
    torch::Tensor b = torch::zeros({2, codeSize});
    if (xDim_ < codeSize)
        b[0][xDim_] = 1;
    if (yDim_ < codeSize)
        b[1][yDim_] = 1;
    return b;
}

torch::Tensor Projection::origin(int codeSize) const {
    if (kind_ != Kind::Dimensions && mean_.defined() && mean_.size(0) == codeSize)
        return mean_;
    return torch::zeros({codeSize});
}

QPointF Projection::project(const torch::Tensor &code) const {
    const int d = int(code.size(0));
    if (usesLayout(d)) {
        const torch::Tensor p = place(code.unsqueeze(0))[0];
        return {p[0].item<double>(), p[1].item<double>()};
    }
    const torch::Tensor p = basis(d).mv(code.to(torch::kFloat) - origin(d));
    return {p[0].item<double>(), p[1].item<double>()};
}

torch::Tensor Projection::coordinates(const torch::Tensor &codes) const {
    const int d = int(codes.size(1));
    const torch::Tensor p =
        usesLayout(d) ? place(codes) : (codes.to(torch::kFloat) - origin(d)).mm(basis(d).t());
    return p.to(torch::kDouble).contiguous();
}

namespace {

void split(const torch::Tensor &p, QVector<double> &x, QVector<double> &y) {
    const int64_t n = p.size(0);
    x.resize(int(n));
    y.resize(int(n));
    const double *data = p.data_ptr<double>();
    for (int64_t i = 0; i < n; ++i) {
        x[int(i)] = data[2 * i];
        y[int(i)] = data[2 * i + 1];
    }
}

} // namespace

void Projection::projectAll(const torch::Tensor &codes, QVector<double> &x,
                            QVector<double> &y) const {
    split(coordinates(codes), x, y);
}

QVector<QPointF> Projection::projectAll(const torch::Tensor &codes) const {
    const torch::Tensor p = coordinates(codes);
    QVector<QPointF> points(int(p.size(0)));
    const double *data = p.data_ptr<double>();
    for (int i = 0; i < points.size(); ++i)
        points[i] = QPointF(data[2 * i], data[2 * i + 1]);
    return points;
}

void Projection::projectItems(const torch::Tensor &codes, QVector<double> &x,
                              QVector<double> &y) const {
    if (hasLayout(codes.size(0)))
        split(layout_.to(torch::kDouble).contiguous(), x, y);
    else
        projectAll(codes, x, y);
}

torch::Tensor Projection::moveTo(const torch::Tensor &code, QPointF position) const {
    if (!invertible())
        throw Error("a point of a UMAP layout is not a code: choose principal components or "
                    "dimensions to move a code in the view.");
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
    if (kind_ == Kind::Umap)
        return QStringLiteral("UMAP %1").arg(axis + 1);
    if (kind_ == Kind::Pca)
        return QStringLiteral("PC%1").arg(axis + 1);
    return QStringLiteral("z%1").arg(axis == 0 ? xDim_ : yDim_);
}

} // namespace latentlab
