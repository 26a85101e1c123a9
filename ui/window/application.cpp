#include "ui/window/application.h"

#include "ui/threads/failure.h"

#include <clocale>

namespace latentlab {

Application::Application(int &argc, char **argv)
    : QApplication(argc, argv) {
    setApplicationName(QStringLiteral("LatentLab"));
    setOrganizationName(QStringLiteral("LatentLab"));
    std::setlocale(LC_NUMERIC, "C");
}

bool Application::notify(QObject *receiver, QEvent *event) {
    bool handled = false;
    const QString failure = failureOf([&] { handled = QApplication::notify(receiver, event); });
    if (!failure.isEmpty()) // queued: the receiver may be half-way through its handler
        QMetaObject::invokeMethod(
            this, [this, failure] { Q_EMIT unexpectedFailure(failure); }, Qt::QueuedConnection);
    return handled;
}

} // namespace latentlab
