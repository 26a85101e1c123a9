#include "ui/latestwork.h"

#include "ui/failure.h"

#include <QtConcurrent/QtConcurrentRun>
#include <torch/torch.h>

namespace latentlab {

LatestWork::LatestWork(QObject *parent)
    : QObject(parent) {
    pool_.setMaxThreadCount(1);
    pool_.setExpiryTimeout(-1); // one thread for the object's life, not one per request
    connect(&watcher_, &QFutureWatcherBase::finished, this, &LatestWork::finished);
}

LatestWork::~LatestWork() {
    waiting_.reset();
    watcher_.waitForFinished();
}

void LatestWork::submit(Work work) {
    if (inFlight_)
        waiting_ = std::move(work);
    else
        launch(std::move(work));
}

void LatestWork::launch(Work work) {
    inFlight_ = true;
    watcher_.setFuture(QtConcurrent::run(&pool_, [work = std::move(work)]() -> Outcome {
        Outcome outcome;
        outcome.failure = failureOf([&] {
            torch::NoGradGuard noGrad; // grad mode is per thread
            outcome.show = work();
        });
        return outcome;
    }));
}

void LatestWork::finished() {
    inFlight_ = false;
    const Outcome outcome = watcher_.result();
    if (!outcome.failure.isEmpty())
        Q_EMIT failed(outcome.failure);
    else if (outcome.show) {
        const QString failure = failureOf(outcome.show);
        if (!failure.isEmpty())
            Q_EMIT failed(failure);
    }
    if (waiting_) {
        Work next = std::move(*waiting_);
        waiting_.reset();
        launch(std::move(next));
    } else {
        Q_EMIT idle();
    }
}

} // namespace latentlab
