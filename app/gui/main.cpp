// latentlab: the desktop explorer. An optional argument opens a checkpoint, an IDX file or an
// image folder, and `--follow DIR` follows a training run written into DIR (File > Follow
// run); otherwise a fresh model on the demo digits (or lines) waits for Play. A session
// autosaved by a window that did not close properly is offered back first.

#include "model/device.h"
#include "ui/about.h"
#include "ui/application.h"
#include "ui/mainwindow.h"
#include "ui/modelfactory.h"

#include <QIcon>

#include <cstdio>
#include <cstring>

int main(int argc, char **argv) {
    if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("%s\n", qPrintable(latentlab::versionLine()));
        return 0;
    }
    latentlab::Application app(argc, argv);
    app.setWindowIcon(QIcon(QStringLiteral(":/icons/latentlab-256.png")));
    app.setDesktopFileName(QStringLiteral("io.github.latentlab.LatentLab"));
    latentlab::limitComputeThreads();
    latentlab::keepFreedMemory();
    latentlab::MainWindow window;
    QObject::connect(&app, &latentlab::Application::unexpectedFailure, &window,
                     [&window](const QString &message) { window.showError(message); });
    window.show();
    const QStringList args = QApplication::arguments();
    if (args.size() > 2 && args.at(1) == QLatin1String("--follow"))
        window.followRun(args.at(2));
    else if (args.size() > 1)
        window.openPath(args.at(1));
    else
        window.createModel();
    window.offerRecovery();
    return app.exec();
}
