// LatentPlot's selection: what a drag, a legend click or the Select menu does to it, and how
// a change reaches the points (grey or hidden) and the window (selectionChanged).

#include "widgets/scatter/latentplot.h"

namespace latentlab {

void LatentPlot::setSelected(const QVector<int> &indices) {
    selection_.apply(indices, Selection::Mode::Replace);
    selectionEdited();
}

void LatentPlot::invertSelection() {
    selection_.invert();
    selectionEdited();
}

void LatentPlot::selectLabel(int label, Qt::KeyboardModifiers modifiers) {
    QVector<int> items;
    for (int i = 0; i < frame_.labels.size(); ++i)
        if (frame_.labels[i] == label || (label < 0 && frame_.labels[i] < 0))
            items << i;
    selection_.apply(items, Selection::modeFor(modifiers));
    selectionEdited();
    Q_EMIT pointsSelected(selection_.items());
}

void LatentPlot::setShowOnlySelected(bool only) {
    if (only == onlySelected_)
        return;
    onlySelected_ = only;
    ++selectionVersion_;
    recolour();
    if (frame_.index.size() <= budget_)
        updateDetail();
    replot(QCustomPlot::rpQueuedReplot);
}

void LatentPlot::setTool(Tool tool) {
    tool_ = tool;
    setInteraction(QCP::iRangeDrag, tool == Tool::Pan && !probeMode_);
}

void LatentPlot::selectUnder(const QPolygonF &pixels, Qt::KeyboardModifiers modifiers) {
    QPolygonF region;
    for (const QPointF &p : pixels)
        region << toPlot(p);
    const QVector<int> items = region.size() == 2 ? frame_.index.in(QRectF(region[0], region[1]))
                                                  : frame_.index.in(region);
    selection_.apply(items, Selection::modeFor(modifiers));
    selectionEdited();
    Q_EMIT pointsSelected(selection_.items());
}

void LatentPlot::legendClicked(QCPAbstractLegendItem *item, QMouseEvent *event) {
    auto *entry = qobject_cast<QCPPlottableLegendItem *>(item);
    const int g = entry ? classGraphs_.indexOf(static_cast<QCPGraph *>(entry->plottable())) : -1;
    if (g < 0)
        return;
    selectLabel(g == classGraphs_.size() - 1 ? -1 : g, event->modifiers());
}

void LatentPlot::selectionEdited() {
    ++selectionVersion_;
    recolour();
    if (frame_.index.size() <= budget_)
        updateDetail(); // the graphs show it at once, as callers may read them
    placeMarked(selectionMarks_, selection_.count() <= 500 ? selection_.items() : QVector<int>());
    replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT selectionChanged(selection_.count());
}

} // namespace latentlab
