#include "widgets/scrolledpanel.h"

#include <QEvent>
#include <QScrollBar>

namespace latentlab {

ScrolledPanel::ScrolledPanel(QWidget *panel, QWidget *parent)
    : QScrollArea(parent) {
    setWidget(panel);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    minimumWidth_ = panel->minimumSizeHint().width();
}

QSize ScrolledPanel::minimumSizeHint() const {
    return {minimumWidth_ + verticalScrollBar()->sizeHint().width(),
            QScrollArea::minimumSizeHint().height()};
}

bool ScrolledPanel::eventFilter(QObject *watched, QEvent *event) {
    const bool handled = QScrollArea::eventFilter(watched, event);
    if (watched == widget() && event->type() == QEvent::LayoutRequest) {
        // The panel widened (a longer label, a row shown): the dock follows its minimum.
        const int width = widget()->minimumSizeHint().width();
        if (width != minimumWidth_) {
            minimumWidth_ = width;
            updateGeometry();
        }
    }
    return handled;
}

} // namespace latentlab
