#pragma once
// LayoutWorker: computes UMAP layouts (model/analysis/layout.h) of the shown codes on a thread
// of its own, and hands the layout back a few epochs at a time, so the view animates while it
// settles and the GUI thread never waits for it.
//
// While training runs, newer codes arrive faster than a layout settles. A request that keeps
// the options (newer codes of the same items) waits for the layout in progress and then starts
// warm from it, so points move instead of jumping; only the newest waiting request is kept. A
// request with other options, another number of items, or `restart`, stops the one in
// progress at its next chunk and starts cold. Submit and frames on the GUI thread.

#include "model/analysis/layout.h"

#include <QObject>
#include <QString>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace latentlab {

class ThreadWake;

struct LayoutFrame {
    torch::Tensor codes;  // [N, D], the codes the layout is of
    torch::Tensor layout; // [N, 2]
    int epochsDone = 0, epochsTotal = 0;
    bool warm = false;    // started from the previous layout
    bool settled = false; // the last frame of this layout
    double seconds = 0;   // since this layout started
};

class LayoutWorker : public QObject {
    Q_OBJECT
public:
    explicit LayoutWorker(QObject *parent = nullptr);
    ~LayoutWorker() override; // stops the layout in progress at its next chunk and joins

    void submit(const torch::Tensor &codes, const UmapOptions &options, bool restart = false);
    // Drops the waiting request and stops the one in progress (another projection, a new
    // model); no frame of it is shown after this returns.
    void cancel();
    // A layout is being computed or waits.
    bool busy() const { return busy_; }

Q_SIGNALS:
    void frame(const std::shared_ptr<const LayoutFrame> &frame);
    void failed(const QString &text);

private:
    struct Request {
        torch::Tensor codes;
        UmapOptions options;
        bool restart = false;
        uint64_t number = 0; // the how-manieth submit
    };
    // The last layout made, for a warm start (worker thread).
    struct Previous {
        torch::Tensor layout;
        uint64_t ticket = 0; // the ticket it was made under
        UmapOptions options;
    };
    void loop();
    // Waits for the next request; false when the worker is to stop.
    bool nextRequest(Request &request, uint64_t &ticket);
    // Lays `request` out, posting frames as it settles; `previous` starts it warm when it can,
    // and holds the newest frame's layout after.
    void layOut(const Request &request, uint64_t ticket, Previous &previous);
    // Runs on the GUI thread later, unless cancel() was called since `ticket` was current.
    // Queued under mutex_ and announced through a ThreadWake (not Qt's event queue, whose
    // locking ThreadSanitizer cannot see); runPosted() runs them in order.
    void post(uint64_t ticket, std::function<void()> work);
    void runPosted();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<Request> waiting_; // under mutex_
    bool stop_ = false;              // under mutex_
    bool interrupt_ = false;         // under mutex_: the layout in progress ends at its chunk
    bool running_ = false;           // under mutex_: a layout is in progress, of
    UmapOptions runningOptions_;     //   these options
    int64_t runningItems_ = 0;       //   and this many items
    std::vector<std::pair<uint64_t, std::function<void()>>> posted_; // under mutex_
    uint64_t ticket_ = 0;      // under mutex_: raised by cancel()
    uint64_t shownTicket_ = 0; // GUI thread: the newest ticket
    uint64_t submitted_ = 0;   // GUI thread: submits so far
    bool busy_ = false;        // GUI thread
    ThreadWake *gui_;          // made before the thread starts
    std::thread thread_;
};

} // namespace latentlab
