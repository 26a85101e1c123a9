#pragma once
// TrainingSession: owns a Trainer and runs it in a worker thread (docs/ARCHITECTURE.md, "Threads").
//
// The controls (play, pause, step, rates, save, stop) are thread-safe: they set atomics or a
// small locked command block that the loop reads between steps, and wake it when it sleeps.
// About every 100 ms the loop publishes a Snapshot (step, speed, the codes of the shown items,
// a frozen copy of the model) and announces it with snapshotReady(), which is emitted on the
// thread that made the session (the GUI thread); the interface takes the newest with latest()
// and the losses since its last call with takeLosses(). No exception escapes the loop
// (ui/threads/failure.h): a failed step, command or snapshot pauses training and failed() carries a
// sentence for the person; a failed save answers saved() with the reason. A step whose loss is
// not finite comes back with the trainer's last good state restored (Trainer::step()).
//
// Use: construct on the GUI thread, moveToThread(worker), connect worker's started() to run(),
// and end with requestStop(); worker->quit(); worker->wait().

#include "model/analysis/directions.h"
#include "model/nets/frozenmodel.h"
#include "model/train/trainer.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace latentlab {

class ThreadWake;

struct Snapshot {
    int64_t step = 0;
    double stepsPerSecond = 0;
    bool playing = false;
    // Made while paused, with every code from this model and the weights the trainer holds.
    // The last snapshot after a pause, single steps or a rollback is settled, unless making
    // it failed (failed() then says so); the next follows when training moves or stops.
    bool settled = false;
    // [shown, D], CPU: row i is the code of data item i, or NaN where `known` leaves it out.
    torch::Tensor codes;
    // The items whose rows hold codes (int64, sample first), or undefined when every row does.
    // While training on more items than the live sample, only the sample's rows hold codes;
    // after a pause (or at the start) the other items are encoded a chunk at a time and fill in.
    torch::Tensor known;
    int64_t knownCount() const { return known.defined() ? known.size(0) : codes.size(0); }
    bool complete() const { return !known.defined(); }
    // The rows that hold codes, in the order of `known` (all of `codes` when complete).
    torch::Tensor knownCodes() const {
        return known.defined() ? codes.index_select(0, known) : codes;
    }
    // Item `item`'s code: its row, or when the row has none, its image (of `images`) encoded
    // by `model`.
    torch::Tensor codeOf(int64_t item, const torch::Tensor &images) const;
    // The model as it was: frozen networks, or a TorchScript model (its weights never change).
    std::shared_ptr<const ExplorableModel> model;
};

struct LossRecord {
    int64_t step = 0;
    std::vector<double> values; // in the order of Trainer::lossNames()
};

class TrainingSession : public QObject {
    Q_OBJECT
public:
    // How many of the shown items training re-encodes for its live snapshots unless told.
    static constexpr int64_t kLiveSample = 20000;

    // `trainer` must have its data set. The first `shown` items are the view's. `liveSample`
    // of them, stratified by label (model/data/sample.h), are what training re-encodes for its
    // snapshots; they are encoded here, unless `firstCodes` holds them already (encodeShown(),
    // run off the GUI thread), and the rest fill in once run() starts. `directions`: those
    // saved with the model (its checkpoint's), kept with it and saved with it again.
    TrainingSession(std::unique_ptr<Trainer> trainer, int64_t shown,
                    int64_t liveSample = kLiveSample, std::vector<Direction> directions = {},
                    torch::Tensor firstCodes = {}, QObject *parent = nullptr);
    // The codes of the first `shown` items as a session on `trainer` shows them first: the
    // live sample's rows encoded, the others NaN. Any thread, while nothing else uses the
    // trainer.
    static torch::Tensor encodeShown(Trainer &trainer, int64_t shown,
                                     int64_t liveSample = kLiveSample);
    ~TrainingSession() override;

    // Thread-safe controls.
    void play();
    void pause();
    void requestSteps(int count);        // single steps while paused
    void setTargetSteps(int64_t target); // pause on reaching it; 0 for none
    // While training runs, each snapshot re-encodes only as many live-sample items (50 or more) as
    // fit in this much time, 20 ms unless set: keeping the scatter fresh then costs training
    // at most about a fifth of its speed.
    void setEncodeBudget(double milliseconds) { encodeBudgetMs_ = milliseconds; }
    void setLearningRates(double recon, double disc, double gen);
    void setBatchSize(int batch);
    void setAdversarialWeight(double weight);
    // Directions kept with the model and written with its next save.
    void setDirections(std::vector<Direction> directions);
    void requestSave(const QString &path); // answered by saved()
    void requestStop();
    bool isPlaying() const { return playing_; }

