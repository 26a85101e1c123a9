#include "ui/session/trainingsession.h"

#include "model/data/sample.h"
#include "model/io/checkpoint.h"
#include "ui/threads/failure.h"
#include "ui/threads/threadwake.h"
#include "ui/threads/yield.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <limits>

namespace latentlab {

namespace {
constexpr auto kPublishEvery = std::chrono::milliseconds(100);
constexpr int64_t kSmallestChunk = 50;
constexpr double kFillChunkMs = 100; // a step or play waits at most about this for a fill
} // namespace

torch::Tensor Snapshot::codeOf(int64_t item, const torch::Tensor &images) const {
    const torch::Tensor row = codes[item];
    if (row.isfinite().all().item<bool>())
        return row.clone();
    return model->encode(images[item].unsqueeze(0))[0];
}

TrainingSession::TrainingSession(std::unique_ptr<Trainer> trainer, int64_t shown,
                                 int64_t liveSample, std::vector<Direction> directions,
                                 torch::Tensor firstCodes, QObject *parent)
    : QObject(parent)
    , trainer_(std::move(trainer))
    , config_(trainer_->config())
    , data_(trainer_->data())
    , prior_(makePrior(config_.priorSpec(), config_.priorSize()))
    , lossNames_(trainer_->lossNames())
    , shown_(std::min<int64_t>(shown, trainer_->data().size()))
    , initialDirections_(directions)
    , modelDirections_(std::move(directions))
    , snapshotWake_(std::make_unique<ThreadWake>()) {
    // The wake's context, not `this`: the session moves to the worker, and a connection to it
    // would be queued there.
    connect(snapshotWake_.get(), &ThreadWake::woken, snapshotWake_.get(),
            [this] { Q_EMIT snapshotReady(); });
    const std::vector<int64_t> sample = stratifiedSample(data_.labels, shown_, liveSample);
    std::vector<int64_t> rest;
    rest.reserve(size_t(shown_) - sample.size());
    for (int64_t i = 0, s = 0; i < shown_; ++i) {
        if (s < int64_t(sample.size()) && sample[size_t(s)] == i)
            ++s;
        else
            rest.push_back(i);
    }
    sample_ = torch::tensor(sample, torch::kLong);
    rest_ = torch::tensor(rest, torch::kLong);
    fillOrder_ = torch::cat({sample_, rest_});
    // The first snapshot is made here, so the view has codes before the thread starts: the
    // sample's; run() fills in the rest.
    const bool given = firstCodes.defined() && firstCodes.size(0) == shown_;
    codes_ = given ? std::move(firstCodes) : encodeShown(*trainer_, shown_, liveSample);
    // Codes encoded for another sample (the setting changed while the model was opening):
    // the sample's rows are encoded here, so that every row `known` names holds a code, and
    // the others are emptied, so that none outlives the weights it was encoded with.
    if (given && !codes_.index_select(0, sample_).isfinite().all().item<bool>())
        encodeRows(sample_);
    if (given && rest_.size(0) > 0)
        codes_.index_fill_(0, rest_, std::numeric_limits<float>::quiet_NaN());
    filled_ = sample_.size(0);
    publish(rest_.size(0) == 0);
}

TrainingSession::~TrainingSession() = default;

torch::Tensor TrainingSession::encodeShown(Trainer &trainer, int64_t shown, int64_t liveSample) {
    const Dataset &data = trainer.data();
    const int64_t n = std::min<int64_t>(shown, data.size());
    const std::vector<int64_t> sample = stratifiedSample(data.labels, n, liveSample);
    if (int64_t(sample.size()) == n)
        return trainer.encode(data.images.slice(0, 0, n));
    const torch::Tensor items = torch::tensor(sample, torch::kLong);
    const torch::Tensor some = trainer.encode(data.images.index_select(0, items));
    return torch::full({n, some.size(1)}, std::numeric_limits<float>::quiet_NaN(), some.options())
        .index_copy_(0, items, some);
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

void TrainingSession::encodeRows(const torch::Tensor &items) {
    const auto t0 = std::chrono::steady_clock::now();
    codes_.index_copy_(0, items, trainer_->encode(data_.images.index_select(0, items)));
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    encodeMsPerItem_ = std::max(1e-4, ms / double(std::max<int64_t>(1, items.size(0))));
}

void TrainingSession::weightsMoved() {
    filled_ = 0;
    publishedSettled_ = false;
    if (restKnown_ > 0) {
        codes_.index_fill_(0, rest_.slice(0, 0, restKnown_),
                           std::numeric_limits<float>::quiet_NaN());
        restKnown_ = 0;
    }
}

void TrainingSession::publishTraining(double stepsPerSecond) {
    const int64_t n = sample_.size(0);
    if (n > 0) {
        const int64_t chunk =
            std::min(n, std::max(kSmallestChunk, int64_t(encodeBudgetMs_ / encodeMsPerItem_)));
        const int64_t begin = nextChunk_;
        const int64_t end = std::min(n, begin + chunk);
        encodeRows(sample_.slice(0, begin, end));
        nextChunk_ = end >= n ? 0 : end;
    }
    publish(false, stepsPerSecond);
}

void TrainingSession::fillIn() {
    const int64_t total = fillOrder_.size(0);
    const int64_t chunk =
        std::min(std::max<int64_t>(1, total),
                 std::max(kSmallestChunk, int64_t(kFillChunkMs / encodeMsPerItem_)));
    const int64_t end = std::min(total, filled_ + chunk);
    if (end > filled_)
        encodeRows(fillOrder_.slice(0, filled_, end));
    filled_ = end;
    restKnown_ = std::max<int64_t>(0, filled_ - sample_.size(0));
    const bool done = filled_ >= total;
    const auto now = std::chrono::steady_clock::now();
    if (done || now - lastFillPublish_ >= kPublishEvery) {
        publish(done);
        lastFillPublish_ = now;
    }
}

void TrainingSession::publish(bool settled, std::optional<double> stepsPerSecond) {
    faultPoint("publish");
    std::shared_ptr<const ExplorableModel> model = modelPool_.freeze(trainer_->model());

    auto snap = std::make_shared<Snapshot>();
    snap->step = trainer_->steps();
    snap->playing = playing_;
    snap->settled = settled && !snap->playing;
    publishedSettled_ = snap->settled;
    snap->codes = codes_.clone();
    if (restKnown_ < rest_.size(0))
        snap->known = torch::cat({sample_, rest_.slice(0, 0, restKnown_)});
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
            // After single steps, a pause or a rollback, every code is encoded again with
            // these weights, a chunk at a time so that a step, play or stop cuts in, and the
            // snapshots show them filling in (a snapshot made while playing holds the live
            // sample's codes only, and of one chunk fresh).
            if (!publishedSettled_) {
                if (!guarded([&] { fillIn(); }))
                    publishedSettled_ = true; // a failed fill is reported once, not forever
                continue;
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
        weightsMoved(); // or rolled back
        const int64_t target = target_;
        if (target > 0 && trainer_->steps() >= target && playing_) {
            pause();
            Q_EMIT targetReached(trainer_->steps());
        }
        const auto now = Clock::now();
        if (now - lastPublish >= kPublishEvery && playing_) {
            const double seconds = std::chrono::duration<double>(now - lastPublish).count();
            const double rate = double(trainer_->steps() - stepsAtPublish) / seconds;
            guarded([&] { publishTraining(rate); });
            lastPublish = now;
            stepsAtPublish = trainer_->steps();
        }
    }
    applyCommands(); // saves asked for just before the stop
    Q_EMIT finished();
}

} // namespace latentlab
