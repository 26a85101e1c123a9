#pragma once
// BackgroundTasks: one-off work a person asked for that may take longer than a fifth of a
// second (opening a model or a data set, reading a model to compare, encoding an image as an
// end, writing an animation) runs on a thread of its own, in the order asked, and nothing is
// dropped. The window stays interactive meanwhile and shows what runs (busyChanged(): a line
// and a moving bar in the status bar). Asked for and answered on the GUI thread.

#include "ui/threads/latestwork.h"

#include <QObject>
#include <QString>

#include <deque>
#include <functional>

namespace latentlab {

class BackgroundTasks : public QObject {
    Q_OBJECT
public:
    explicit BackgroundTasks(QObject *parent = nullptr);
    ~BackgroundTasks() override;

    // What a task does when it fails (on the GUI thread), in place of failed().
    using Failed = std::function<void(const QString &text)>;

    // Runs `work` after the tasks asked for before it; `what` says what it does ("Opening
    // model.pt"). Anything it or its result's step throws goes to `onFailure`, or without one,
    // to failed().
    void run(const QString &what, LatestWork::Work work, Failed onFailure = {});
    bool busy() const { return !whats_.empty(); }
    // What runs now; empty when idle.
    QString current() const { return busy() ? whats_.front() : QString(); }

Q_SIGNALS:
    // A task started or the last one ended (busy false); `what`: the task running now.
    void busyChanged(bool busy, const QString &what);
    void failed(const QString &text);

private:
    void taskEnded();
    void fail(const QString &text, const Failed &onFailure);

    LatestWork *work_;
    std::deque<QString> whats_; // the task in flight first, then those waiting
};

} // namespace latentlab
