#pragma once
// SelectionToolBar: how the mouse selects on the scatter (pan, rectangle, lasso), what to do
// with the selection (invert, clear, show only it, export it, its pictures in the Selection dock:
// ui/window/selectiongrid.h), and its count in the status bar. The
// selection itself lives on the LatentPlot (widgets/scatter/selection.h); Shift adds to it and
// Alt removes from it with either tool, and a click on a class in the legend selects the class.

#include <QToolBar>

class QLabel;
class QMainWindow;
class QStatusBar;

namespace latentlab {

class Explorer;
class LatentPlot;

class SelectionToolBar : public QToolBar {
    Q_OBJECT
public:
    SelectionToolBar(LatentPlot *plot, Explorer *explorer, QStatusBar *status,
                     QWidget *parent = nullptr);
    // A toolbar on `window` for `plot`, its actions also in a new Select menu, its count in
    // the window's status bar.
    static SelectionToolBar *install(QMainWindow *window, LatentPlot *plot, Explorer *explorer);

private:
    void showCount(int count);
    // Asks for a file and writes the selected items' index, label and code to it.
    void exportSelection();

    LatentPlot *plot_;
    Explorer *explorer_;
    QLabel *count_;
};

} // namespace latentlab
