#include "ui/threads/latestwork.h"

#include "ui/threads/failure.h"
#include "ui/threads/threadwake.h"

#include <torch/torch.h>

namespace latentlab {

LatestWork::LatestWork(QObject *parent, std::optional<Yield> yield)
    : QObject(parent)
    , wake_(new ThreadWake(this))
    , thread_([this, yield] { run(yield); }) {
    connect(wake_, &ThreadWake::woken, this, &LatestWork::finished);
}

LatestWork::~LatestWork() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        job_.reset();
    }
    changed_.notify_all();
    thread_.join();
}

void LatestWork::run(std::optional<Yield> yield) {
    if (yield)
        yieldToInterface(*yield);
    torch::NoGradGuard noGrad; // grad mode is per thread
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return stop_ || job_.has_value(); });
        if (stop_)
            return;
        Work work = std::move(*job_);
        job_.reset();
        lock.unlock();
        Outcome outcome;
        outcome.failure = failureOf([&] { outcome.show = work(); });
        work = nullptr; // what the work held goes here, not on the GUI thread
        lock.lock();
        outcome_ = std::move(outcome);
        // finished() takes the outcome under the mutex. The destructor joins this thread
        // before the ThreadWake goes.
        wake_->wake();
    }
}

void LatestWork::submit(Work work) {
    waiting_.clear();
    queue(std::move(work));
}

void LatestWork::queue(Work work) {
    if (inFlight_)
        waiting_.push_back(std::move(work));
    else
        launch(std::move(work));
}

void LatestWork::forget() {
    waiting_.clear();
    ++generation_;
}

void LatestWork::launch(Work work) {
    inFlight_ = true;
    inFlightGeneration_ = generation_;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        job_ = std::move(work);
    }
    changed_.notify_all();
}

void LatestWork::finished() {
    std::optional<Outcome> outcome;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        outcome.swap(outcome_);
    }
    if (!outcome)
        return;
    inFlight_ = false;
    const bool wanted = inFlightGeneration_ == generation_; // not forgotten since it was asked
    if (wanted && !outcome->failure.isEmpty()) {
        Q_EMIT failed(outcome->failure);
    } else if (wanted && outcome->show) {
        const QString failure = failureOf(outcome->show);
        if (!failure.isEmpty())
            Q_EMIT failed(failure);
    }
    if (!waiting_.empty()) {
        Work next = std::move(waiting_.front());
        waiting_.pop_front();
        launch(std::move(next));
    } else {
        Q_EMIT idle();
    }
}

} // namespace latentlab
