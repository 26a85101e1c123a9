#pragma once
// Label colours shared by every view, so a class keeps its colour across the scatter, the
// legend and the prior overlay.

#include <QColor>

namespace latentlab {

// A colour for label `index` (ten distinct hues, then repeating); grey for index < 0.
QColor labelColor(int index);

} // namespace latentlab
