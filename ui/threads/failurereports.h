#pragma once
// FailureReports: where the views' failures go on the GUI thread. A new failure is news
// (failed(): the window shows a dialog); the same one again within a few seconds, as a decode
// that fails on every mouse move would, only goes to the status bar (repeated()).

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>

namespace latentlab {

class FailureReports : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    void report(const QString &failure);
    // Runs the work of a slot; an exception becomes a report instead of crossing the event loop.
    void guard(const std::function<void()> &work);

Q_SIGNALS:
    void failed(const QString &failure);
    void repeated(const QString &failure);

private:
    QString last_;
    QElapsedTimer lastAge_;
};

} // namespace latentlab
