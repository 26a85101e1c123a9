#include "ui/threads/backgroundtasks.h"

#include "ui/threads/failure.h"

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

void BackgroundTasks::run(const QString &what, LatestWork::Work work, Failed onFailure) {
    const bool wasIdle = !busy();
    whats_.push_back(what);
    if (wasIdle)
        Q_EMIT busyChanged(true, what);
    work_->queue(
        [this, work = std::move(work), onFailure = std::move(onFailure)]() -> LatestWork::Show {
            LatestWork::Show show;
            const QString failure = failureOf([&] { show = work(); });
            return [this, show = std::move(show), failure, onFailure] {
                taskEnded(); // first: the step that shows it may start the next task
                if (!failure.isEmpty())
                    return fail(failure, onFailure);
                if (const QString stepFailure = failureOf([&] {
                        if (show)
                            show();
                    });
                    !stepFailure.isEmpty())
                    fail(stepFailure, onFailure);
            };
        });
}

void BackgroundTasks::fail(const QString &text, const Failed &onFailure) {
    if (onFailure)
        onFailure(text);
    else
        Q_EMIT failed(text);
}

void BackgroundTasks::taskEnded() {
    if (whats_.empty())
        return;
    whats_.pop_front();
    Q_EMIT busyChanged(busy(), current());
}

} // namespace latentlab
