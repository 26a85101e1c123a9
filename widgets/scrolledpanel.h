#pragma once
// ScrolledPanel: a panel in a dock that scrolls up and down where the dock is shorter than the
// panel's own minimum, so that docks stacked in a column need not add up to more than a
// laptop's screen. Across, the dock stays at least as wide as the panel's minimum (a form cut
// at the side is worse than a narrower scatter), also when the panel widens later; the panel's
// other layout changes (a label's new text) stop here instead of laying out the whole window.
// GUI thread only.

#include <QScrollArea>

namespace latentlab {

class ScrolledPanel : public QScrollArea {
public:
    explicit ScrolledPanel(QWidget *panel, QWidget *parent = nullptr);
    QSize minimumSizeHint() const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    int minimumWidth_ = 0;
};

} // namespace latentlab
