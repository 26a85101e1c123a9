#pragma once
// LossPlot: one curve per loss against the step, smoothed with an exponential moving average,
// linear or log scale. GUI thread only.

#include "widgets/qcp.h"

#include <QStringList>
#include <QVector>

namespace latentlab {

class LossPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit LossPlot(QWidget *parent = nullptr);

    // Starts afresh with these losses.
    void setNames(const QStringList &names);
    // One step's values, in the order of the names.
    void append(double step, const QVector<double> &values);
    void setLogScale(bool on);
    void refresh(); // rescales and schedules a coalesced replot

    int pointCount() const { return graphCount() ? graph(0)->dataCount() : 0; }

    // 120 px tall where the window has room, down to 90 px where it has not (a laptop's screen).
    QSize sizeHint() const override;

private:
    static constexpr double kSmoothing = 0.9; // the weight of the running average
    QVector<double> ema_;
    bool hasEma_ = false;
};

} // namespace latentlab
