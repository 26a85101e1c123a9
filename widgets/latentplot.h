#pragma once
// LatentPlot: a QCustomPlot that shows 2-D latent codes as a scatter coloured by label, over a
// shaded map of the prior's density. It knows nothing of torch: callers hand it plain vectors.
// GUI thread only.

#include "widgets/qcp.h"
#include <QStringList>
#include <QVector>

namespace latentlab {

class LatentPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit LatentPlot(QWidget *parent = nullptr);

    // Points with their labels (-1: unlabelled). classNames names labels 0..n-1 in the legend.
    void setPoints(const QVector<double> &x, const QVector<double> &y, const QVector<int> &labels,
                   const QStringList &classNames);
    // Density on an nx by ny grid covering xRange x yRange, row-major from the bottom-left.
    void setDensity(int nx, int ny, const QCPRange &xRange, const QCPRange &yRange,
                    const QVector<double> &values);
    void clearDensity();
    void setAxisLabels(const QString &x, const QString &y);
    // Fits the axes to the points and the density map.
    void fitAll();

    int pointCount() const { return pointCount_; }

private:
    QCPColorMap *density_ = nullptr;
    QVector<QCPGraph *> classGraphs_;
    int pointCount_ = 0;
};

} // namespace latentlab
