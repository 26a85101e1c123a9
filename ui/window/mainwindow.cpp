#include "ui/window/mainwindow.h"

#include "model/error.h"
#include "model/io/export.h"
#include "model/io/filekind.h"
#include "ui/explorer/explorer.h"
#include "ui/session/modelfactory.h"
#include "ui/session/runfollower.h"
#include "ui/session/sessionhost.h"
#include "ui/session/sessionrecovery.h"
#include "ui/threads/backgroundtasks.h"
#include "ui/threads/failure.h"
#include "ui/window/helpmenu.h"
#include "ui/window/interpolationfiles.h"
#include "ui/window/latenttoolbar.h"
#include "ui/window/modelpanel.h"
#include "ui/window/trainingpanel.h"
#include "widgets/busyindicator.h"
#include "widgets/directionspanel.h"
#include "widgets/imagepairview.h"
#include "widgets/interpolationpanel.h"
#include "widgets/latentplot.h"
#include "widgets/liveviews.h"
#include "widgets/lossplot.h"
#include "widgets/scrolledpanel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QVBoxLayout>
#include <QWidgetAction>

namespace latentlab {

namespace {
constexpr int kMaxRecent = 8;

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent) {
    updateTitle();
    setAcceptDrops(true);
    latent_ = new LatentPlot;
    latent_->setObjectName(QStringLiteral("latentPlot"));
    setCentralWidget(latent_);

    auto *losses = new LossPlot;
    auto *inspector = new ImagePairView;
    auto *interpolation = new InterpolationPanel;
    auto *directions = new DirectionsPanel;
    explorer_ = new Explorer({latent_, losses, inspector, interpolation, directions}, this);
    connect(new InterpolationFiles(interpolation, explorer_->interpolation(), this),
            &InterpolationFiles::failed, this, &MainWindow::showError);
    recovery_ = new SessionRecovery(explorer_->host(), {}, this);
    connect(recovery_, &SessionRecovery::autosaved, this,
            [this](const QString &, const QString &error) {
                statusBar()->showMessage(error.isEmpty() ? tr("Autosaved for recovery.")
                                                         : tr("Autosave failed: %1").arg(error),
                                         error.isEmpty() ? 2000 : 10000);
            });

    // A quiet, lasting line of what to do next (the messages on its left come and go).
    hint_ = new TextLine(hintText(false));
    hint_->setObjectName(QStringLiteral("hint"));
    hint_->setEnabled(false); // drawn greyed: a hint, not news
    statusBar()->addPermanentWidget(hint_);
    // What runs in the background (opening a model, writing an animation), once it takes a
    // moment.
    auto *busy = new BusyIndicator;
    busy->setObjectName(QStringLiteral("busy"));
    statusBar()->addPermanentWidget(busy);
    connect(explorer_->tasks(), &BackgroundTasks::busyChanged, busy, &BusyIndicator::setBusy);

    follower_ = new RunFollower(this);
    followLabel_ = new QLabel;
    followLabel_->setObjectName(QStringLiteral("followLabel"));
    statusBar()->addPermanentWidget(followLabel_);
    followLabel_->hide();
    connect(follower_, &RunFollower::loaded, this, &MainWindow::showFollowedVersion);
    connect(follower_, &RunFollower::skipped, this,
            [this](const QString &text) { statusBar()->showMessage(text, 15000); });

    createActions();
    modelPanel_ = new ModelPanel;
    trainingPanel_ = new TrainingPanel(play_, step_, reset_);
    auto *lossBox = new QWidget;
    auto dock = [this, interpolation, lossBox](const QString &title, const char *name, QWidget *w,
                                               Qt::DockWidgetArea a) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(QLatin1String(name));
        // The interpolation panel keeps its minimum (scrolled, its preview, which keeps its
        // aspect, took the dock's whole height) and the loss plot shrinks; the others scroll.
        d->setWidget(w == interpolation || w == lossBox ? w : new ScrolledPanel(w));
        addDockWidget(a, d);
        viewMenu_->addAction(d->toggleViewAction());
        return d;
    };
    dock(tr("Data & Model"), "dataModelDock", modelPanel_, Qt::LeftDockWidgetArea);
    dock(tr("Training"), "trainingDock", trainingPanel_, Qt::LeftDockWidgetArea);
    dock(tr("Interpolation"), "interpolationDock", interpolation, Qt::RightDockWidgetArea);
    QDockWidget *inspectorDock =
        dock(tr("Inspector"), "inspectorDock", inspector, Qt::RightDockWidgetArea);
    tabifyDockWidget(inspectorDock,
                     dock(tr("Directions"), "directionsDock", directions, Qt::RightDockWidgetArea));
    inspectorDock->raise();
    auto *logScale = new QCheckBox(tr("log scale"));
    auto *lossLayout = new QVBoxLayout(lossBox);
    lossLayout->setContentsMargins(0, 0, 0, 0);
    lossLayout->addWidget(losses, 1);
    lossLayout->addWidget(logScale);
    dock(tr("Losses"), "lossesDock", lossBox, Qt::BottomDockWidgetArea);
    connect(logScale, &QCheckBox::toggled, losses, &LossPlot::setLogScale);

