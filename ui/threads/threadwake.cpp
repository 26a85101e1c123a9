#include "ui/threads/threadwake.h"

#include <QSocketNotifier>

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace latentlab {

ThreadWake::ThreadWake(QObject *parent)
    : QObject(parent)
    , fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (fd_ < 0)
        throw std::system_error(errno, std::generic_category(), "eventfd");
    notifier_ = new QSocketNotifier(qintptr(fd_), QSocketNotifier::Read, this);
    connect(notifier_, &QSocketNotifier::activated, this, [this] {
        uint64_t count = 0;
        if (::read(fd_, &count, sizeof count) == sizeof count) // resets the counter
            Q_EMIT woken();
    });
}

ThreadWake::~ThreadWake() {
    delete notifier_; // before the descriptor it watches goes
    ::close(fd_);
}

void ThreadWake::wake() {
    const uint64_t one = 1;
    // Cannot block (EFD_NONBLOCK) and cannot fail short of the counter's 2^64 - 2 limit.
    [[maybe_unused]] const ssize_t written = ::write(fd_, &one, sizeof one);
}

} // namespace latentlab
