// latentlab: the desktop explorer.

#include "ui/mainwindow.h"

#include <QApplication>

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("LatentLab"));
    QApplication::setOrganizationName(QStringLiteral("LatentLab"));
    latentlab::MainWindow window;
    window.show();
    return app.exec();
}
