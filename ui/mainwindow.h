#pragma once
// MainWindow: the explorer's window. It lays out the docks, owns the menu actions and the file
// dialogs, and hands everything about training and views to Explorer.

#include <QMainWindow>
#include <QStringList>

#include <functional>
#include <memory>

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
class Trainer;
class TrainingPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a checkpoint, an IDX file or an image folder, as dropping it on the window does.
    void openPath(const QString &path);
    // Follows a training run written elsewhere (a run folder or its checkpoint): each new
    // checkpoint replaces the model on show, keeping the view and the interpolation ends.
    void followRun(const QString &path);
    RunFollower *follower() const { return follower_; }
    // Builds a model from the Data & Model choices (paused).
    void createModel();
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
    void createDocks();
    void openCheckpoint(const QString &path);
    // A paused session on `trainer` (with its data), the panels in step. Throws like model/.
    void startSession(std::unique_ptr<Trainer> trainer, bool keepView = false);
    // A followed run's new version is ready (RunFollower::loaded).
    void showFollowedVersion();
    void stopFollowing();
    void startFromCheckpoint(const QString &path);
    void saveCheckpoint(bool askForPath);
    void exportScatter();
    void addRecent(const QString &path);
    // "model.pt — LatentLab", or "unsaved model — LatentLab".
    void updateTitle();
    void updateRecentMenu();
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
};

} // namespace latentlab