    connect(modelPanel_, &ModelPanel::createRequested, this, &MainWindow::newModelAsked);
    SessionHost *host = explorer_->host();
    connect(trainingPanel_, &TrainingPanel::ratesChanged, host, &SessionHost::setLearningRates);
    connect(trainingPanel_, &TrainingPanel::batchChanged, host, &SessionHost::setBatchSize);
    connect(trainingPanel_, &TrainingPanel::adversarialWeightChanged, host,
            &SessionHost::setAdversarialWeight);
    connect(trainingPanel_, &TrainingPanel::targetChanged, host, &SessionHost::setTargetSteps);
    connect(host, &SessionHost::unsavedWorkChanged, this, &QWidget::setWindowModified);
    connect(host, &SessionHost::statusChanged, this,
            [this](qint64 step, double rate, bool playing) {
                trainingPanel_->setStatus(step, rate, playing);
                modelPanel_->setStep(step);
                hint_->setText(hintText(playing));
                play_->setText(playing ? tr("Pause") : tr("Play"));
            });
    connect(explorer_, &Explorer::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 5000); });
    connect(explorer_, &Explorer::failed, this, &MainWindow::showError);
    connect(host, &SessionHost::failed, this, &MainWindow::showError);
    connect(host, &SessionHost::targetReached, this, [this](qint64 step) {
        statusBar()->showMessage(tr("Reached step %1; training paused.").arg(step), 8000);
    });
    connect(host, &SessionHost::saved, this, [this](const QString &path, const QString &error) {
        if (!error.isEmpty())
            return showError(error);
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
        addRecent(path);
    });

    QSettings settings;
    modelPanel_->loadSettings();
    if (modelPanel_->dataSpec() == QLatin1String("mnist") &&
        defaultDataSpec() != std::string("mnist"))
        modelPanel_->selectDataSpec(QStringLiteral("lines"));
    // The side columns run the window's whole height; the losses sit under the scatter only.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    resize(firstSize());
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateRecentMenu();
}

MainWindow::~MainWindow() = default;

QSize MainWindow::firstSize() const {
    // 1600 x 1000 where the screen has room, else all of it less a title bar's height: the
    // layout is made to show everything down to a laptop's 1366 x 768.
    const QSize wanted(1600, 1000);
    const QScreen *shown = screen();
    return shown ? wanted.boundedTo(shown->availableGeometry().size() - QSize(0, 40)) : wanted;
}

QString MainWindow::hintText(bool playing) {
    return playing ? tr("Space pauses · hover a point to inspect it · click two points to "
                        "interpolate · F1: keys")
                   : tr("Space trains · hover a point to inspect it · click two points to "
                        "interpolate · F1: keys");
}

