#include "widgets/lossplot.h"

#include "widgets/palette.h"

namespace latentlab {

LossPlot::LossPlot(QWidget *parent)
    : QCustomPlot(parent) {
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    xAxis->setLabel(tr("step"));
    setMinimumHeight(90);
    // Curves as one polyline each: the plot redraws several times a second during training,
    // and anti-aliased segments cost the GUI thread far more.
    setPlottingHint(QCP::phFastPolylines, true);
}

QSize LossPlot::sizeHint() const {
    return {QCustomPlot::sizeHint().width(), 120};
}

void LossPlot::setNames(const QStringList &names) {
    clearGraphs();
    for (int i = 0; i < names.size(); ++i) {
        QCPGraph *g = addGraph();
        g->setName(names[i]);
        g->setPen(QPen(labelColor(i), 1.5));
        g->setAdaptiveSampling(true);
    }
    ema_.fill(0, names.size());
    hasEma_ = false;
}

void LossPlot::append(double step, const QVector<double> &values) {
    const int n = std::min<int>(graphCount(), values.size());
    for (int i = 0; i < n; ++i) {
        ema_[i] = hasEma_ ? kSmoothing * ema_[i] + (1 - kSmoothing) * values[i] : values[i];
        graph(i)->addData(step, ema_[i]);
    }
    hasEma_ = true;
}

void LossPlot::setLogScale(bool on) {
    yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on)
        yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else
        yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    refresh();
}

void LossPlot::refresh() {
    rescaleAxes();
    replot(QCustomPlot::rpQueuedReplot);
}

} // namespace latentlab
