// latentlab: the desktop explorer. An optional argument opens a checkpoint, an IDX file or an
// image folder; otherwise a fresh model on the demo digits (or lines) waits for Play. A session
// autosaved by a window that did not close properly is offered back first.

#include "ui/application.h"
#include "ui/mainwindow.h"
#include "ui/modelfactory.h"

int main(int argc, char **argv) {
    latentlab::Application app(argc, argv);
    latentlab::limitComputeThreads();
    latentlab::MainWindow window;
    QObject::connect(&app, &latentlab::Application::unexpectedFailure, &window,
                     [&window](const QString &message) { window.showError(message); });
    window.show();
    const QStringList args = QApplication::arguments();
    if (args.size() > 1)
        window.openPath(args.at(1));
    else
        window.createModel();
    window.offerRecovery();
    return app.exec();
}
