#include "ui/explorer/lossfeed.h"

#include "model/io/export.h"
#include "ui/session/trainingsession.h"
#include "widgets/lossplot.h"

#include <QStringList>

namespace latentlab {

LossFeed::LossFeed(LossPlot *plot, QObject *parent)
    : QObject(parent)
    , plot_(plot) {
    later_.setObjectName(QStringLiteral("lossRedrawTimer")); // the name in profiles (the soak)
    later_.setSingleShot(true);
    later_.setInterval(30);
    connect(&later_, &QTimer::timeout, this, &LossFeed::redraw);
}

void LossFeed::setNames(const std::vector<std::string> &names) {
    QStringList list;
    for (const auto &name : names)
        list << QString::fromStdString(name);
    plot_->setNames(list);
}

void LossFeed::showTable(const LossTable &table, int64_t upToStep) {
    setNames(table.names);
    for (size_t row = 0; row < table.steps.size() && table.steps[row] <= upToStep; ++row)
        plot_->append(double(table.steps[row]),
                      QVector<double>(table.values[row].begin(), table.values[row].end()));
    redraw();
}

void LossFeed::append(const std::vector<LossRecord> &rows, bool playing, bool scatterRedraws) {
    for (const LossRecord &r : rows)
        plot_->append(double(r.step), QVector<double>(r.values.begin(), r.values.end()));
    if (playing && age_.isValid() && age_.elapsed() < 250)
        return;
    if (playing && scatterRedraws) {
        if (!later_.isActive())
            later_.start();
    } else {
        later_.stop();
        redraw();
    }
}

void LossFeed::redraw() {
    plot_->refresh();
    age_.start();
}

} // namespace latentlab
