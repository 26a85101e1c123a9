#pragma once
// LatestWork: runs one piece of work at a time on a thread of its own and, while one runs,
// keeps only the newest request. A slider dragged faster than the model decodes shows the
// newest frame it can reach, never a queue of stale ones, and the GUI thread never waits for
// a decode. Used for the pictures the window decodes as a person moves: the interpolation
// preview and the Inspector's hover and probe images. Submit and results on the GUI thread.

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <optional>

namespace latentlab {

class LatestWork : public QObject {
    Q_OBJECT
public:
    // What the pool thread hands back: the step that shows its result, run on the GUI thread.
    using Show = std::function<void()>;
    // Runs on the pool thread. Anything it throws becomes failed(), in words (ui/failure.h).
    using Work = std::function<Show()>;

    explicit LatestWork(QObject *parent = nullptr);
    ~LatestWork() override; // waits for the work in flight

    // Starts `work` now, or after the one in flight, replacing any request still waiting.
    void submit(Work work);
    // Drops the request still waiting, if any; the one in flight still shows.
    void dropWaiting() { waiting_.reset(); }
    // True while work runs or waits; idle() follows when the last one has shown.
    bool busy() const { return inFlight_ || waiting_.has_value(); }

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

    QThreadPool pool_;
    QFutureWatcher<Outcome> watcher_;
    std::optional<Work> waiting_;
    // From launch until its result is shown: the future itself finishes before the GUI
    // thread hears of it.
    bool inFlight_ = false;
};

} // namespace latentlab
