#pragma once
// The window opens, builds and restores models in the background (ModelFiles): a test asks,
// then waits for the answer.

#include "ui/window/mainwindow.h"
#include "ui/window/modelfiles.h"

#include <QEventLoop>
#include <QTimer>

#include <functional>
#include <optional>

namespace latentlab {

// Runs `ask` (an open, a build or a restore on window.files()) and waits until it ended; true
// when its model is on show. False also when nothing ended within `timeoutMs`.
inline bool opened(MainWindow &window, const std::function<void()> &ask, int timeoutMs = 120000) {
    // No QSignalSpy: the tools (soak, screenshots) use it too, without Qt Test.
    std::optional<bool> result;
    QEventLoop loop;
    const auto connection =
        QObject::connect(window.files(), &ModelFiles::ended, &loop, [&](bool ok) {
            result = ok;
            loop.quit();
        });
    ask();
    if (!result) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    QObject::disconnect(connection);
    return result.value_or(false);
}

} // namespace latentlab
