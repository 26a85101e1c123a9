#pragma once
// MainWindow: the explorer's window. It lays out the docks, owns the menu actions and the file
// dialogs, and hands everything about training and views to Explorer.

#include <QMainWindow>
#include <QStringList>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class QAction;
class QLabel;
class QMenu;
class QMessageBox;

namespace latentlab {

class Explorer;
class LatentPlot;
class LatentToolBar;
class ModelPanel;
class RunFollower;
class SessionRecovery;
class TextLine;
struct Checkpoint;
class ExplorableModel;
class TrainingPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a checkpoint, a TorchScript model, an IDX file or an image folder, as dropping it
    // on the window does. On failure (false) a message says why, and the model on show and
    // the Data & Model choices stay as they were.
    bool openPath(const QString &path);
    // A model file and a data set (either, or both in either order), as `latentlab FILE...`
    // opens them. False, with a message, when one fails or there are more.
    bool openFiles(const QStringList &paths);
    // What the window shows first: the run `followed` when given, else `files`, and where they
    // are none or fail to open, a fresh model from the Data & Model choices (or, where those
    // fail too, from the defaults).
    void start(const QStringList &files, const QString &followed = {});
    // Follows a training run written elsewhere (a run folder or its checkpoint): each new
    // checkpoint replaces the model on show, keeping the view and the interpolation ends.
    void followRun(const QString &path);
    RunFollower *follower() const { return follower_; }
    // Builds a model from the Data & Model choices (paused). False, with a message, when it
    // cannot be built; the model on show stays then.
    bool createModel();
    Explorer *explorer() const { return explorer_; }
    SessionRecovery *recovery() const { return recovery_; }
    // After a crash: asks whether to restore the newest session a gone window autosaved.
    void offerRecovery();
    // Opens a recovery file as unsaved work and removes it. False (and a message) on failure;
    // the file then stays where it is.
    bool restoreRecovery(const QString &path);
    // Shows a failure in the status bar and a message box.
    void showError(const QString &text);
    LatentPlot *latentPlot() const { return latent_; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    bool openCheckpoint(const QString &path);
    // A new model on the data set `spec` ("idx:PATH", "folder:PATH").
    bool openData(const QString &spec);
    // createModel(), and where the remembered choices fail, the defaults.
    void createStartingModel();
    // What the person's Open, Recent, drop, Create and Reset do: openPath() and createModel()
    // once mayReplaceModel() agrees.
    void openAsked(const QString &path);
    void newModelAsked();
    // A paused session on `trainer` (with its data), the panels in step. Throws like model/.
    // Says where a model came from, once it is on show ("LatentLab checkpoint model.pt").
    using Describe = std::function<QString(const ExplorableModel &)>;
    void startSession(Checkpoint model, const Describe &origin, bool keepView = false);
    // A followed run's new version is ready (RunFollower::loaded).
    void showFollowedVersion();
    void stopFollowing();
    // `origin`: what the Loaded row says (empty: the file's kind and name).
    void startFromCheckpoint(const QString &path, const QString &origin = {});
    // The losses.csv beside a checkpoint (a run of latentlab-cli train) up to its step, on the
    // loss plot, when it has the model's losses.
    void showLossesBeside(const QString &checkpoint, const std::vector<std::string> &lossNames,
                          qint64 step);
    void saveCheckpoint(bool askForPath);
    void exportScatter();
    void addRecent(const QString &path);
    // The window's size when no earlier one is remembered: as much of the screen as it needs.
    QSize firstSize() const;
    // The status bar's lasting hint.
    static QString hintText(bool playing);
    // "model.pt — LatentLab", or "unsaved model — LatentLab".
    void updateTitle();
    void updateRecentMenu();
    // Before a person's action replaces the model on show (`what`: "Opening a file"): true
    // when nothing is unsaved or the person agrees to lose it.
    bool mayReplaceModel(const QString &title, const QString &what);
    // Runs work that reaches model/; a failure of any kind is shown, never thrown.
    bool guarded(const std::function<void()> &work);

    LatentPlot *latent_;
    Explorer *explorer_;
    SessionRecovery *recovery_ = nullptr;
    ModelPanel *modelPanel_ = nullptr;
    TrainingPanel *trainingPanel_ = nullptr;
    LatentToolBar *latentToolBar_ = nullptr;
    QAction *play_, *step_, *reset_;
    QMenu *recentMenu_ = nullptr, *viewMenu_ = nullptr;
    QString checkpointPath_;
    QMessageBox *errorBox_ = nullptr;
    RunFollower *follower_ = nullptr;
    QLabel *followLabel_ = nullptr; // in the status bar while a run is followed
    TextLine *hint_ = nullptr;      // what to do next, at the right of the status bar
};

} // namespace latentlab
