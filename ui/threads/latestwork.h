#pragma once
// LatestWork: runs one piece of work at a time on a thread of its own and, while one runs,
// keeps only the newest request. A slider dragged faster than the model decodes shows the
// newest frame it can reach, never a queue of stale ones, and the GUI thread never waits for
// a decode. Used for what the window computes as a person moves or waits: the interpolation
// preview, the Inspector's hover and probe images, the manifold map, a followed run's newest
// checkpoint. Submit and results on the GUI thread.
//
// The thread is a std::thread, work and results pass through a std::mutex, and the GUI thread
// hears of a result through a ThreadWake (an eventfd), not Qt's event queue: ThreadSanitizer
// sees every handover (it cannot see the futexes of Debian's uninstrumented Qt, with which a
// QThreadPool hands its tasks over and threads post events).

#include "ui/threads/yield.h"

#include <QObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace latentlab {

class ThreadWake;

class LatestWork : public QObject {
    Q_OBJECT
public:
    // What the worker thread hands back: the step that shows its result, run on the GUI thread.
    using Show = std::function<void()>;
    // Runs on the worker thread. Anything it throws becomes failed(), in words
    // (ui/threads/failure.h).
    using Work = std::function<Show()>;

    // `yield`: how the worker thread gives way to the GUI thread (ui/threads/yield.h); none keeps
    // the creating thread's priority.
    explicit LatestWork(QObject *parent = nullptr, std::optional<Yield> yield = std::nullopt);
    // Waits for the work in flight; what it returns is not shown. As a QObject child it is
    // destroyed after its owner's members, so a Work captures what it reads by value, or the
    // owner deletes its LatestWork first (Explorer, RunFollower do).
    ~LatestWork() override;

    // Starts `work` now, or after the one in flight, replacing any request still waiting.
    void submit(Work work);
    // Runs `work` after all that was submitted or queued before it: nothing is replaced (files
    // to write, models to open). A runner is used either with submit() or with queue().
    void queue(Work work);
    // What was asked for before this call is not shown: the requests still waiting are
    // dropped, and the result (or failure) of the one in flight goes nowhere. For work asked
    // for an earlier model or session, so that no caller keeps a generation count of its own.
    void forget();
    // True while work runs or waits; idle() follows when the last one has shown.
    bool busy() const { return inFlight_ || !waiting_.empty(); }

Q_SIGNALS:
    void failed(const QString &text);
    void idle();

private:
    struct Outcome {
        Show show;
        QString failure;
    };
    void launch(Work work);
    void finished();
    void run(std::optional<Yield> yield); // the worker thread

    // GUI thread only.
    std::deque<Work> waiting_;
    bool inFlight_ = false; // from launch until its result is shown
    int generation_ = 0;    // raised by forget()
    int inFlightGeneration_ = 0;

    // Shared with the worker, under mutex_.
    std::mutex mutex_;
    std::condition_variable changed_;
    std::optional<Work> job_;        // handed to the worker
    std::optional<Outcome> outcome_; // handed back
    bool stop_ = false;
    ThreadWake *wake_; // made before the thread starts
    std::thread thread_;
};

} // namespace latentlab
