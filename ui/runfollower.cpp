#include "ui/runfollower.h"

#include "model/io/checkpoint.h"
#include "ui/failure.h"
#include "ui/modelfactory.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>
#include <torch/torch.h>

namespace latentlab {

namespace {

constexpr int kPollMs = 2000;  // for folders whose changes the system does not report
constexpr int kSettleMs = 700; // a file must stay the same this long before it is read

// What a model's data depend on: its data specification and seed.
std::string dataKey(const ModelConfig &c) {
    return c.data + "#" + std::to_string(c.seed);
}

} // namespace

RunFollower::RunFollower(QObject *parent)
    : QObject(parent) {
    pool_.setMaxThreadCount(1);
    poll_.setInterval(kPollMs);
    settle_.setSingleShot(true);
    settle_.setInterval(kSettleMs);
    connect(&poll_, &QTimer::timeout, this, &RunFollower::changed);
    connect(&settle_, &QTimer::timeout, this, &RunFollower::settle);
    connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, &RunFollower::changed);
    connect(&watcher_, &QFileSystemWatcher::fileChanged, this, &RunFollower::changed);
    connect(&future_, &QFutureWatcherBase::finished, this, &RunFollower::finished);
}

RunFollower::~RunFollower() {
    future_.waitForFinished();
}

void RunFollower::follow(const QString &path, const std::string &shownData) {
    stop();
    const QFileInfo info(path);
    checkpoint_ = info.isDir() ? info.absoluteFilePath() + QStringLiteral("/model.pt")
                               : info.absoluteFilePath();
    lossesPath_ = QFileInfo(checkpoint_).absolutePath() + QStringLiteral("/losses.csv");
    shownData_ = shownData;
    watcher_.addPath(QFileInfo(checkpoint_).absolutePath());
    poll_.start();
    pending_ = signature();
    read(); // the first version at once
}

void RunFollower::stop() {
    if (!watcher_.directories().isEmpty())
        watcher_.removePaths(watcher_.directories());
    if (!watcher_.files().isEmpty())
        watcher_.removePaths(watcher_.files());
    poll_.stop();
    settle_.stop();
    checkpoint_.clear();
    seen_.clear();
    pending_.clear();
    data_.reset();
    dataKey_.clear();
    trainer_.reset();
}

QString RunFollower::signature() const {
    const QFileInfo info(checkpoint_);
    if (!info.exists())
        return {};
    return QStringLiteral("%1 %2").arg(info.size()).arg(info.lastModified().toMSecsSinceEpoch());
}

void RunFollower::changed() {
    if (!following() || reading_)
        return;
    const QString now = signature();
    if (now.isEmpty() || now == seen_ || (now == pending_ && settle_.isActive()))
        return;
    pending_ = now;
    settle_.start();
}

void RunFollower::settle() {
    if (!following() || reading_)
        return;
    if (signature() != pending_) { // still being written: wait until it rests
        changed();
        return;
    }
    read();
}

void RunFollower::read() {
    reading_ = true;
    seen_ = pending_;
    future_.setFuture(QtConcurrent::run(
        &pool_, [checkpoint = checkpoint_.toStdString(), losses = lossesPath_.toStdString(),
                 shownData = shownData_, data = data_, key = dataKey_] {
            auto version = std::make_shared<Version>();
            version->failure = failureOf([&] {
                if (data && dataKey(readCheckpointConfig(checkpoint)) == key) {
                    // The same data as before: no need to load it again.
                    version->trainer = loadCheckpoint(checkpoint, "cpu");
                    version->trainer->setData(*data);
                } else {
                    version->trainer = openModelFile(checkpoint, shownData);
                }
                if (QFileInfo::exists(QString::fromStdString(losses)))
                    version->losses = readLossesCsv(losses);
            });
            return version;
        }));
}

void RunFollower::finished() {
    reading_ = false;
    const std::shared_ptr<Version> version = future_.result();
    if (!following())
        return;
    if (!version->failure.isEmpty()) {
        Q_EMIT skipped(tr("%1 could not be read, perhaps while it was being written or copied "
                          "(%2); the last good version stays on show.")
                           .arg(QFileInfo(checkpoint_).fileName(), version->failure));
    } else {
        trainer_ = std::move(version->trainer);
        if (dataKey(trainer_->config()) != dataKey_) {
            data_ = std::make_shared<const Dataset>(trainer_->data());
            dataKey_ = dataKey(trainer_->config());
        }
        losses_ = std::move(version->losses);
        lastUpdate_ = QDateTime::currentDateTime();
        Q_EMIT loaded();
    }
    if (signature() != seen_) // it changed again while being read
        changed();
}

} // namespace latentlab
