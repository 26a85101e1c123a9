#pragma once
// MainWindow: the explorer's window. It lays out the docks, the menus and the status bar, asks
// the person's questions (open, save, close), and hands the rest on: which model is on show to
// ModelFiles, training to the SessionHost, and the views to Explorer.

#include <QMainWindow>
#include <QStringList>

class QAction;
class QLabel;
class QMenu;
class QMessageBox;

namespace latentlab {

class DirectionsPanel;
class Explorer;
class ImagePairView;
class InterpolationPanel;
class LatentPlot;
class LossPlot;
class ModelFiles;
class LatentToolBar;
class ModelPanel;
class SessionRecovery;
class TextLine;
class TrainingPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // What the window shows first: the run `followed` when given, else `files` (a model, a
    // data set, or both), and where they are none or fail to open, a fresh model from the
    // Data & Model choices (or, where those fail too, from the defaults).
    void start(const QStringList &files, const QString &followed = {});
    // Opening, building, following, restoring and saving models (in the background).
    ModelFiles *files() const { return files_; }
    Explorer *explorer() const { return explorer_; }
    SessionRecovery *recovery() const { return recovery_; }
    // After a crash: asks whether to restore the newest session a gone window autosaved.
    void offerRecovery();
    // Shows a failure in the status bar and a message box.
    void showError(const QString &text);
    LatentPlot *latentPlot() const { return latent_; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // The docks around the scatter.
    void createDocks(LossPlot *losses, ImagePairView *inspector, InterpolationPanel *interpolation,
                     DirectionsPanel *directions);
    void createStatusBar();
    void createFileMenu();
    void createActions();
    void connectSession();
    // What the person's Open, Recent, drop, Follow, Create and Reset do once
    // ModelFiles::mayReplaceModel() agrees.
    void openAsked(const QString &path);
    void newModelAsked();
    void followAsked(const QString &path);
    // Closing with unsaved work: asks, and saves when told. False: the window stays open.
    bool maySaveBeforeClosing();
    void exportScatter();
    void exportCodes();
    // The window's size when no earlier one is remembered: as much of the screen as it needs.
    QSize firstSize() const;
    // The status bar's lasting hint.
    static QString hintText(bool playing);

    LatentPlot *latent_;
    Explorer *explorer_;
    ModelFiles *files_ = nullptr;
    SessionRecovery *recovery_ = nullptr;
    ModelPanel *modelPanel_ = nullptr;
    TrainingPanel *trainingPanel_ = nullptr;
    LatentToolBar *latentToolBar_ = nullptr;
    QAction *play_, *step_, *reset_;
    QMenu *recentMenu_ = nullptr, *viewMenu_ = nullptr;
    QMessageBox *errorBox_ = nullptr;
    QLabel *followLabel_ = nullptr; // in the status bar while a run is followed
    TextLine *hint_ = nullptr;      // what to do next, at the right of the status bar
};

} // namespace latentlab
