#pragma once
// ModelFiles: which model is on show, and where it came from. Opening a checkpoint, a
// TorchScript model or a data set, building a new model from the Data & Model choices,
// following a run written elsewhere, restoring work after a crash, and saving. The slow part
// of each (reading the file, loading the data, encoding the items the scatter shows) runs as a
// background task (ui/threads/backgroundtasks.h), so the window stays interactive; the model
// goes on show, with the panels in step, once it is ready. The model on show stays until then,
// and stays when the new one fails (failed() says why). GUI thread only.

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

class QAction;
class QMenu;
class QWidget;

namespace latentlab {

struct Checkpoint;
class Explorer;
class ExplorableModel;
class ModelPanel;
class RunFollower;
class TrainingPanel;

class ModelFiles : public QObject {
    Q_OBJECT
public:
    struct Parts {
        QWidget *window; // the parent of the questions and file dialogs
        Explorer *explorer;
        ModelPanel *modelPanel;
        TrainingPanel *trainingPanel;
        QAction *play, *step; // on for a model that trains here
        QMenu *recent;        // filled with the recent models
    };
    explicit ModelFiles(const Parts &parts, QObject *parent = nullptr);

    // What an open, a build or a restore does once it ended (ok: the model is on show).
    using Then = std::function<void(bool ok)>;

    // A checkpoint, a TorchScript model, an IDX file or an image folder, by its content.
    void open(const QString &path, Then then = {});
    // A model file and a data set (either, or both in either order), as `latentlab FILE...`
    // opens them: the data first, so that a TorchScript model is explored on it.
    void openFiles(const QStringList &paths, Then then = {});
    // A model from the Data & Model choices (paused).
    void createModel(Then then = {});
    // What the window shows first: `files`, and where they are none or fail, a new model from
    // the Data & Model choices (or, where those fail too, from the defaults).
    void start(const QStringList &files);
    // Each new checkpoint of a run written elsewhere (its folder or checkpoint) replaces the
    // model on show, keeping the view and the interpolation ends.
    void followRun(const QString &path);
    void stopFollowing();
    RunFollower *follower() const { return follower_; }
    // A recovery file as unsaved work; removed once on show, kept (and said so) on failure.
    void restoreRecovery(const QString &path, Then then = {});
    // Saves the model on show to its file, or asks where (askForPath, or a model with none).
    void save(bool askForPath);
    QString checkpointPath() const { return checkpointPath_; }
    // An open, a build or a restore is under way.
    bool busy() const { return pending_ > 0; }
    // Before a person's action replaces the model on show (`what`: "Opening a file"): true
    // when nothing is unsaved or the person agrees to lose it.
    bool mayReplaceModel(const QString &title, const QString &what);
    // The recent models list, newest first (also the Recent menu).
    void addRecent(const QString &path);

Q_SIGNALS:
    void message(const QString &text, int milliseconds);
    void failed(const QString &text);
    // "model.pt[*] — LatentLab": the window's title ([*]: Qt's unsaved mark).
    void titleChanged(const QString &title);
    // What the status bar says of a followed run (empty: none is followed).
    void followStatus(const QString &text);
    // The last of the opens, builds and restores asked for ended (ok: its model is on show).
    void ended(bool ok);
    // The person chose an entry of the Recent menu.
    void recentChosen(const QString &path);

private:
    struct Prepared; // a model read, with the codes of the items shown
    using Load = std::function<Checkpoint()>;
    using Show = std::function<void(Prepared &)>;
    // Runs `load` and encodes the shown items as a background task, then `show` here; a
    // failure of either is reported. `then` follows either way.
    void prepare(const QString &what, Load load, Show show, Then then,
                 std::function<void()> onFailure = {});
    // A failure said, then `then`.
    void fail(const QString &text, const Then &then);
    void finish(bool ok, const Then &then);
    void openCheckpoint(const QString &path, Then then);
    // A new model on the data set `spec` ("idx:PATH", "folder:PATH").
    void openData(const QString &spec, Then then);
    void createStartingModel();
    // The prepared model on show, the panels in step. `origin`: what the Loaded row says.
    using Describe = std::function<QString(const ExplorableModel &)>;
    void showModel(Prepared &model, const Describe &origin, bool keepView = false);
    void showCheckpoint(Prepared &model, const QString &path, const QString &origin = {});
    void showFollowedVersion();
    // The losses.csv beside a checkpoint (a run of latentlab-cli train) up to its step.
    void showLossesBeside(const QString &checkpoint, const std::vector<std::string> &lossNames,
                          qint64 step);
    void updateTitle();
    void updateRecentMenu();

    Parts parts_;
    RunFollower *follower_;
    QString checkpointPath_;
    int pending_ = 0;
};

} // namespace latentlab