void MainWindow::createActions() {
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open model…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open model"), {},
            tr("Models: LatentLab checkpoints, TorchScript (*.pt *.ts *.pth);;All files (*)"));
        if (!path.isEmpty())
            openAsked(path); // by content: a checkpoint, or data that starts a model
    });
    file->addAction(tr("Open &IDX data…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open IDX images"), {}, tr("IDX images (*idx3-ubyte*);;All files (*)"));
        if (!path.isEmpty())
            openAsked(path);
    });
    file->addAction(tr("Open image &folder…"), this, [this] {
        const QString path = QFileDialog::getExistingDirectory(this, tr("Open image folder"));
        if (!path.isEmpty())
            openAsked(path);
    });
    recentMenu_ = file->addMenu(tr("Recent models"));
    file->addAction(tr("&Follow run…"), this, [this] {
        const QString path = QFileDialog::getExistingDirectory(
            this, tr("Follow a training run (the folder of latentlab-cli train --out)"));
        if (!path.isEmpty())
            followRun(path);
    });
    file->addSeparator();
    file->addAction(tr("&Save checkpoint"), QKeySequence::Save, this,
                    [this] { saveCheckpoint(false); });
    file->addAction(tr("Save checkpoint &as…"), QKeySequence::SaveAs, this,
                    [this] { saveCheckpoint(true); });
    file->addAction(tr("Export scatter…"), this, &MainWindow::exportScatter);
    file->addAction(tr("Export codes…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export codes"), QStringLiteral("codes.csv"), tr("CSV (*.csv)"));
        if (path.isEmpty())
            return;
        if (guarded([&] { explorer_->exportCodes(path); }))
            statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *train = menuBar()->addMenu(tr("&Train"));
    play_ = train->addAction(tr("Play"), this, [this] { explorer_->host()->togglePlay(); });
    play_->setShortcut(Qt::Key_Space);
    play_->setShortcutContext(Qt::ApplicationShortcut);
    step_ = train->addAction(tr("Step"), this, [this] { explorer_->host()->stepOnce(); });
    step_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Right));
    reset_ = train->addAction(tr("Reset"), this, &MainWindow::newModelAsked);
    reset_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    // Until a model is on show there is nothing to train (startSession() turns them on).
    play_->setEnabled(false);
    step_->setEnabled(false);

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    latentToolBar_ = new LatentToolBar(explorer_, this);
    addToolBar(Qt::TopToolBarArea, latentToolBar_);
    for (QAction *a : latentToolBar_->actions())
        if (!a->text().isEmpty() && !qobject_cast<QWidgetAction *>(a))
            viewMenu_->addAction(a);
    viewMenu_->addSeparator();
    viewMenu_->addAction(latentToolBar_->toggleViewAction());

    fillHelpMenu(menuBar()->addMenu(tr("&Help")), this);
}

void MainWindow::updateTitle() {
    const QString model =
        checkpointPath_.isEmpty() ? tr("unsaved model") : QFileInfo(checkpointPath_).fileName();
    // [*]: Qt shows a mark there while the window is modified (unsaved work).
    setWindowTitle(tr("%1[*] — LatentLab").arg(model));
}

bool MainWindow::createModel() {
    stopFollowing();
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = guarded([this] {
        auto trainer = createTrainer(modelPanel_->config(), modelPanel_->dataSpec().toStdString());
        for (const auto &w : trainer->data().warnings)
            statusBar()->showMessage(QString::fromStdString(w), 5000);
        startSession({std::move(trainer), {}},
                     [](const ExplorableModel &) { return tr("A new model (not saved yet)"); });
        checkpointPath_.clear();
        updateTitle();
        statusBar()->showMessage(
            tr("New model on %1. Press Space to train.").arg(modelPanel_->dataSpec()), 8000);
    });
    QApplication::restoreOverrideCursor();
    return ok;
}

void MainWindow::createStartingModel() {
    if (createModel())
        return;
    // The remembered choices do not build (a data folder since moved): the defaults do.
    modelPanel_->showConfig(ModelPanel::defaultConfig());
    createModel();
}

void MainWindow::start(const QStringList &files, const QString &followed) {
    if (!followed.isEmpty())
        followRun(followed);
    else if (files.isEmpty() || !openFiles(files))
        createStartingModel();
}

