#include "ui/session/sessionrecovery.h"

#include "ui/session/sessionhost.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>

namespace latentlab {

namespace {
constexpr int kDefaultIntervalSeconds = 180;

QString lockPathFor(const QString &recoveryFile) {
    const QFileInfo info(recoveryFile);
    return info.dir().filePath(info.completeBaseName() + QStringLiteral(".lock"));
}
} // namespace

SessionRecovery::SessionRecovery(SessionHost *host, const QString &folder, QObject *parent)
    : QObject(parent)
    , host_(host)
    , folder_(folder.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                     QStringLiteral("/recovery")
                               : folder) {
    QDir().mkpath(folder_);
    lock_ = std::make_unique<QLockFile>(lockPathFor(autosavePath()));
    lock_->setStaleLockTime(0); // only a dead process's lock is stale, however old it is
    lock_->tryLock(0);
    timer_.setInterval(kDefaultIntervalSeconds * 1000);
    connect(&timer_, &QTimer::timeout, this, &SessionRecovery::autosaveNow);
    timer_.start();
    connect(host_, &SessionHost::statusChanged, this,
            [this](qint64, double, bool playing) { onStatus(playing); });
    connect(host_, &SessionHost::autosaved, this, &SessionRecovery::autosaved);
    connect(host_, &SessionHost::sessionStarted, this, [this] {
        // Nothing to lose yet: the model is new or was just opened.
        savedRevision_ = host_->workRevision();
        savePending_ = false;
    });
}

SessionRecovery::~SessionRecovery() = default;

void SessionRecovery::setInterval(int seconds) {
    timer_.setInterval(std::max(1, seconds) * 1000);
}

QString SessionRecovery::autosavePath() const {
    return QDir(folder_).filePath(QString::number(QCoreApplication::applicationPid()) +
                                  QStringLiteral(".pt"));
}

QStringList SessionRecovery::orphans() const {
    QFileInfoList files = QDir(folder_).entryInfoList({QStringLiteral("*.pt")}, QDir::Files,
                                                      QDir::Time); // newest first
    QStringList found;
    for (const QFileInfo &file : files) {
        if (file.absoluteFilePath() == QFileInfo(autosavePath()).absoluteFilePath())
            continue;
        QLockFile owner(lockPathFor(file.absoluteFilePath()));
        owner.setStaleLockTime(0);
        if (owner.tryLock(0)) { // nobody alive holds it
            owner.unlock();
            found << file.absoluteFilePath();
        }
    }
    return found;
}

void SessionRecovery::discard(const QString &path) {
    QFile::remove(path);
    QFile::remove(path + QStringLiteral(".tmp"));
}

void SessionRecovery::onStatus(bool playing) {
    // The status that says "paused" may still carry the step of an earlier snapshot; the
    // snapshot of the step training paused at follows it.
    if (playing_ && !playing)
        savePending_ = true;
    playing_ = playing;
    if (!playing && savePending_ && host_->workRevision() != savedRevision_) {
        savePending_ = false;
        autosaveNow();
    }
}

void SessionRecovery::autosaveNow() {
    if (!host_->session() || host_->workRevision() == savedRevision_)
        return;
    savedRevision_ = host_->workRevision();
    host_->autosave(autosavePath());
}

void SessionRecovery::finish() {
    timer_.stop();
    discard(autosavePath());
    lock_->unlock();
}

} // namespace latentlab
