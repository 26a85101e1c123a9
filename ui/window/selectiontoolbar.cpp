#include "ui/window/selectiontoolbar.h"

#include "model/error.h"
#include "ui/explorer/explorer.h"
#include "ui/window/selectiongrid.h"
#include "widgets/scatter/latentplot.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QLocale>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace latentlab {

SelectionToolBar::SelectionToolBar(LatentPlot *plot, Explorer *explorer, QStatusBar *status,
                                   QWidget *parent)
    : QToolBar(tr("Selection"), parent)
    , plot_(plot)
    , explorer_(explorer)
    , count_(new QLabel) {
    setObjectName(QStringLiteral("selectionToolBar"));
    auto *tools = new QActionGroup(this);
    auto tool = [&](const QString &text, Qt::Key key, LatentPlot::Tool which, const QString &tip) {
        QAction *a = addAction(text);
        a->setCheckable(true);
        a->setChecked(plot_->tool() == which);
        a->setShortcut(QKeySequence(key));
        a->setToolTip(tip);
        a->setActionGroup(tools);
        connect(a, &QAction::triggered, plot_, [this, which] { plot_->setTool(which); });
    };
    tool(tr("Pan"), Qt::Key_H, LatentPlot::Tool::Pan,
         tr("Drag to pan, wheel to zoom; Ctrl-drag selects a rectangle"));
    tool(tr("Rectangle"), Qt::Key_R, LatentPlot::Tool::Rectangle,
         tr("Drag a rectangle to select; Shift adds, Alt removes"));
    tool(tr("Lasso"), Qt::Key_L, LatentPlot::Tool::Lasso,
         tr("Draw around items to select them; Shift adds, Alt removes"));
    addSeparator();
    QAction *invert = addAction(tr("Invert"), plot_, &LatentPlot::invertSelection);
    invert->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    QAction *clear = addAction(tr("Clear"), plot_, [this] { plot_->setSelected({}); });
    clear->setShortcut(QKeySequence(Qt::Key_Escape));
    clear->setToolTip(tr("Select nothing: every item in its colour again"));
    QAction *only = addAction(tr("Only selected"));
    only->setCheckable(true);
    only->setToolTip(tr("Hide the items outside the selection instead of greying them"));
    connect(only, &QAction::toggled, plot_, &LatentPlot::setShowOnlySelected);
    QAction *save = addAction(tr("Export…"), this, &SelectionToolBar::exportSelection);
    save->setToolTip(tr("Write the selected items' index, label and code to a CSV file"));

    count_->setObjectName(QStringLiteral("selectionCount"));
    status->addPermanentWidget(count_);
    connect(plot_, &LatentPlot::selectionChanged, this, &SelectionToolBar::showCount);
    showCount(plot_->selectedCount());
}

SelectionToolBar *SelectionToolBar::install(QMainWindow *window, LatentPlot *plot,
                                            Explorer *explorer) {
    auto *bar = new SelectionToolBar(plot, explorer, window->statusBar(), window);
    window->addToolBar(Qt::TopToolBarArea, bar);
    // The selection's pictures, in a dock the window places beside the Inspector.
    auto *grid = new SelectionGrid(plot, explorer);
    auto *dock = new QDockWidget(tr("Selection"), window);
    dock->setObjectName(QStringLiteral("selectionDock"));
    dock->setWidget(grid);
    window->addDockWidget(Qt::RightDockWidgetArea, dock);
    connect(
        grid, &SelectionGrid::message, window->statusBar(),
        [status = window->statusBar()](const QString &text) { status->showMessage(text, 5000); });
    QAction *pictures = bar->addAction(tr("Pictures"), dock, [dock] {
        dock->show();
        dock->raise();
    });
    pictures->setToolTip(tr("Show the selected items' pictures, a page at a time"));
    QMenu *menu = window->menuBar()->addMenu(tr("&Select"));
    menu->addActions(bar->actions());
    return bar;
}

void SelectionToolBar::exportSelection() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export selection"), QStringLiteral("selection.csv"), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    try {
        explorer_->exportSelection(path);
    } catch (const Error &e) {
        QMessageBox::warning(this, tr("Export selection"), QString::fromStdString(e.what()));
    }
}

void SelectionToolBar::showCount(int count) {
    count_->setText(tr("%1 selected").arg(QLocale().toString(count)));
    count_->setVisible(count > 0);
}

} // namespace latentlab
