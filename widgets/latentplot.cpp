#include "widgets/latentplot.h"

#include "widgets/palette.h"

namespace latentlab {

LatentPlot::LatentPlot(QWidget *parent)
    : QCustomPlot(parent) {
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    density_ = new QCPColorMap(xAxis, yAxis);
    QCPColorGradient gradient;
    gradient.setColorStopAt(0.0, QColor(255, 255, 255));
    gradient.setColorStopAt(1.0, QColor(150, 170, 205));
    density_->setGradient(gradient);
    density_->setInterpolate(true);
    density_->setVisible(false);
    density_->setName(tr("prior density"));
    density_->removeFromLegend();
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setBrush(QColor(255, 255, 255, 210));
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    setAxisLabels(QStringLiteral("z0"), QStringLiteral("z1"));
}

void LatentPlot::setAxisLabels(const QString &x, const QString &y) {
    xAxis->setLabel(x);
    yAxis->setLabel(y);
}

void LatentPlot::setPoints(const QVector<double> &x, const QVector<double> &y,
                           const QVector<int> &labels, const QStringList &classNames) {
    int maxLabel = -1;
    for (int l : labels)
        maxLabel = std::max(maxLabel, l);
    const int groups = std::max<int>(maxLabel + 1, classNames.size());
    // One graph per label, plus one for unlabelled points at the end.
    QVector<QVector<double>> gx(groups + 1), gy(groups + 1);
    for (int i = 0; i < x.size(); ++i) {
        const int g = labels.value(i, -1) < 0 ? groups : labels[i];
        gx[g].append(x[i]);
        gy[g].append(y[i]);
    }
    while (classGraphs_.size() < groups + 1) {
        QCPGraph *graph = addGraph();
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setAdaptiveSampling(true);
        classGraphs_.append(graph);
    }
    while (classGraphs_.size() > groups + 1)
        removeGraph(classGraphs_.takeLast());
    for (int g = 0; g <= groups; ++g) {
        QCPGraph *graph = classGraphs_[g];
        const QColor c = labelColor(g == groups ? -1 : g);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, 4));
        graph->setName(g == groups ? tr("unlabelled") : classNames.value(g, QString::number(g)));
        graph->setData(gx[g], gy[g], true);
        if (gx[g].isEmpty())
            graph->removeFromLegend();
        else
            graph->addToLegend();
    }
    pointCount_ = x.size();
}

void LatentPlot::setDensity(int nx, int ny, const QCPRange &xRange, const QCPRange &yRange,
                            const QVector<double> &values) {
    density_->data()->setSize(nx, ny);
    density_->data()->setRange(xRange, yRange);
    double top = 0;
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            const double v = values.value(j * nx + i);
            density_->data()->setCell(i, j, v);
            top = std::max(top, v);
        }
    density_->setDataRange(QCPRange(0, top > 0 ? top : 1));
    density_->setVisible(true);
}

void LatentPlot::clearDensity() {
    density_->setVisible(false);
}

void LatentPlot::fitAll() {
    rescaleAxes(true);
    xAxis->scaleRange(1.05, xAxis->range().center());
    yAxis->scaleRange(1.05, yAxis->range().center());
}

} // namespace latentlab