void MainWindow::startSession(Checkpoint model, const Describe &origin, bool keepView) {
    const ModelConfig config = model.trainer->config();
    const qint64 steps = model.trainer->steps();
    explorer_->start(std::move(model.trainer), 10000, keepView, std::move(model.directions));
    // The panels change only once it runs.
    const ExplorableModel &shown = *explorer_->session()->latest()->model;
    // A TorchScript model is explored, not trained (the Training dock says so).
    play_->setEnabled(shown.trainable());
    step_->setEnabled(shown.trainable());
    explorer_->host()->setTargetSteps(trainingPanel_->target());
    if (shown.trainable()) // the choices that build one like it (TorchScript: none do)
        modelPanel_->showConfig(config);
    modelPanel_->showModel(origin(shown), shown, steps);
    trainingPanel_->showConfig(config, shown.trainable());
}

void MainWindow::startFromCheckpoint(const QString &path, const QString &origin) {
    Checkpoint model = openModelFile(path.toStdString(), modelPanel_->dataSpec().toStdString());
    const Trainer &trainer = *model.trainer;
    const qint64 steps = trainer.steps();
    const std::vector<std::string> lossNames = trainer.lossNames();
    const QString data = QString::fromStdString(trainer.data().name);
    startSession(std::move(model), [&](const ExplorableModel &shown) {
        const QString name = QFileInfo(path).fileName();
        return !origin.isEmpty() ? origin
               : shown.trainable()
                   ? tr("LatentLab checkpoint %1").arg(name)
                   : tr("%1 model %2, explored on %3")
                         .arg(QString::fromStdString(shown.description()), name, data);
    });
    showLossesBeside(path, lossNames, steps);
}

void MainWindow::showLossesBeside(const QString &checkpoint,
                                  const std::vector<std::string> &lossNames, qint64 step) {
    // latentlab-cli train writes losses.csv beside model.pt: the curves so far.
    const QString csv = QFileInfo(checkpoint).dir().filePath(QStringLiteral("losses.csv"));
    if (!QFileInfo::exists(csv))
        return;
    try {
        const LossTable table = readLossesCsv(csv.toStdString());
        if (table.names == lossNames)
            explorer_->showLosses(table, step);
    } catch (const Error &e) {
        statusBar()->showMessage(tr("The losses beside the model are not shown: %1")
                                     .arg(QString::fromStdString(e.what())),
                                 10000);
    }
}

bool MainWindow::openCheckpoint(const QString &path) {
    stopFollowing();
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = guarded([&] {
        startFromCheckpoint(path);
        checkpointPath_ = path;
        updateTitle();
        addRecent(path);
        statusBar()->showMessage(tr("Opened %1").arg(path), 5000);
    });
    QApplication::restoreOverrideCursor();
    return ok;
}

bool MainWindow::mayReplaceModel(const QString &title, const QString &what) {
    return !explorer_->host()->hasUnsavedWork() ||
           QMessageBox::question(this, title,
                                 tr("%1 replaces the model on show, whose last changes are not "
                                    "saved. Go on anyway?")
                                     .arg(what),
                                 QMessageBox::Yes | QMessageBox::Cancel,
                                 QMessageBox::Cancel) == QMessageBox::Yes;
}

void MainWindow::followRun(const QString &path) {
    if (!mayReplaceModel(tr("Follow run"), tr("Following a run")))
        return;
    follower_->follow(path, modelPanel_->dataSpec().toStdString());
    followLabel_->setText(
        tr("Following %1: waiting for a checkpoint…").arg(follower_->checkpointPath()));
    followLabel_->show();
}

