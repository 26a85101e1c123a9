#pragma once
// ThreadSpy: QSignalSpy for signals a worker thread emits. QSignalSpy records on the emitting
// thread while the test reads on its own, a data race that ThreadSanitizer reports (and that can
// lose a call); ThreadSpy is told through the event loop of the thread it lives on, as the
// window's own receivers are, so only that thread touches what it recorded. The same calls as
// QSignalSpy: count(), wait(ms), first(), last(), at(i).

#include <QEventLoop>
#include <QList>
#include <QObject>
#include <QTimer>
#include <QVariant>

class ThreadSpy : public QObject {
public:
    template <typename Sender, typename Signal> ThreadSpy(const Sender *sender, Signal signal) {
        // AutoConnection: direct when emitted on this thread, queued from any other.
        connect(
            sender, signal, this,
            [this](auto... args) {
                calls_.append(QVariantList{QVariant::fromValue(args)...});
                if (waiting_)
                    waiting_->quit();
            },
            Qt::AutoConnection);
    }

    int count() const { return int(calls_.size()); }
    QVariantList first() const { return calls_.first(); }
    QVariantList last() const { return calls_.last(); }
    QVariantList at(int i) const { return calls_.at(i); }

    // Runs the event loop until one more call is recorded or `ms` pass; true when one was.
    bool wait(int ms = 5000) {
        const int before = count();
        QEventLoop loop;
        QTimer::singleShot(ms, &loop, &QEventLoop::quit);
        waiting_ = &loop;
        loop.exec();
        waiting_ = nullptr;
        return count() > before;
    }

private:
    QList<QVariantList> calls_;
    QEventLoop *waiting_ = nullptr;
};
