#pragma once
// SelectionGrid, the "Selection" dock: the pictures of the items selected on the scatter, a
// page of kPageSize at a time (Previous / Next), each captioned with its item number; a click
// on one shows the item in the Inspector. Save PNG… writes the
// selection's pictures (the first kMostInPng) as one picture grid, in the background.

#include <QVector>
#include <QWidget>

class QLabel;
class QPushButton;

namespace latentlab {

class Explorer;
class ImageGrid;
class LatentPlot;

class SelectionGrid : public QWidget {
    Q_OBJECT
public:
    static constexpr int kPageSize = 100;
    static constexpr int kMostInPng = 4096; // a 64 x 64 grid

    SelectionGrid(LatentPlot *plot, Explorer *explorer, QWidget *parent = nullptr);

    int page() const { return page_; }
    int pages() const;
    // Shows page `page` (from 0) of the selection, clamped to those there are.
    void showPage(int page);
    ImageGrid *grid() const { return grid_; }
    // The items of the page on show.
    QVector<int> pageItems() const;
    // Writes the selection's pictures, up to kMostInPng, as a PNG grid (as near square as
    // fits, in selection order, rows first) to `path` in the background; message() says when
    // it is done. Throws Error when nothing is selected.
    void savePng(const QString &path);

Q_SIGNALS:
    void message(const QString &text);

private:
    void selectionChanged();
    void askAndSavePng();

    LatentPlot *plot_;
    Explorer *explorer_;
    ImageGrid *grid_;
    QLabel *pageLabel_;
    QPushButton *previous_, *next_, *save_;
    QVector<int> items_; // the selection, ascending
    QVector<int> drawn_; // the items of the pictures on show, in order
    int page_ = 0;
};

} // namespace latentlab
