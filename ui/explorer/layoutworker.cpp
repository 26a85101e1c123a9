#include "ui/explorer/layoutworker.h"

#include "ui/threads/failure.h"
#include "ui/threads/threadwake.h"
#include "ui/threads/yield.h"

#include <torch/torch.h>

#include <chrono>

namespace latentlab {

namespace {

bool sameOptions(const UmapOptions &a, const UmapOptions &b) {
    return a.neighbours == b.neighbours && a.minDistance == b.minDistance && a.epochs == b.epochs &&
           a.negativeSamples == b.negativeSamples && a.seed == b.seed;
}

// A frame every so often while a layout settles: the Projector's animation without redrawing
// 10,000 points more often than the eye follows.
constexpr auto kFrameInterval = std::chrono::milliseconds(80);

} // namespace

LayoutWorker::LayoutWorker(QObject *parent)
    : QObject(parent)
    , gui_(new ThreadWake(this))
    , thread_([this] { loop(); }) {
    connect(gui_, &ThreadWake::woken, this, &LayoutWorker::runPosted);
}

LayoutWorker::~LayoutWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        interrupt_ = true;
        waiting_.reset();
    }
    wake_.notify_all();
    thread_.join();
}

void LayoutWorker::submit(const torch::Tensor &codes, const UmapOptions &options, bool restart) {
    busy_ = true;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (running_ &&
            (restart || !sameOptions(options, runningOptions_) || codes.size(0) != runningItems_))
            interrupt_ = true;
        waiting_ = Request{codes, options, restart, ++submitted_};
    }
    wake_.notify_all();
}

void LayoutWorker::cancel() {
    std::lock_guard<std::mutex> lock(mutex_);
    waiting_.reset();
    interrupt_ = true;
    shownTicket_ = ++ticket_;
    busy_ = false;
}

void LayoutWorker::post(uint64_t ticket, std::function<void()> work) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        posted_.emplace_back(ticket, std::move(work));
    }
    gui_->wake();
}

void LayoutWorker::runPosted() {
    std::vector<std::pair<uint64_t, std::function<void()>>> posted;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        posted.swap(posted_);
    }
    for (const auto &[ticket, work] : posted)
        if (ticket == shownTicket_)
            work();
}

void LayoutWorker::loop() {
    yieldToInterface(Yield::Background); // as the manifold map does
    torch::NoGradGuard noGrad;
    Previous previous;
    for (;;) {
        Request request;
        uint64_t ticket = 0;
        if (!nextRequest(request, ticket))
            return;
        const QString failure = failureOf([&] { layOut(request, ticket, previous); });
        if (!failure.isEmpty()) {
            previous.layout = torch::Tensor();
            post(ticket, [this, failure] { Q_EMIT failed(failure); });
        }
        post(ticket, [this, number = request.number] {
            if (number == submitted_)
                busy_ = false;
        });
    }
}

bool LayoutWorker::nextRequest(Request &request, uint64_t &ticket) {
    std::unique_lock<std::mutex> lock(mutex_);
    running_ = false;
    wake_.wait(lock, [this] { return stop_ || waiting_.has_value(); });
    if (stop_)
        return false;
    request = std::move(*waiting_);
    waiting_.reset();
    interrupt_ = false;
    running_ = true;
    runningOptions_ = request.options;
    runningItems_ = request.codes.size(0);
    ticket = ticket_;
    return true;
}

void LayoutWorker::layOut(const Request &request, uint64_t ticket, Previous &previous) {
    const auto started = std::chrono::steady_clock::now();
    const bool warm = !request.restart && previous.layout.defined() && previous.ticket == ticket &&
                      previous.layout.size(0) == request.codes.size(0) &&
                      sameOptions(previous.options, request.options);
    UmapLayout umap(request.options);
    umap.setCodes(request.codes, warm ? previous.layout : torch::Tensor());
    auto shown = started;
    for (bool done = false; !done;) {
        done = umap.run(1);
        const auto now = std::chrono::steady_clock::now();
        bool interrupted = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            interrupted = stop_ || interrupt_;
        }
        if (!done && !interrupted && now - shown < kFrameInterval)
            continue;
        shown = now;
        auto frame = std::make_shared<LayoutFrame>();
        frame->codes = request.codes;
        frame->layout = umap.layout();
        frame->epochsDone = umap.epochsDone();
        frame->epochsTotal = umap.epochsTotal();
        frame->warm = warm;
        frame->settled = done;
        frame->seconds = std::chrono::duration<double>(now - started).count();
        previous = {frame->layout, ticket, request.options};
        post(ticket, [this, frame] { Q_EMIT this->frame(frame); });
        if (interrupted)
            break;
    }
}

} // namespace latentlab
