#pragma once
// ScatterFrame: what LatentPlot needs of a new set of points before it can draw them: the grid
// index, the labels and how many points each has, and each point's colour in the density
// picture. buildFrame() touches no widget, so at a million points (about 50 ms on one core,
// most of it the index's counting sort) the window builds it on a worker thread and the GUI
// thread only swaps it in (LatentPlot::showFrame, Explorer::showPoints).

#include "widgets/scatter/pointindex.h"

#include <QRgb>
#include <QVector>

#include <cstdint>
#include <vector>

namespace latentlab {

struct ScatterFrame {
    PointIndex index;
    QVector<int> labels;         // one per point; -1: unlabelled
    QVector<int> classCounts;    // points per label 0..g-1, then the unlabelled ones
    std::vector<QRgb> colours;   // in the index's order (position k: item index.order()[k])
    std::vector<uint8_t> hidden; // per item, non-zero: not drawn (empty: none is hidden)
    uint64_t colouredFor = 0;    // the Colouring::version the colours are for

    // The label groups, without the unlabelled one.
    int groups() const { return int(classCounts.size()) - 1; }
};

// How the points are coloured, as LatentPlot::colouring() gives it: the selection's mask (one
// byte per item, non-zero where selected; empty: no selection), whether only the selection is
// drawn, and which edit of the two this is.
struct Colouring {
    std::vector<uint8_t> selected;
    bool onlySelected = false;
    uint64_t version = 0;
};

// Labels beyond the points are dropped, missing ones are -1; there are at least
// `namedClasses` groups.
ScatterFrame buildFrame(QVector<double> x, QVector<double> y, QVector<int> labels, int namedClasses,
                        const Colouring &colouring);

// Each point's colour in the picture: its label's, grey when a selection leaves it out, or
// transparent and hidden when only the selection is shown.
void colourFrame(ScatterFrame &frame, const std::vector<uint8_t> &selected, bool onlySelected);

} // namespace latentlab
