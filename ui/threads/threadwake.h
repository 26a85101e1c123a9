#pragma once
// ThreadWake: wakes the thread that owns it (the GUI thread) from any other thread, without
// Qt's event queue. wake() writes to a Linux eventfd that a QSocketNotifier watches; woken()
// follows on the owner's thread, once for any number of wake() calls since the last one.
//
// Why not QMetaObject::invokeMethod: Qt appends a posted event to the receiving thread's list
// under Qt's own mutex, which Debian's uninstrumented Qt takes with futexes ThreadSanitizer
// cannot see, so two threads posting to the GUI thread are reported as racing on that list.
// A wake-up carries no data: what the worker hands over stays under its own std::mutex, which
// ThreadSanitizer does see.

#include <QObject>

class QSocketNotifier;

namespace latentlab {

class ThreadWake : public QObject {
    Q_OBJECT
public:
    explicit ThreadWake(QObject *parent = nullptr); // throws std::system_error without eventfd
    ~ThreadWake() override;

    // Any thread; never blocks.
    void wake();

Q_SIGNALS:
    void woken();

private:
    int fd_ = -1;
    QSocketNotifier *notifier_;
};

} // namespace latentlab
