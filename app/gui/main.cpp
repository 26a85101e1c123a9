// latentlab: the desktop explorer. An optional argument opens a checkpoint, an IDX file or an
// image folder; otherwise a fresh model on the demo digits (or lines) waits for Play.

#include "ui/mainwindow.h"
#include "ui/modelfactory.h"

#include <QApplication>

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("LatentLab"));
    QApplication::setOrganizationName(QStringLiteral("LatentLab"));
    latentlab::limitComputeThreads();
    latentlab::MainWindow window;
    window.show();
    const QStringList args = QApplication::arguments();
    if (args.size() > 1)
        window.openPath(args.at(1));
    else
        window.createModel();
    return app.exec();
}