    std::shared_ptr<const Snapshot> latest() const;
    std::vector<LossRecord> takeLosses();

    // Fixed for the session's life; safe from any thread.
    const ModelConfig &config() const { return config_; }
    const Dataset &data() const { return data_; }
    std::vector<std::string> lossNames() const { return lossNames_; }
    const Prior &prior() const { return *prior_; }
    // The directions the model came with (an opened checkpoint's).
    const std::vector<Direction> &initialDirections() const { return initialDirections_; }

    // The loop; returns after requestStop(). Runs in the worker thread.
    void run();

Q_SIGNALS:
    // On the constructing thread, through a ThreadWake rather than a queued signal (a snapshot
    // every 100 ms: ThreadSanitizer cannot see Qt's posted-event handover,
    // ui/threads/threadwake.h); once for any number of snapshots published since the last.
    void snapshotReady();
    void failed(const QString &message);
    // A save ended (error empty: written) with the model at `step`.
    void saved(const QString &path, const QString &error, qint64 step);
    void playingChanged(bool playing);
    void targetReached(qint64 step);
    void finished();

private:
    void applyCommands();
    void save(const QString &path);
    void trainStep();
    // Runs `work`; on failure pauses, drops pending single steps and emits failed().
    bool guarded(const std::function<void()> &work);
    // While training: re-encodes the next chunk of the live sample, then publishes.
    void publishTraining(double stepsPerSecond);
    // While paused: encodes the next chunk (about 100 ms) of the items not yet encoded by
    // these weights, sample first; publishes every 100 ms and when the last is done (settled).
    void fillIn();
    // The weights moved: the rows of items outside the sample become NaN (once), and the next
    // fill starts over.
    void weightsMoved();
    // Encodes these items (int64) into their rows of codes_, timing it for the chunk sizes.
    void encodeRows(const torch::Tensor &items);
    // Freezes the model and swaps latest_.
    void publish(bool settled, std::optional<double> stepsPerSecond = {});

    std::unique_ptr<Trainer> trainer_;
    const ModelConfig config_;
    const Dataset data_;
    std::unique_ptr<Prior> prior_;
    const std::vector<std::string> lossNames_;
    const int64_t shown_;
    const std::vector<Direction> initialDirections_;

    std::atomic<bool> playing_{false};
    std::atomic<bool> stop_{false};
    std::atomic<int> stepsRequested_{0};
    std::atomic<int64_t> target_{0};

    std::mutex commandMutex_;
    std::condition_variable wake_;
    std::optional<std::array<double, 3>> rates_;
    std::optional<int> batch_;
    std::optional<double> adversarialWeight_;
    std::vector<QString> saves_;
    std::optional<std::vector<Direction>> directions_;

    mutable std::mutex snapshotMutex_;
    std::shared_ptr<const Snapshot> latest_;
    std::vector<LossRecord> pendingLosses_;

    // Worker-thread state.
    std::vector<Direction> modelDirections_; // saved with the model
    torch::Tensor codes_;
    torch::Tensor sample_;    // int64, ascending: the live sample's items
    torch::Tensor rest_;      // int64, ascending: the other shown items
    torch::Tensor fillOrder_; // sample_ then rest_
    int64_t restKnown_ = 0;   // rest_'s first so many rows hold codes (of these weights)
    int64_t filled_ = 0;      // fillOrder_'s first so many were encoded with these weights
    std::chrono::steady_clock::time_point lastFillPublish_;
    int64_t nextChunk_ = 0; // into sample_, while training
    // False once the weights move or a snapshot is made while playing: a settled one is owed.
    bool publishedSettled_ = false;
    std::atomic<double> encodeBudgetMs_{20.0};
    double encodeMsPerItem_ = 0.05; // measured as we go
    // The interface reaches frozen models only through latest_, which holds a second reference.
    FrozenModelPool modelPool_;

    // Not a child: it stays on the constructing thread when the session moves to the worker.
    std::unique_ptr<ThreadWake> snapshotWake_;
};

} // namespace latentlab
