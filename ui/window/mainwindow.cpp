#include "ui/window/mainwindow.h"

#include "model/io/filekind.h"
#include "ui/explorer/explorer.h"
#include "ui/session/modelfactory.h"
#include "ui/session/sessionhost.h"
#include "ui/session/sessionrecovery.h"
#include "ui/threads/backgroundtasks.h"
#include "ui/threads/failure.h"
#include "ui/window/helpmenu.h"
#include "ui/window/interpolationfiles.h"
#include "ui/window/latenttoolbar.h"
#include "ui/window/modelfiles.h"
#include "ui/window/modelpanel.h"
#include "ui/window/selectiontoolbar.h"
#include "ui/window/trainingpanel.h"
#include "widgets/busyindicator.h"
#include "widgets/directionspanel.h"
#include "widgets/imagepairview.h"
#include "widgets/interpolationpanel.h"
#include "widgets/liveviews.h"
#include "widgets/lossplot.h"
#include "widgets/scatter/latentplot.h"
#include "widgets/scrolledpanel.h"

#include <QAction>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QVBoxLayout>
#include <QWidgetAction>

#include <algorithm>

namespace latentlab {

namespace {

// A lasting line of the status bar that `signal` of `sender` sets, hidden while empty.
template <typename Sender, typename Signal>
QLabel *statusLine(QStatusBar *bar, const char *name, Sender *sender, Signal signal) {
    auto *label = new QLabel;
    label->setObjectName(QLatin1String(name));
    bar->addPermanentWidget(label);
    label->hide();
    QObject::connect(sender, signal, label, [label](const QString &text) {
        label->setText(text);
        label->setVisible(!text.isEmpty());
    });
    return label;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent) {
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

    createActions();
    modelPanel_ = new ModelPanel;
    trainingPanel_ = new TrainingPanel(play_, step_, reset_);
    files_ = new ModelFiles(
        {this, explorer_, modelPanel_, trainingPanel_, play_, step_, recentMenu_}, this);
    createStatusBar();
    createDocks(losses, inspector, interpolation, directions);
    connectSession();

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
    setWindowTitle(tr("unsaved model[*] — LatentLab"));
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks(LossPlot *losses, ImagePairView *inspector,
                             InterpolationPanel *interpolation, DirectionsPanel *directions) {
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
    QDockWidget *interpolationDock =
        dock(tr("Interpolation"), "interpolationDock", interpolation, Qt::RightDockWidgetArea);
    QDockWidget *inspectorDock =
        dock(tr("Inspector"), "inspectorDock", inspector, Qt::RightDockWidgetArea);
    tabifyDockWidget(inspectorDock,
                     dock(tr("Directions"), "directionsDock", directions, Qt::RightDockWidgetArea));
    if (auto *selection = findChild<QDockWidget *>(QStringLiteral("selectionDock"))) {
        // With the Interpolation: a click on a picture shows the item in the Inspector below.
        tabifyDockWidget(interpolationDock, selection); // SelectionToolBar::install() made it
        viewMenu_->addAction(selection->toggleViewAction());
    }
    inspectorDock->raise();
    interpolationDock->raise();
    auto *logScale = new QCheckBox(tr("log scale"));
    auto *lossLayout = new QVBoxLayout(lossBox);
    lossLayout->setContentsMargins(0, 0, 0, 0);
    lossLayout->addWidget(losses, 1);
    lossLayout->addWidget(logScale);
    dock(tr("Losses"), "lossesDock", lossBox, Qt::BottomDockWidgetArea);
    connect(logScale, &QCheckBox::toggled, losses, &LossPlot::setLogScale);
}

void MainWindow::createStatusBar() {
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
    // How many items have a code from the model on show, while not all do.
    statusLine(statusBar(), "coverage", explorer_, &Explorer::coverageChanged);
    // The run followed (File > Follow run), while one is.
    followLabel_ = statusLine(statusBar(), "followLabel", files_, &ModelFiles::followStatus);
    connect(files_, &ModelFiles::message, this,
            [this](const QString &text, int ms) { statusBar()->showMessage(text, ms); });
    connect(files_, &ModelFiles::failed, this, &MainWindow::showError);
    connect(files_, &ModelFiles::titleChanged, this, &QWidget::setWindowTitle);
    connect(files_, &ModelFiles::recentChosen, this, &MainWindow::openAsked);
    connect(recovery_, &SessionRecovery::autosaved, this,
            [this](const QString &, const QString &error) {
                statusBar()->showMessage(error.isEmpty() ? tr("Autosaved for recovery.")
                                                         : tr("Autosave failed: %1").arg(error),
                                         error.isEmpty() ? 2000 : 10000);
            });
}

void MainWindow::connectSession() {
    SessionHost *host = explorer_->host();
    connect(modelPanel_, &ModelPanel::createRequested, this, &MainWindow::newModelAsked);
    connect(trainingPanel_, &TrainingPanel::ratesChanged, host, &SessionHost::setLearningRates);
    connect(trainingPanel_, &TrainingPanel::batchChanged, host, &SessionHost::setBatchSize);
    connect(trainingPanel_, &TrainingPanel::adversarialWeightChanged, host,
            &SessionHost::setAdversarialWeight);
    connect(trainingPanel_, &TrainingPanel::targetChanged, host, &SessionHost::setTargetSteps);
    const int stored =
        QSettings()
            .value(QStringLiteral("training/liveSample"), int(TrainingSession::kLiveSample))
            .toInt();
    const int sample = std::clamp(stored, 1000, 10000000); // the Training dock's range
    trainingPanel_->setLiveSample(sample);
    explorer_->setLiveSample(sample);
    connect(trainingPanel_, &TrainingPanel::liveSampleChanged, this, [this](int items) {
        explorer_->setLiveSample(items);
        QSettings().setValue(QStringLiteral("training/liveSample"), items);
    });
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
        files_->addRecent(path);
    });
}

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

void MainWindow::createFileMenu() {
    QMenu *file = menuBar()->addMenu(tr("&File"));
    const QString models =
        tr("Models: LatentLab checkpoints, TorchScript (*.pt *.ts *.pth);;All files (*)");
    auto openWith = [this](auto ask) {
        return [this, ask] {
            const QString path = ask();
            if (!path.isEmpty())
                openAsked(path); // by content: a checkpoint, or data that starts a model
        };
    };
    file->addAction(tr("&Open model…"), QKeySequence::Open, this, openWith([this, models] {
                        return QFileDialog::getOpenFileName(this, tr("Open model"), {}, models);
                    }));
    file->addAction(tr("Open &IDX data…"), this, openWith([this] {
                        return QFileDialog::getOpenFileName(
                            this, tr("Open IDX images"), {},
                            tr("IDX images (*idx3-ubyte*);;All files (*)"));
                    }));
    file->addAction(tr("Open image &folder…"), this, openWith([this] {
                        return QFileDialog::getExistingDirectory(this, tr("Open image folder"));
                    }));
    recentMenu_ = file->addMenu(tr("Recent models"));
    file->addAction(tr("&Follow run…"), this, [this] {
        const QString path = QFileDialog::getExistingDirectory(
            this, tr("Follow a training run (the folder of latentlab-cli train --out)"));
        if (!path.isEmpty())
            followAsked(path);
    });
    file->addSeparator();
    file->addAction(tr("&Save checkpoint"), QKeySequence::Save, this,
                    [this] { files_->save(false); });
    file->addAction(tr("Save checkpoint &as…"), QKeySequence::SaveAs, this,
                    [this] { files_->save(true); });
    file->addAction(tr("Export scatter…"), this, &MainWindow::exportScatter);
    file->addAction(tr("Export codes…"), this, &MainWindow::exportCodes);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
}

void MainWindow::createActions() {
    createFileMenu();
    QMenu *train = menuBar()->addMenu(tr("&Train"));
    play_ = train->addAction(tr("Play"), this, [this] { explorer_->host()->togglePlay(); });
    play_->setShortcut(Qt::Key_Space);
    play_->setShortcutContext(Qt::ApplicationShortcut);
    step_ = train->addAction(tr("Step"), this, [this] { explorer_->host()->stepOnce(); });
    step_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Right));
    reset_ = train->addAction(tr("Reset"), this, &MainWindow::newModelAsked);
    reset_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    // Until a model is on show there is nothing to train (ModelFiles turns them on).
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
    SelectionToolBar::install(this, latent_, explorer_);

    fillHelpMenu(menuBar()->addMenu(tr("&Help")), this);
}

