#include "ui/mainwindow.h"

#include <QLabel>

namespace latentlab {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent) {
    setWindowTitle(tr("LatentLab"));
    auto *label =
        new QLabel(tr("<h2>LatentLab</h2><p>The interactive explorer is not built yet.</p>"
                      "<p>Train and inspect models with <tt>latentlab-cli train --help</tt>.</p>"),
                   this);
    label->setAlignment(Qt::AlignCenter);
    setCentralWidget(label);
    resize(900, 600);
}

} // namespace latentlab
