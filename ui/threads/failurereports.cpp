#include "ui/threads/failurereports.h"

#include "ui/threads/failure.h"

namespace latentlab {

void FailureReports::report(const QString &failure) {
    const bool repeat = failure == last_ && lastAge_.isValid() && lastAge_.elapsed() < 5000;
    last_ = failure;
    lastAge_.start();
    if (repeat)
        Q_EMIT repeated(failure);
    else
        Q_EMIT failed(failure);
}

void FailureReports::guard(const std::function<void()> &work) {
    const QString failure = failureOf(work);
    if (!failure.isEmpty())
        report(failure);
}

} // namespace latentlab
