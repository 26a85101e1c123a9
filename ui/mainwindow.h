#pragma once
// MainWindow: the explorer's window. It lays out the docks, owns the menu actions and the file
// dialogs, and hands everything about training and views to Explorer.

#include <QMainWindow>
#include <QStringList>

class QAction;
class QMenu;

namespace latentlab {

class Explorer;
class LatentPlot;
class LatentToolBar;
class ModelPanel;
class TrainingPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a checkpoint, an IDX file or an image folder, as dropping it on the window does.
    void openPath(const QString &path);
    // Builds a model from the Data & Model choices (paused).
    void createModel();
    Explorer *explorer() const { return explorer_; }
    LatentPlot *latentPlot() const { return latent_; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createDocks();
    void openCheckpoint(const QString &path);
    void saveCheckpoint(bool askForPath);
    void exportScatter();
    void addRecent(const QString &path);
    void updateRecentMenu();
    void showError(const QString &text);

    LatentPlot *latent_;
    Explorer *explorer_;
    ModelPanel *modelPanel_ = nullptr;
    TrainingPanel *trainingPanel_ = nullptr;
    LatentToolBar *latentToolBar_ = nullptr;
    QAction *play_, *step_, *reset_;
    QMenu *recentMenu_ = nullptr, *viewMenu_ = nullptr;
    QString checkpointPath_;
};

} // namespace latentlab