void MainWindow::start(const QStringList &files, const QString &followed) {
    if (!followed.isEmpty())
        files_->followRun(followed);
    else
        files_->start(files);
}

void MainWindow::openAsked(const QString &path) {
    // A file that cannot be a model or data is refused at once: nothing to ask about.
    const FileKind kind = fileKindOf(path.toStdString());
    const bool openable = kind == FileKind::Folder || kind == FileKind::Idx ||
                          kind == FileKind::Checkpoint || kind == FileKind::Zip;
    if (!openable ||
        files_->mayReplaceModel(tr("Open"), tr("Opening %1").arg(QFileInfo(path).fileName())))
        files_->open(path);
}

void MainWindow::newModelAsked() {
    if (files_->mayReplaceModel(tr("New model"), tr("A new model")))
        files_->createModel();
}

void MainWindow::followAsked(const QString &path) {
    if (files_->mayReplaceModel(tr("Follow run"), tr("Following a run")))
        files_->followRun(path);
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

void MainWindow::exportCodes() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export codes"), QStringLiteral("codes.csv"), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    const QString failure = failureOf([&] { explorer_->exportCodes(path); });
    if (!failure.isEmpty())
        return showError(failure);
    statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
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
        files_->restoreRecovery(newest.absoluteFilePath());
    else
        SessionRecovery::discard(newest.absoluteFilePath());
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

bool MainWindow::maySaveBeforeClosing() {
    SessionHost *host = explorer_->host();
    if (!host->hasUnsavedWork())
        return true;
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
    if (answer != QMessageBox::Save)
        return answer == QMessageBox::Discard;
    QString path = files_->checkpointPath();
    if (path.isEmpty())
        path = QFileDialog::getSaveFileName(this, tr("Save checkpoint"), QStringLiteral("model.pt"),
                                            tr("LatentLab checkpoints (*.pt)"));
    if (path.isEmpty())
        return false;
    const QString error = host->stop(path);
    if (!error.isEmpty())
        showError(error);
    return error.isEmpty();
}

void MainWindow::closeEvent(QCloseEvent *event) {
    if (!maySaveBeforeClosing()) {
        event->ignore();
        return;
    }
    explorer_->host()->stop();
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
