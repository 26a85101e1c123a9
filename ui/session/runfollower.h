#pragma once
// RunFollower: watches a training run that another program writes (latentlab-cli train with
// --checkpoint-every, here or on another machine through a shared or synced folder) and hands
// the window each new version of its checkpoint with the losses so far.
//
// The folder is watched (an atomic save renames a new file into place) and also looked at
// every two seconds, for file systems that do not report changes. A file that changed is
// read once it has stayed the same for a moment, on a thread of its own; one that cannot be
// read (half-written by a copy, damaged) is skipped with a sentence, never shown, and read
// again when it changes. GUI thread only.

#include "model/io/checkpoint.h"
#include "model/io/export.h"
#include "model/train/trainer.h"

#include <QDateTime>
#include <QFileSystemWatcher>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <string>

namespace latentlab {

class LatestWork;

class RunFollower : public QObject {
    Q_OBJECT
public:
    explicit RunFollower(QObject *parent = nullptr);
    ~RunFollower() override;

    // Follows a run folder (its model.pt and losses.csv) or a checkpoint file (with the
    // losses.csv beside it, if any). The first version is read at once. `shownData`: the data
    // for a model whose own data cannot be loaded here (see openModelFile()).
    void follow(const QString &path, const std::string &shownData);
    void stop();
    bool following() const { return !checkpoint_.isEmpty(); }
    QString checkpointPath() const { return checkpoint_; }
    // True while a version is being read.
    bool reading() const { return reading_; }

    // The version loaded() announced, with its data and directions; its trainer is null after
    // the first call.
    Checkpoint takeVersion() { return std::move(version_); }
    const LossTable &losses() const { return losses_; }
    QDateTime lastUpdate() const { return lastUpdate_; }

Q_SIGNALS:
    // A new version is ready: takeVersion() and losses() hold it.
    void loaded();
    // A version could not be read; the text says which file and why.
    void skipped(const QString &text);

private:
    struct Version {
        Checkpoint model;
        LossTable losses;
        QString failure;
    };
    // The checkpoint's size and time: a new value means a new file.
    QString signature() const;
    void watchFolder();
    void changed();
    void settle();
    void read();
    void finished(const std::shared_ptr<Version> &version);

    QString checkpoint_, lossesPath_;
    std::string shownData_;
    QFileSystemWatcher watcher_;
    QTimer poll_, settle_;
    QString seen_;    // the signature last read (or skipped)
    QString pending_; // a changed signature waiting to settle
    bool reading_ = false;
    // The data of the version on show, reused while the next ones name the same data and seed.
    std::shared_ptr<const Dataset> data_;
    std::string dataKey_;
    LatestWork *reader_; // reads a new version off the GUI thread
    Checkpoint version_;
    LossTable losses_;
    QDateTime lastUpdate_;
};

} // namespace latentlab
