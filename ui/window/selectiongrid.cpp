#include "ui/window/selectiongrid.h"

#include "model/error.h"
#include "ui/explorer/explorer.h"
#include "ui/explorer/inspectorcontroller.h"
#include "ui/figures/imageconvert.h"
#include "ui/session/sessionhost.h"
#include "ui/threads/backgroundtasks.h"
#include "widgets/imagegrid.h"
#include "widgets/scatter/latentplot.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <torch/torch.h>

#include <cmath>

namespace latentlab {

SelectionGrid::SelectionGrid(LatentPlot *plot, Explorer *explorer, QWidget *parent)
    : QWidget(parent)
    , plot_(plot)
    , explorer_(explorer)
    , grid_(new ImageGrid)
    , pageLabel_(new QLabel)
    , previous_(new QPushButton(tr("Previous")))
    , next_(new QPushButton(tr("Next")))
    , save_(new QPushButton(tr("Save PNG…"))) {
    grid_->setObjectName(QStringLiteral("selectionGrid"));
    pageLabel_->setObjectName(QStringLiteral("selectionPage"));
    save_->setToolTip(tr("Write the selected items' pictures as one picture grid (the first "
                         "%L1)")
                          .arg(kMostInPng));
    auto *scroll = new QScrollArea;
    scroll->setWidget(grid_);
    scroll->setWidgetResizable(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(previous_);
    buttons->addWidget(next_);
    buttons->addWidget(pageLabel_, 1);
    buttons->addWidget(save_);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(scroll, 1);

    connect(previous_, &QPushButton::clicked, this, [this] { showPage(page_ - 1); });
    connect(next_, &QPushButton::clicked, this, [this] { showPage(page_ + 1); });
    connect(save_, &QPushButton::clicked, this, &SelectionGrid::askAndSavePng);
    connect(plot_, &LatentPlot::selectionChanged, this, &SelectionGrid::selectionChanged);
    connect(explorer_->host(), &SessionHost::sessionStarted, this, [this] { showPage(page_); });
    connect(grid_, &ImageGrid::clicked, this, [this](int index) {
        if (index < drawn_.size())
            explorer_->inspector()->showItem(drawn_[index]);
    });
    selectionChanged();
}

int SelectionGrid::pages() const {
    return int((items_.size() + kPageSize - 1) / kPageSize);
}

QVector<int> SelectionGrid::pageItems() const {
    const int begin = page_ * kPageSize;
    return items_.mid(begin, kPageSize);
}

void SelectionGrid::selectionChanged() {
    items_ = plot_->selected();
    showPage(0);
}

void SelectionGrid::showPage(int page) {
    page_ = std::clamp(page, 0, std::max(0, pages() - 1));
    const TrainingSession *session = explorer_->session();
    QVector<QImage> images;
    QStringList captions;
    drawn_.clear();
    const QVector<int> items = pageItems();
    if (session) {
        const torch::Tensor &all = session->data().images;
        for (int item : items) {
            if (item < 0 || item >= all.size(0))
                continue;
            drawn_ << item;
            images << toQImage(all[item]);
            captions << QStringLiteral("#%1").arg(item);
        }
    }
    grid_->setImages(images, captions);
    const QLocale locale;
    pageLabel_->setText(items_.isEmpty()
                            ? tr("Select items on the scatter to see their pictures here.")
                            : tr("%1–%2 of %3")
                                  .arg(locale.toString(page_ * kPageSize + 1),
                                       locale.toString(page_ * kPageSize + int(items.size())),
                                       locale.toString(int(items_.size()))));
    previous_->setEnabled(page_ > 0);
    next_->setEnabled(page_ + 1 < pages());
    save_->setEnabled(!items_.isEmpty() && session);
}

void SelectionGrid::savePng(const QString &path) {
    const TrainingSession *session = explorer_->session();
    if (items_.isEmpty() || !session)
        throw Error("nothing is selected: draw a lasso or a rectangle on the scatter first.");
    const int64_t size = session->data().size();
    QVector<int> items;
    for (int item : items_.mid(0, kMostInPng))
        if (item >= 0 && item < size)
            items << item;
    const int total = int(items_.size());
    explorer_->tasks()->run(
        tr("Writing %1").arg(QFileInfo(path).fileName()),
        [this, path, items, total, images = session->data().images]() -> LatestWork::Show {
            const int n = int(items.size());
            const int columns = int(std::ceil(std::sqrt(double(n))));
            const int rows = (n + columns - 1) / columns;
            const int h = int(images.size(2)), w = int(images.size(3));
            QImage grid(columns * w, rows * h, QImage::Format_RGB32);
            grid.fill(Qt::white);
            {
                QPainter painter(&grid);
                for (int i = 0; i < n; ++i)
                    painter.drawImage(QPoint(i % columns * w, i / columns * h),
                                      toQImage(images[items[i]]));
            }
            if (!grid.save(path, "PNG"))
                throw Error(path.toStdString() +
                            ": could not be written (is the folder there, and writable?).");
            return [this, path, n, total] {
                Q_EMIT message(
                    n < total
                        ? tr("Saved the pictures of the first %L1 of %L2 selected items to %3")
                              .arg(n)
                              .arg(total)
                              .arg(path)
                        : tr("Saved the pictures of %n selected item(s) to %1", nullptr, n)
                              .arg(path));
            };
        });
}

void SelectionGrid::askAndSavePng() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save the selection's pictures"),
                                     QStringLiteral("selection.png"), tr("PNG (*.png)"));
    if (path.isEmpty())
        return;
    try {
        savePng(path);
    } catch (const Error &e) {
        QMessageBox::warning(this, tr("Save the selection's pictures"),
                             QString::fromStdString(e.what()));
    }
}

} // namespace latentlab