void MainWindow::showFollowedVersion() {
    guarded([this] {
        Checkpoint version = follower_->takeVersion();
        if (!version.trainer)
            return;
        const QString path = follower_->checkpointPath();
        const qint64 steps = version.trainer->steps();
        startSession(
            std::move(version),
            [&](const ExplorableModel &) { return tr("Run followed: %1").arg(path); }, true);
        // Trained elsewhere: steps here would be thrown away by the next version.
        play_->setEnabled(false);
        step_->setEnabled(false);
        explorer_->showLosses(follower_->losses());
        trainingPanel_->showFollowed();
        // Save asks where: the run's own checkpoint belongs to the trainer writing it.
        checkpointPath_.clear();
        setWindowTitle(tr("following %1[*] — LatentLab").arg(QFileInfo(path).dir().dirName()));
        followLabel_->setText(
            tr("Following %1: step %2, updated %3")
                .arg(QFileInfo(path).dir().dirName())
                .arg(steps)
                .arg(follower_->lastUpdate().toString(QStringLiteral("HH:mm:ss"))));
    });
}

void MainWindow::stopFollowing() {
    follower_->stop();
    followLabel_->hide();
}

bool MainWindow::openPath(const QString &path) {
    switch (fileKindOf(path.toStdString())) {
    case FileKind::Folder:
        return openData(QStringLiteral("folder:") + path);
    case FileKind::Idx:
        return openData(QStringLiteral("idx:") + path);
    case FileKind::Checkpoint:
    case FileKind::Zip: // TorchScript; openModel() names other archives
        return openCheckpoint(path);
    case FileKind::Missing:
        showError(tr("%1 does not exist.").arg(path));
        return false;
    case FileKind::Unreadable:
        showError(tr("%1 cannot be read (is it yours to read?).").arg(path));
        return false;
    case FileKind::Other:
        break;
    }
    showError(tr("%1 is not a LatentLab checkpoint, a TorchScript model, an IDX file or an image "
                 "folder.")
                  .arg(path));
    return false;
}

bool MainWindow::openData(const QString &spec) {
    // A data set that does not load leaves the choice, and the model on show, as they were.
    const QString previous = modelPanel_->dataSpec();
    modelPanel_->selectDataSpec(spec);
    if (createModel())
        return true;
    modelPanel_->removeDataSpec(spec);
    modelPanel_->selectDataSpec(previous);
    return false;
}

bool MainWindow::openFiles(const QStringList &paths) {
    // At most one model and one data set, in either order: the data first, so that a
    // TorchScript model (which names none) is explored on it.
    QString model, data;
    for (const QString &path : paths) {
        const FileKind kind = fileKindOf(path.toStdString());
        const bool isData = kind == FileKind::Folder || kind == FileKind::Idx;
        QString &slot = isData ? data : model;
        if (!slot.isEmpty()) {
            showError(tr("Open one model and one data set at most: %1 and %2 are both %3.")
                          .arg(slot, path, isData ? tr("data sets") : tr("models")));
            return false;
        }
        slot = path;
    }
    if (!data.isEmpty() && !openPath(data))
        return false;
    return model.isEmpty() || openPath(model);
}

void MainWindow::openAsked(const QString &path) {
    if (mayReplaceModel(tr("Open"), tr("Opening %1").arg(QFileInfo(path).fileName())))
        openPath(path);
}

void MainWindow::newModelAsked() {
    if (mayReplaceModel(tr("New model"), tr("A new model")))
        createModel();
}

void MainWindow::saveCheckpoint(bool askForPath) {
    if (!explorer_->session())
        return;
    if (const ExplorableModel &shown = *explorer_->session()->latest()->model; !shown.trainable())
        return showError(tr("%1 is a %2 model: its weights stay in that file, and LatentLab "
                            "saves only the models it trains.")
                             .arg(checkpointPath_, QString::fromStdString(shown.description())));
    QString path = checkpointPath_;
    if (askForPath || path.isEmpty())
        path = QFileDialog::getSaveFileName(this, tr("Save checkpoint"),
                                            path.isEmpty() ? QStringLiteral("model.pt") : path,
                                            tr("LatentLab checkpoints (*.pt)"));
    if (path.isEmpty())
        return;
    checkpointPath_ = path;
    updateTitle();
    explorer_->host()->save(path);
}

void MainWindow::exportScatter() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export scatter"), QStringLiteral("latent.png"), tr("PNG (*.png);;PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    const bool ok = path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)
                        ? latent_->savePdf(path)
                        : latent_->savePng(path, 0, 0, 2.0);
    statusBar()->showMessage(ok ? tr("Saved %1").arg(path) : tr("Could not write %1").arg(path),
                             5000);
}

