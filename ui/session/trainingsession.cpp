#include "ui/session/trainingsession.h"

#include "model/io/checkpoint.h"
#include "ui/threads/failure.h"
#include "ui/threads/threadwake.h"
#include "ui/threads/yield.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

namespace latentlab {

namespace {
constexpr auto kPublishEvery = std::chrono::milliseconds(100);
constexpr int64_t kSmallestChunk = 50;
} // namespace

TrainingSession::TrainingSession(std::unique_ptr<Trainer> trainer, int64_t shown,
                                 std::vector<Direction> directions, torch::Tensor firstCodes,
                                 QObject *parent)
    : QObject(parent)
    , trainer_(std::move(trainer))
    , config_(trainer_->config())
    , data_(trainer_->data())
    , prior_(makePrior(config_.priorSpec(), config_.priorSize()))
    , lossNames_(trainer_->lossNames())
    , shown_(std::min<int64_t>(shown, trainer_->data().size()))
    , initialDirections_(directions)
    , modelDirections_(std::move(directions))
    , firstCodes_(std::move(firstCodes))
    , snapshotWake_(std::make_unique<ThreadWake>()) {
    // The wake's context, not `this`: the session moves to the worker, and a connection to it
    // would be queued there.
    connect(snapshotWake_.get(), &ThreadWake::woken, snapshotWake_.get(),
            [this] { Q_EMIT snapshotReady(); });
    // The first snapshot is made here, so the view has codes before the thread starts.
    publish(true);
}

TrainingSession::~TrainingSession() = default;

torch::Tensor TrainingSession::encodeShown(Trainer &trainer, int64_t shown) {
    const int64_t n = std::min<int64_t>(shown, trainer.data().size());
    return trainer.encode(trainer.data().images.slice(0, 0, n));
}

void TrainingSession::play() {
    if (!playing_.exchange(true))
        Q_EMIT playingChanged(true);
    wake_.notify_all();
}

void TrainingSession::pause() {
    if (playing_.exchange(false))
        Q_EMIT playingChanged(false);
}

void TrainingSession::requestSteps(int count) {
    stepsRequested_ += count;
    wake_.notify_all();
}

void TrainingSession::setTargetSteps(int64_t target) {
    target_ = target;
}

void TrainingSession::setLearningRates(double recon, double disc, double gen) {
    std::lock_guard lock(commandMutex_);
    rates_ = std::array<double, 3>{recon, disc, gen};
}

void TrainingSession::setBatchSize(int batch) {
    std::lock_guard lock(commandMutex_);
    batch_ = batch;
}

void TrainingSession::setAdversarialWeight(double weight) {
    std::lock_guard lock(commandMutex_);
    adversarialWeight_ = weight;
}

void TrainingSession::setDirections(std::vector<Direction> directions) {
    std::lock_guard lock(commandMutex_);
    directions_ = std::move(directions);
}

void TrainingSession::requestSave(const QString &path) {
    {
        std::lock_guard lock(commandMutex_);
        saves_.push_back(path);
    }
    wake_.notify_all();
}

void TrainingSession::requestStop() {
    stop_ = true;
    wake_.notify_all();
}

std::shared_ptr<const Snapshot> TrainingSession::latest() const {
    std::lock_guard lock(snapshotMutex_);
    return latest_;
}

std::vector<LossRecord> TrainingSession::takeLosses() {
    std::lock_guard lock(snapshotMutex_);
    return std::exchange(pendingLosses_, {});
}

void TrainingSession::applyCommands() {
    std::optional<std::array<double, 3>> rates;
    std::optional<int> batch;
    std::optional<double> weight;
    std::vector<QString> saves;
    std::optional<std::vector<Direction>> directions;
    {
        std::lock_guard lock(commandMutex_);
        directions = std::exchange(directions_, std::nullopt);
        rates = std::exchange(rates_, std::nullopt);
        batch = std::exchange(batch_, std::nullopt);
        weight = std::exchange(adversarialWeight_, std::nullopt);
        saves.swap(saves_);
    }
    // Each command on its own: a bad one is reported and the others still apply.
    if (rates)
        guarded([&] {
            faultPoint("commands");
            trainer_->setLearningRates((*rates)[0], (*rates)[1], (*rates)[2]);
        });
    if (batch)
        guarded([&] { trainer_->setBatchSize(*batch); });
    if (weight)
        guarded([&] { trainer_->setAdversarialWeight(*weight); });
    if (directions) // before the saves asked for with them
        guarded([&] {
            checkDirections(*directions, config_.codeSize());
            modelDirections_ = std::move(*directions);
        });
    for (const QString &path : saves)
        save(path);
}

void TrainingSession::save(const QString &path) {
    // No malloc_trim() after a save: it would hand back the free pages of every thread's
    // arena, the window's too, and its next frames would fault them in again. The checkpoint
    // is encoded into one buffer; a model's above 32 MiB is mapped on its own and goes back to
    // the system when freed, a smaller one's is kept for the next save (docs/RELIABILITY.md,
    // "Memory and the C library").
    const QString failure = failureOf([&] {
        faultPoint("save");
        saveCheckpoint(*trainer_, path.toStdString(), modelDirections_);
    });
    Q_EMIT saved(path, failure, trainer_->steps());
}

bool TrainingSession::guarded(const std::function<void()> &work) {
    const QString failure = failureOf(work);
    if (failure.isEmpty())
        return true;
    stepsRequested_ = 0;
    pause();
    Q_EMIT failed(failure);
    return false;
}

void TrainingSession::trainStep() {
    faultPoint("step");
    const StepLosses losses = trainer_->step();
    LossRecord record{losses.step, {}};
    for (const auto &v : losses.values)
        record.values.push_back(v.second);
    std::lock_guard lock(snapshotMutex_);
    pendingLosses_.push_back(std::move(record));
}

void TrainingSession::publish(bool allCodes, std::optional<double> stepsPerSecond) {
    faultPoint("publish");
    const auto t0 = std::chrono::steady_clock::now();
    int64_t encoded = shown_;
    if (allCodes) {
        const bool given = firstCodes_.defined() && firstCodes_.size(0) == shown_;
        codes_ = given ? firstCodes_ : trainer_->encode(data_.images.slice(0, 0, shown_));
        firstCodes_ = torch::Tensor();
        nextChunk_ = 0;
    } else if (shown_ > 0) {
        const int64_t chunk = std::clamp<int64_t>(int64_t(encodeBudgetMs_ / encodeMsPerItem_),
                                                  kSmallestChunk, shown_);
        const int64_t begin = nextChunk_;
        const int64_t end = std::min(shown_, begin + chunk);
        codes_.slice(0, begin, end).copy_(trainer_->encode(data_.images.slice(0, begin, end)));
        encoded = end - begin;
        nextChunk_ = end >= shown_ ? 0 : end;
    }
    if (encoded > 0) {
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        encodeMsPerItem_ = std::max(1e-4, ms / double(encoded));
    }
    std::shared_ptr<const ExplorableModel> model = modelPool_.freeze(trainer_->model());

    auto snap = std::make_shared<Snapshot>();
    snap->step = trainer_->steps();
    snap->playing = playing_;
    snap->settled = allCodes && !snap->playing;
    publishedSettled_ = snap->settled;
    snap->codes = codes_.clone();
    snap->model = model;
    {
        std::lock_guard lock(snapshotMutex_);
        if (stepsPerSecond)
            snap->stepsPerSecond = *stepsPerSecond;
        else if (latest_ && snap->playing)
            snap->stepsPerSecond = latest_->stepsPerSecond;
        latest_ = std::move(snap);
    }
    snapshotWake_->wake();
}

void TrainingSession::run() {
    yieldToInterface(Yield::Background); // the window answers first; training takes what is left
    using Clock = std::chrono::steady_clock;
    auto lastPublish = Clock::now();
    int64_t stepsAtPublish = trainer_->steps();
    while (!stop_) {
        applyCommands();
        const bool single = !playing_ && stepsRequested_ > 0;
        if (!playing_ && !single) {
            // Show the result of single steps, a pause or a rollback at once, with every code
            // re-encoded: a snapshot made while playing holds fresh codes of one chunk only.
            if (!publishedSettled_) {
                publishedSettled_ = true; // a failed publish is reported once, not every 50 ms
                guarded([&] { publish(true); });
            }
            std::unique_lock lock(commandMutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(50), [&] {
                return stop_ || playing_ || stepsRequested_ > 0 || !saves_.empty();
            });
            continue;
        }
        if (single)
            --stepsRequested_;
        guarded([&] { trainStep(); });
        publishedSettled_ = false; // the weights moved (or rolled back) since
        const int64_t target = target_;
        if (target > 0 && trainer_->steps() >= target && playing_) {
            pause();
            Q_EMIT targetReached(trainer_->steps());
        }
        const auto now = Clock::now();
        if (now - lastPublish >= kPublishEvery && playing_) {
            const double seconds = std::chrono::duration<double>(now - lastPublish).count();
            const double rate = double(trainer_->steps() - stepsAtPublish) / seconds;
            guarded([&] { publish(false, rate); });
            lastPublish = now;
            stepsAtPublish = trainer_->steps();
        }
    }
    applyCommands(); // saves asked for just before the stop
    // The last snapshot holds every code of the last weights. When it does already (paused),
    // encoding them all again would only keep the window waiting for the thread to end.
    if (!publishedSettled_)
        guarded([&] { publish(true); });
    Q_EMIT finished();
}

} // namespace latentlab
