#include "widgets/scatter/scatterframe.h"

#include "widgets/palette.h"

#include <QColor>

#include <algorithm>

namespace latentlab {

namespace {

const QRgb kUnselected = qRgb(200, 200, 200);

} // namespace

ScatterFrame buildFrame(QVector<double> x, QVector<double> y, QVector<int> labels, int namedClasses,
                        const Colouring &colouring) {
    ScatterFrame frame;
    frame.index = PointIndex(std::move(x), std::move(y));
    frame.labels = std::move(labels);
    frame.labels.resize(frame.index.size(), -1);
    int maxLabel = -1;
    for (int l : std::as_const(frame.labels))
        maxLabel = std::max(maxLabel, l);
    const int groups = std::max(maxLabel + 1, namedClasses);
    frame.classCounts.fill(0, groups + 1);
    for (int l : std::as_const(frame.labels))
        ++frame.classCounts[l < 0 ? groups : l];
    colourFrame(frame, colouring.selected, colouring.onlySelected);
    frame.colouredFor = colouring.version;
    return frame;
}

void colourFrame(ScatterFrame &frame, const std::vector<uint8_t> &selected, bool onlySelected) {
    const int n = frame.index.size(), groups = frame.groups();
    auto isSelected = [&](int i) { return i < int(selected.size()) && selected[size_t(i)]; };
    const bool greying = std::any_of(selected.begin(), selected.end(), [](uint8_t s) { return s; });
    const bool hiding = greying && onlySelected;
    std::vector<QRgb> byLabel;
    for (int g = 0; g <= groups; ++g)
        byLabel.push_back(labelColor(g == groups ? -1 : g).rgb());
    frame.hidden.assign(hiding ? size_t(n) : 0, 0);
    if (hiding)
        for (int i = 0; i < n; ++i)
            frame.hidden[size_t(i)] = !isSelected(i);
    // In the index's order, as the picture reads them.
    const std::vector<int> &order = frame.index.order();
    const int *labels = frame.labels.constData();
    frame.colours.resize(order.size());
    for (size_t k = 0; k < order.size(); ++k) {
        const int i = order[k], l = labels[i];
        QRgb c = byLabel[size_t(l < 0 ? groups : l)];
        if (greying && !isSelected(i))
            c = hiding ? qRgba(0, 0, 0, 0) : kUnselected;
        frame.colours[k] = c;
    }
}

} // namespace latentlab
