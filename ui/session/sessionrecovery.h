#pragma once
// SessionRecovery: crash-safe work for the window. While a model trains or the person changes
// it (directions, rates), the session is autosaved every few minutes and whenever training
// pauses, to <app data>/recovery/<pid>.pt,
// beside a lock file this process holds. A recovery file whose lock no live process holds was
// left by a window that ended without closing (a crash, a kill, a power cut): the next window
// finds it with orphans() and offers to restore it. finish() (a clean close) removes this
// process's file. GUI thread only; autosaves run on the training thread like any save.

#include <QLockFile>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace latentlab {

class SessionHost;

class SessionRecovery : public QObject {
    Q_OBJECT
public:
    // `folder` empty: QStandardPaths::AppDataLocation + "/recovery".
    explicit SessionRecovery(SessionHost *host, const QString &folder = {},
                             QObject *parent = nullptr);
    ~SessionRecovery() override;

    // Seconds between autosaves while training runs (default 180).
    void setInterval(int seconds);
    QString folder() const { return folder_; }
    QString autosavePath() const;

    // Recovery files of windows that are gone, newest first.
    QStringList orphans() const;
    // Removes a left-over recovery file (after it was restored or declined).
    static void discard(const QString &path);

    // Saves now if the model has trained or changed since the last autosave.
    void autosaveNow();
    // A clean end: this process's recovery file is no longer needed.
    void finish();

Q_SIGNALS:
    // An autosave ended; error is empty when it was written.
    void autosaved(const QString &path, const QString &error);

private:
    void onStatus(bool playing);

    SessionHost *host_;
    QString folder_;
    std::unique_ptr<QLockFile> lock_;
    QTimer timer_;
    qint64 savedRevision_ = -1; // the host's workRevision() last autosaved
    bool playing_ = false;
    bool savePending_ = false; // paused, not yet saved at the step it paused at
};

} // namespace latentlab
