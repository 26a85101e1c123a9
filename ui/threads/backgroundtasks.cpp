#include "ui/threads/backgroundtasks.h"

namespace latentlab {

BackgroundTasks::BackgroundTasks(QObject *parent)
    : QObject(parent)
    , work_(new LatestWork(this)) {
    connect(work_, &LatestWork::failed, this, [this](const QString &text) {
        taskEnded();
        Q_EMIT failed(text);
    });
}

BackgroundTasks::~BackgroundTasks() {
    // The thread ends here, while whatever the results would reach still exists.
    delete work_;
}

void BackgroundTasks::run(const QString &what, LatestWork::Work work) {
    const bool wasIdle = !busy();
    whats_.push_back(what);
    if (wasIdle)
        Q_EMIT busyChanged(true, what);
    work_->queue([this, work = std::move(work)]() -> LatestWork::Show {
        LatestWork::Show show = work();
        return [this, show = std::move(show)] {
            taskEnded(); // first: a step that fails still ends its task
            if (show)
                show();
        };
    });
}

void BackgroundTasks::taskEnded() {
    if (whats_.empty())
        return;
    whats_.pop_front();
    Q_EMIT busyChanged(busy(), current());
}

} // namespace latentlab
