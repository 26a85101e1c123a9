// latentlab: the desktop explorer. Files on the command line (a model, a data set, or both)
// are opened, and `--follow DIR` follows a training run written into DIR (File > Follow run);
// otherwise, or where they fail to open, a fresh model on the demo digits (or lines) waits for
// Play. A session autosaved by a window that did not close properly is offered back first.

#include "model/device.h"
#include "ui/session/modelfactory.h"
#include "ui/window/about.h"
#include "ui/window/application.h"
#include "ui/window/mainwindow.h"

#include <QCommandLineParser>
#include <QIcon>

#include <cstdio>
#include <optional>

namespace {

struct Request {
    QStringList files;
    QString follow;
};

// Qt's own options (`-platform offscreen`, `-style fusion`, ...), which QApplication takes off
// the command line later: accepted here and left out of the usage.
void acceptQtOptions(QCommandLineParser &parser) {
    for (const char *name :
         {"platform", "platformpluginpath", "platformtheme", "plugin", "style", "stylesheet",
          "qwindowgeometry", "geometry", "qwindowtitle", "qwindowicon", "display", "session"}) {
        QCommandLineOption option(QString::fromLatin1(name), {}, QStringLiteral("VALUE"));
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(option);
    }
    for (const char *name : {"reverse", "nograb", "dograb", "sync", "widgetcount"}) {
        QCommandLineOption option(QString::fromLatin1(name));
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(option);
    }
}

// Reads the command line before the window exists, so that --help and --version need no
// display. Returns the exit code when the program ends here (0 after --help or --version, 2
// after a mistake, with the usage); else fills in `request`.
std::optional<int> parseArguments(int argc, char **argv, Request &request) {
    // A QCoreApplication for the parser's texts only; the window's application comes later.
    QCoreApplication parsing(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("latentlab"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "LatentLab: train adversarial autoencoders and explore their latent space.\n"
        "FILE is a LatentLab checkpoint or a TorchScript model, an IDX file or an image folder;\n"
        "a model and a data set may be given together, in either order."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version(QStringList{QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Print the version and the LibTorch it uses."));
    parser.addOption(version);
    const QCommandLineOption follow(
        QStringLiteral("follow"),
        QStringLiteral("Follow the training run that another program writes into DIR."),
        QStringLiteral("DIR"));
    parser.addOption(follow);
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Files to open."),
                                 QStringLiteral("[FILE...]"));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    acceptQtOptions(parser);
    if (!parser.parse(QCoreApplication::arguments())) {
        std::fprintf(stderr, "latentlab: %s\n\n%s", qPrintable(parser.errorText()),
                     qPrintable(parser.helpText()));
        return 2;
    }
    if (parser.isSet(help)) {
        std::printf("%s", qPrintable(parser.helpText()));
        return 0;
    }
    if (parser.isSet(version)) {
        std::printf("%s\n", qPrintable(latentlab::versionLine()));
        return 0;
    }
    request.files = parser.positionalArguments();
    request.follow = parser.value(follow);
    if (!request.follow.isEmpty() && !request.files.isEmpty()) {
        std::fprintf(stderr,
                     "latentlab: --follow shows a run of its own; open files without it.\n\n%s",
                     qPrintable(parser.helpText()));
        return 2;
    }
    return std::nullopt;
}

} // namespace

int main(int argc, char **argv) {
    Request request;
    if (const std::optional<int> exitCode = parseArguments(argc, argv, request))
        return *exitCode;
    latentlab::Application app(argc, argv);
    app.setWindowIcon(QIcon(QStringLiteral(":/icons/latentlab-256.png")));
    app.setDesktopFileName(QStringLiteral("io.github.latentlab.LatentLab"));
    latentlab::limitComputeThreads();
    latentlab::keepFreedMemory();
    latentlab::MainWindow window;
    QObject::connect(&app, &latentlab::Application::unexpectedFailure, &window,
                     [&window](const QString &message) { window.showError(message); });
    window.show();
    window.start(request.files, request.follow);
    window.offerRecovery();
    return app.exec();
}
