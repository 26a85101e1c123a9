#include "ui/window/modelfiles.h"

#include "model/error.h"
#include "model/io/checkpoint.h"
#include "model/io/export.h"
#include "model/io/filekind.h"
#include "ui/explorer/explorer.h"
#include "ui/session/modelfactory.h"
#include "ui/session/runfollower.h"
#include "ui/session/sessionhost.h"
#include "ui/session/sessionrecovery.h"
#include "ui/threads/backgroundtasks.h"
#include "ui/threads/failure.h"
#include "ui/window/modelpanel.h"
#include "ui/window/trainingpanel.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>

namespace latentlab {

namespace {
constexpr int kMaxRecent = 8;
constexpr int64_t kShown = Explorer::kShownItems;
} // namespace

struct ModelFiles::Prepared {
    Checkpoint model;
    torch::Tensor codes;
};

ModelFiles::ModelFiles(const Parts &parts, QObject *parent)
    : QObject(parent)
    , parts_(parts)
    , follower_(new RunFollower(this)) {
    connect(follower_, &RunFollower::loaded, this, &ModelFiles::showFollowedVersion);
    connect(follower_, &RunFollower::skipped, this,
            [this](const QString &text) { Q_EMIT message(text, 15000); });
    updateRecentMenu();
}

void ModelFiles::prepare(const QString &what, Load load, Show show, Then then,
                         std::function<void()> onFailure) {
    ++pending_;
    auto failed = [this, then, onFailure](const QString &text) {
        --pending_;
        if (onFailure)
            onFailure();
        fail(text, then);
    };
    parts_.explorer->tasks()->run(
        what,
        [this, load, show, then, failed,
         sample = parts_.explorer->liveSample()]() -> LatestWork::Show {
            auto prepared = std::make_shared<Prepared>();
            prepared->model = load();
            prepared->codes =
                TrainingSession::encodeShown(*prepared->model.trainer, kShown, sample);
            return [this, prepared, show, then, failed] {
                // Shown here, where a model that fails on the items leaves the one on show.
                const QString failure = failureOf([&] { show(*prepared); });
                if (!failure.isEmpty())
                    return failed(failure);
                --pending_;
                finish(true, then);
            };
        },
        failed);
}

void ModelFiles::fail(const QString &text, const Then &then) {
    Q_EMIT failed(text);
    finish(false, then);
}

void ModelFiles::finish(bool ok, const Then &then) {
    if (then)
        then(ok); // may ask for more
    if (pending_ == 0)
        Q_EMIT ended(ok);
}

void ModelFiles::open(const QString &path, Then then) {
    switch (fileKindOf(path.toStdString())) {
    case FileKind::Folder:
        return openData(QStringLiteral("folder:") + path, then);
    case FileKind::Idx:
        return openData(QStringLiteral("idx:") + path, then);
    case FileKind::Checkpoint:
    case FileKind::Zip: // TorchScript; openModel() names other archives
        return openCheckpoint(path, then);
    case FileKind::Missing:
        return fail(tr("%1 does not exist.").arg(path), then);
    case FileKind::Unreadable:
        return fail(tr("%1 cannot be read (is it yours to read?).").arg(path), then);
    case FileKind::Other:
        break;
    }
    fail(tr("%1 is not a LatentLab checkpoint, a TorchScript model, an IDX file or an image "
            "folder.")
             .arg(path),
         then);
}

void ModelFiles::openFiles(const QStringList &paths, Then then) {
    // At most one model and one data set, in either order: the data first, so that a
    // TorchScript model (which names none) is explored on it.
    QString model, data;
    for (const QString &path : paths) {
        const FileKind kind = fileKindOf(path.toStdString());
        const bool isData = kind == FileKind::Folder || kind == FileKind::Idx;
        QString &slot = isData ? data : model;
        if (!slot.isEmpty())
            return fail(tr("Open one model and one data set at most: %1 and %2 are both %3.")
                            .arg(slot, path, isData ? tr("data sets") : tr("models")),
                        then);
        slot = path;
    }
    if (data.isEmpty())
        return open(model, then);
    open(data, [this, model, then](bool ok) {
        if (ok && !model.isEmpty())
            open(model, then);
        else if (then)
            then(ok);
    });
}

void ModelFiles::openCheckpoint(const QString &path, Then then) {
    stopFollowing();
    prepare(
        tr("Opening %1").arg(QFileInfo(path).fileName()),
        [path, data = parts_.modelPanel->dataSpec().toStdString()] {
            return openModelFile(path.toStdString(), data);
        },
        [this, path](Prepared &model) {
            showCheckpoint(model, path);
            checkpointPath_ = path;
            updateTitle();
            addRecent(path);
            Q_EMIT message(tr("Opened %1").arg(path), 5000);
        },
        then);
}

void ModelFiles::openData(const QString &spec, Then then) {
    // A data set that does not load leaves the choice, and the model on show, as they were.
    const QString previous = parts_.modelPanel->dataSpec();
    parts_.modelPanel->selectDataSpec(spec);
    createModel([this, spec, previous, then](bool ok) {
        if (!ok) {
            parts_.modelPanel->removeDataSpec(spec);
            parts_.modelPanel->selectDataSpec(previous);
        }
        if (then)
            then(ok);
    });
}

void ModelFiles::createModel(Then then) {
    stopFollowing();
    const QString spec = parts_.modelPanel->dataSpec();
    prepare(
        tr("Building a model on %1").arg(spec),
        [config = parts_.modelPanel->config(), data = spec.toStdString()] {
            return Checkpoint{createTrainer(config, data), {}};
        },
        [this, spec](Prepared &model) {
            for (const auto &w : model.model.trainer->data().warnings)
                Q_EMIT message(QString::fromStdString(w), 5000);
            showModel(model,
                      [](const ExplorableModel &) { return tr("A new model (not saved yet)"); });
            checkpointPath_.clear();
            updateTitle();
            Q_EMIT message(tr("New model on %1. Press Space to train.").arg(spec), 8000);
        },
        then);
}

void ModelFiles::createStartingModel() {
    createModel([this](bool ok) {
        if (ok)
            return;
        // The remembered choices do not build (a data folder since moved): the defaults do.
        parts_.modelPanel->showConfig(ModelPanel::defaultConfig());
        createModel();
    });
}

void ModelFiles::start(const QStringList &files) {
    if (files.isEmpty())
        return createStartingModel();
    openFiles(files, [this](bool ok) {
        if (!ok)
            createStartingModel();
    });
}

void ModelFiles::showModel(Prepared &prepared, const Describe &origin, bool keepView) {
    const ModelConfig config = prepared.model.trainer->config();
    const qint64 steps = prepared.model.trainer->steps();
    Explorer *explorer = parts_.explorer;
    explorer->start(std::move(prepared.model.trainer), kShown, keepView,
                    std::move(prepared.model.directions), prepared.codes);
    // The panels change only once it runs.
    const ExplorableModel &shown = *explorer->session()->latest()->model;
    // A TorchScript model is explored, not trained (the Training dock says so).
    parts_.play->setEnabled(shown.trainable());
    parts_.step->setEnabled(shown.trainable());
    explorer->host()->setTargetSteps(parts_.trainingPanel->target());
    if (shown.trainable()) // the choices that build one like it (TorchScript: none do)
        parts_.modelPanel->showConfig(config);
    parts_.modelPanel->showModel(origin(shown), shown, steps);
    parts_.trainingPanel->showConfig(config, shown.trainable());
}

void ModelFiles::showCheckpoint(Prepared &model, const QString &path, const QString &origin) {
    const Trainer &trainer = *model.model.trainer;
    const qint64 steps = trainer.steps();
    const std::vector<std::string> lossNames = trainer.lossNames();
    const QString data = QString::fromStdString(trainer.data().name);
    showModel(model, [&](const ExplorableModel &shown) {
        const QString name = QFileInfo(path).fileName();
        return !origin.isEmpty() ? origin
               : shown.trainable()
                   ? tr("LatentLab checkpoint %1").arg(name)
                   : tr("%1 model %2, explored on %3")
                         .arg(QString::fromStdString(shown.description()), name, data);
    });
    showLossesBeside(path, lossNames, steps);
}

void ModelFiles::showLossesBeside(const QString &checkpoint,
                                  const std::vector<std::string> &lossNames, qint64 step) {
    // latentlab-cli train writes losses.csv beside model.pt: the curves so far.
    const QString csv = QFileInfo(checkpoint).dir().filePath(QStringLiteral("losses.csv"));
    if (!QFileInfo::exists(csv))
        return;
    try {
        const LossTable table = readLossesCsv(csv.toStdString());
        if (table.names == lossNames)
            parts_.explorer->showLosses(table, step);
    } catch (const Error &e) {
        Q_EMIT message(tr("The losses beside the model are not shown: %1")
                           .arg(QString::fromStdString(e.what())),
                       10000);
    }
}

void ModelFiles::followRun(const QString &path) {
    follower_->follow(path, parts_.modelPanel->dataSpec().toStdString());
    Q_EMIT followStatus(
        tr("Following %1: waiting for a checkpoint…").arg(follower_->checkpointPath()));
}

void ModelFiles::stopFollowing() {
    follower_->stop();
    Q_EMIT followStatus({});
}

void ModelFiles::showFollowedVersion() {
    auto version = std::make_shared<Checkpoint>(follower_->takeVersion());
    if (!version->trainer)
        return;
    const QString path = follower_->checkpointPath();
    const QString run = QFileInfo(path).dir().dirName();
    const qint64 steps = version->trainer->steps();
    prepare(
        tr("Showing step %1 of %2").arg(steps).arg(run), [version] { return std::move(*version); },
        [this, path, run, steps](Prepared &model) {
            showModel(
                model, [&](const ExplorableModel &) { return tr("Run followed: %1").arg(path); },
                true);
            // Trained elsewhere: steps here would be thrown away by the next version.
            parts_.play->setEnabled(false);
            parts_.step->setEnabled(false);
            parts_.explorer->showLosses(follower_->losses());
            parts_.trainingPanel->showFollowed();
            // Save asks where: the run's own checkpoint belongs to the trainer writing it.
            checkpointPath_.clear();
            Q_EMIT titleChanged(tr("following %1[*] — LatentLab").arg(run));
            Q_EMIT followStatus(
                tr("Following %1: step %2, updated %3")
                    .arg(run)
                    .arg(steps)
                    .arg(follower_->lastUpdate().toString(QStringLiteral("HH:mm:ss"))));
        },
        {});
}

void ModelFiles::restoreRecovery(const QString &path, Then then) {
    prepare(
        tr("Restoring the autosaved session"),
        [path, data = parts_.modelPanel->dataSpec().toStdString()] {
            return openModelFile(path.toStdString(), data);
        },
        [this, path](Prepared &model) {
            showCheckpoint(model, path, tr("Work restored after a crash (not saved yet)"));
            parts_.explorer->host()->markUnsaved(); // the person has not saved it anywhere yet
            checkpointPath_.clear();
            updateTitle();
            SessionRecovery::discard(path);
            Q_EMIT message(tr("Restored the autosaved session at step %1; save it with Ctrl+S.")
                               .arg(parts_.explorer->session()->latest()->step),
                           10000);
        },
        then,
        [this, path] { Q_EMIT message(tr("The recovery file stays at %1.").arg(path), 10000); });
}

bool ModelFiles::mayReplaceModel(const QString &title, const QString &what) {
    return !parts_.explorer->host()->hasUnsavedWork() ||
           QMessageBox::question(parts_.window, title,
                                 tr("%1 replaces the model on show, whose last changes are not "
                                    "saved. Go on anyway?")
                                     .arg(what),
                                 QMessageBox::Yes | QMessageBox::Cancel,
                                 QMessageBox::Cancel) == QMessageBox::Yes;
}

void ModelFiles::save(bool askForPath) {
    const TrainingSession *session = parts_.explorer->session();
    if (!session)
        return;
    if (const ExplorableModel &shown = *session->latest()->model; !shown.trainable())
        return Q_EMIT failed(
            tr("%1 is a %2 model: its weights stay in that file, and LatentLab "
               "saves only the models it trains.")
                .arg(checkpointPath_, QString::fromStdString(shown.description())));
    QString path = checkpointPath_;
    if (askForPath || path.isEmpty())
        path = QFileDialog::getSaveFileName(parts_.window, tr("Save checkpoint"),
                                            path.isEmpty() ? QStringLiteral("model.pt") : path,
                                            tr("LatentLab checkpoints (*.pt)"));
    if (path.isEmpty())
        return;
    checkpointPath_ = path;
    updateTitle();
    parts_.explorer->host()->save(path);
}

void ModelFiles::updateTitle() {
    const QString model =
        checkpointPath_.isEmpty() ? tr("unsaved model") : QFileInfo(checkpointPath_).fileName();
    // [*]: Qt shows a mark there while the window is modified (unsaved work).
    Q_EMIT titleChanged(tr("%1[*] — LatentLab").arg(model));
}

void ModelFiles::addRecent(const QString &path) {
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recent")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    settings.setValue(QStringLiteral("recent"), recent.mid(0, kMaxRecent));
    updateRecentMenu();
}

void ModelFiles::updateRecentMenu() {
    QMenu *menu = parts_.recent;
    menu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recent")).toStringList();
    for (const QString &path : recent)
        menu->addAction(path, this, [this, path] { Q_EMIT recentChosen(path); });
    menu->setEnabled(!recent.isEmpty());
}

} // namespace latentlab