void MainWindow::addRecent(const QString &path) {
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recent")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    settings.setValue(QStringLiteral("recent"), recent.mid(0, kMaxRecent));
    updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recent")).toStringList();
    for (const QString &path : recent)
        recentMenu_->addAction(path, this, [this, path] { openAsked(path); });
    recentMenu_->setEnabled(!recent.isEmpty());
}

bool MainWindow::guarded(const std::function<void()> &work) {
    const QString failure = failureOf(work);
    if (!failure.isEmpty())
        showError(failure);
    return failure.isEmpty();
}

void MainWindow::offerRecovery() {
    const QStringList orphans = recovery_->orphans();
    if (orphans.isEmpty())
        return;
    const QFileInfo newest(orphans.first());
    const auto answer = QMessageBox::question(
        this, tr("LatentLab"),
        tr("LatentLab did not close properly last time. Its training session was autosaved on "
           "%1. Restore it?")
            .arg(QLocale().toString(newest.lastModified(), QLocale::ShortFormat)),
        QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes);
    if (answer == QMessageBox::Yes)
        restoreRecovery(newest.absoluteFilePath());
    else
        SessionRecovery::discard(newest.absoluteFilePath());
}

bool MainWindow::restoreRecovery(const QString &path) {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = guarded(
        [&] { startFromCheckpoint(path, tr("Work restored after a crash (not saved yet)")); });
    QApplication::restoreOverrideCursor();
    if (!ok) {
        statusBar()->showMessage(tr("The recovery file stays at %1.").arg(path), 10000);
        return false;
    }
    explorer_->host()->markUnsaved(); // the person has not saved it anywhere yet
    checkpointPath_.clear();
    updateTitle();
    SessionRecovery::discard(path);
    statusBar()->showMessage(tr("Restored the autosaved session at step %1; save it with Ctrl+S.")
                                 .arg(explorer_->session()->latest()->step),
                             10000);
    return true;
}

void MainWindow::showError(const QString &text) {
    statusBar()->showMessage(text, 10000);
    // Not modal: training, redraws and autosaves go on while the message is read. One box
    // shows the newest failure instead of a pile of them.
    if (!errorBox_) {
        errorBox_ =
            new QMessageBox(QMessageBox::Warning, tr("LatentLab"), {}, QMessageBox::Ok, this);
        errorBox_->setObjectName(QStringLiteral("errorBox"));
        errorBox_->setWindowModality(Qt::NonModal);
    }
    errorBox_->setText(text);
    errorBox_->show();
    errorBox_->raise();
}

void MainWindow::closeEvent(QCloseEvent *event) {
    SessionHost *host = explorer_->host();
    if (host->hasUnsavedWork()) {
        host->session()->pause();
        const bool steps = host->hasUnsavedSteps(), edits = host->hasUnsavedEdits();
        const QString question =
            steps && edits ? tr("The model has trained, and its directions or training settings "
                                "changed, since it was last saved. Save it?")
            : steps        ? tr("The model has trained since it was last saved. Save it?")
                           : tr("The model has changes since it was last saved (directions or "
                                       "training settings). Save it?");
        const auto answer =
            QMessageBox::question(this, tr("LatentLab"), question,
                                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
        if (answer == QMessageBox::Cancel) {
            event->ignore();
            return;
        }
        if (answer == QMessageBox::Save) {
            QString path = checkpointPath_;
            if (path.isEmpty())
                path = QFileDialog::getSaveFileName(this, tr("Save checkpoint"),
                                                    QStringLiteral("model.pt"),
                                                    tr("LatentLab checkpoints (*.pt)"));
            if (path.isEmpty()) {
                event->ignore();
                return;
            }
            const QString error = host->stop(path);
            if (!error.isEmpty()) {
                showError(error);
                event->ignore();
                return;
            }
        }
    }
    host->stop();
    recovery_->finish();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    modelPanel_->saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event) {
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        openAsked(urls.first().toLocalFile());
}

} // namespace latentlab
