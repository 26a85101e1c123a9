#include "widgets/palette.h"

namespace latentlab {

QColor labelColor(int index) {
    // Ten hues that stay apart for common colour-vision deficiencies (the "tab10" set).
    static const QColor colors[] = {
        QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
        QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127),
        QColor(188, 189, 34),  QColor(23, 190, 207)};
    if (index < 0)
        return QColor(160, 160, 160);
    return colors[index % 10];
}

} // namespace latentlab
