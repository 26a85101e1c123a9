#include "ui/session/runfollower.h"

#include "model/io/checkpoint.h"
#include "ui/session/modelfactory.h"
#include "ui/threads/failure.h"
#include "ui/threads/latestwork.h"

#include <QFile>
#include <QFileInfo>
#include <torch/torch.h>

#include <sys/stat.h>

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
    : QObject(parent)
    , reader_(new LatestWork(this, Yield::Background)) {
    poll_.setInterval(kPollMs);
    settle_.setSingleShot(true);
    settle_.setInterval(kSettleMs);
    connect(reader_, &LatestWork::failed, this, &RunFollower::skipped);
    connect(&poll_, &QTimer::timeout, this, &RunFollower::changed);
    connect(&settle_, &QTimer::timeout, this, &RunFollower::settle);
    connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, &RunFollower::changed);
    connect(&watcher_, &QFileSystemWatcher::fileChanged, this, &RunFollower::changed);
}

RunFollower::~RunFollower() {
    delete reader_; // waits for a read in flight while this object is still whole
}

void RunFollower::follow(const QString &path, const std::string &shownData) {
    stop();
    // A run folder, also one that does not exist yet (followed before training starts), or a
    // model file.
    const QFileInfo info(path);
    const QString suffix = info.suffix().toLower();
    const bool file =
        !info.isDir() && (info.isFile() || suffix == QLatin1String("pt") ||
                          suffix == QLatin1String("ts") || suffix == QLatin1String("pth"));
    checkpoint_ =
        file ? info.absoluteFilePath() : info.absoluteFilePath() + QStringLiteral("/model.pt");
    lossesPath_ = QFileInfo(checkpoint_).absolutePath() + QStringLiteral("/losses.csv");
    shownData_ = shownData;
    watchFolder();
    poll_.start();
    pending_ = signature();
    if (!pending_.isEmpty())
        read(); // the first version at once; else the poll waits for it
}

void RunFollower::stop() {
    if (!watcher_.directories().isEmpty())
        watcher_.removePaths(watcher_.directories());
    if (!watcher_.files().isEmpty())
        watcher_.removePaths(watcher_.files());
    poll_.stop();
    settle_.stop();
    checkpoint_.clear();
    reader_->forget(); // a read still in flight is of the old path: its result is dropped
    reading_ = false;
    seen_.clear();
    pending_.clear();
    data_.reset();
    dataKey_.clear();
    version_ = {};
}

QString RunFollower::signature() const {
    // The file's identity, size and times: an atomic save is a new file (a new inode), and a
    // folder synced with coarse times still shows a new inode or change time.
    struct stat st {};
    if (::stat(QFile::encodeName(checkpoint_).constData(), &st) != 0)
        return {};
    return QStringLiteral("%1 %2 %3.%4 %5.%6")
        .arg(qulonglong(st.st_ino))
        .arg(qlonglong(st.st_size))
        .arg(qlonglong(st.st_mtim.tv_sec))
        .arg(qlonglong(st.st_mtim.tv_nsec))
        .arg(qlonglong(st.st_ctim.tv_sec))
        .arg(qlonglong(st.st_ctim.tv_nsec));
}

void RunFollower::watchFolder() {
    // The folder may not exist yet; the poll covers that time and tries again.
    if (watcher_.directories().isEmpty() &&
        QFileInfo(QFileInfo(checkpoint_).absolutePath()).isDir())
        watcher_.addPath(QFileInfo(checkpoint_).absolutePath());
}

void RunFollower::changed() {
    if (!following() || reading_)
        return;
    watchFolder();
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
    reader_->submit([this, checkpoint = checkpoint_.toStdString(),
                     losses = lossesPath_.toStdString(), shownData = shownData_, data = data_,
                     key = dataKey_]() -> LatestWork::Show {
        auto version = std::make_shared<Version>();
        version->failure = failureOf([&] {
            // On the CPU whatever it trains on: the window only shows it.
            version->model = readModel(checkpoint, "cpu");
            Trainer &trainer = *version->model.trainer;
            if (data && dataKey(trainer.config()) == key)
                trainer.setData(*data); // the same data: not loaded again
            else
                giveModelData(trainer, checkpoint, shownData);
            if (QFileInfo::exists(QString::fromStdString(losses)))
                version->losses = readLossesCsv(losses);
        });
        return [this, version] { finished(version); };
    });
}

void RunFollower::finished(const std::shared_ptr<Version> &version) {
    reading_ = false;
    if (!following())
        return;
    if (!version->failure.isEmpty()) {
        Q_EMIT skipped(tr("%1 could not be read, perhaps while it was being written or copied "
                          "(%2); the last good version stays on show.")
                           .arg(QFileInfo(checkpoint_).fileName(), version->failure));
    } else {
        version_ = std::move(version->model);
        const Trainer &trainer = *version_.trainer;
        if (dataKey(trainer.config()) != dataKey_) {
            data_ = std::make_shared<const Dataset>(trainer.data());
            dataKey_ = dataKey(trainer.config());
        }
        losses_ = std::move(version->losses);
        lastUpdate_ = QDateTime::currentDateTime();
        Q_EMIT loaded();
    }
    if (signature() != seen_) // it changed again while being read
        changed();
}

} // namespace latentlab
