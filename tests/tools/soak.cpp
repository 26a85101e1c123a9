// The soak (docs/RELIABILITY.md): the window, off-screen, trains the paper-size AAE (the Data &
// Model defaults: 784-1000-1000-2, mixture prior) on the demo data for MINUTES while a driver
// does what a person exploring does: it moves the interpolation slider with the keyboard, hovers
// over the scatter, switches the manifold map on and off with the toolbar, and saves the model
// every minute. Every 10 s it samples resident memory, threads and open files; a 10 ms timer
// measures how late the event loop answers. Prints the figures, writes them as CSV, and exits
// non-zero when, after the first minute, resident memory grew by 5 % or more, a thread or a file
// handle leaked, or the event loop stalled for more than 50 ms. Run by packaging/soak.sh.
//
// Usage: latentlab-soak MINUTES [CSV]

#include "model/device.h"
#include "model/numbers.h"
#include "tests/support/windowwait.h"
#include "ui/explorer/explorer.h"
#include "ui/explorer/interpolationcontroller.h"
#include "ui/session/modelfactory.h"
#include "ui/session/sessionhost.h"
#include "ui/session/trainingsession.h"
#include "ui/window/mainwindow.h"
#include "widgets/scatter/latentplot.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMouseEvent>
#include <QSettings>
#include <QSlider>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <QToolBar>
#include <QtTest/QtTest>

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>
#include <random>
#include <thread>

using namespace latentlab;

namespace {

struct Sample {
    double minutes;
    double rssMiB;
    int threads;
    int files;
    qint64 step;
    double heapUsedMiB; // what the C allocator has handed out and not had back
    double heapFreeMiB; // what it holds free but has not returned to the system
    double othersCpu;   // % of the machine's time spent by other processes since the last sample
    double stealCpu;    // % taken by the hypervisor: a stall with these high is not the window's
};

// The machine's CPU time in clock ticks: all of it, the busy part, and what the hypervisor stole.
struct CpuTicks {
    double total = 0, busy = 0, steal = 0, self = 0;
};

CpuTicks cpuTicks() {
    CpuTicks t;
    QFile stat(QStringLiteral("/proc/stat"));
    if (stat.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> f = stat.readLine().simplified().split(' '); // "cpu user nice ..."
        for (int i = 1; i < f.size(); ++i)
            t.total += f[i].toDouble();
        if (f.size() > 8)
            t.busy = t.total - f[4].toDouble() - f[5].toDouble(); // less idle and iowait
        if (f.size() > 8)
            t.steal = f[8].toDouble();
    }
    QFile self(QStringLiteral("/proc/self/stat"));
    if (self.open(QIODevice::ReadOnly)) {
        const QByteArray line = self.readAll();
        // After the command's closing parenthesis: field 3 onwards; utime and stime are 14, 15.
        const QList<QByteArray> f = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (f.size() > 12)
            t.self = f[11].toDouble() + f[12].toDouble();
    }
    return t;
}

double residentMiB() {
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * double(::sysconf(_SC_PAGESIZE)) / 1048576.0
                             : 0;
}

int entries(const char *folder) {
    return int(QDir(QString::fromLatin1(folder))
                   .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System)
                   .size());
}

// The calling thread's time on a CPU and waiting for one (Linux's /proc/thread-self/schedstat)
// and its page faults, so that a long gap of the GUI thread can be told apart: it ran (a slow
// handler), it waited for a CPU (the machine was busy), or neither (blocked in the kernel).
struct ThreadTimes {
    double onCpuMs = 0, waitingMs = 0;
    long faults = 0;
    bool known = false;
};

ThreadTimes threadTimes() {
    ThreadTimes t;
    if (FILE *f = std::fopen("/proc/thread-self/schedstat", "r")) {
        unsigned long long run = 0, wait = 0;
        t.known = std::fscanf(f, "%llu %llu", &run, &wait) == 2;
        t.onCpuMs = double(run) / 1e6;
        t.waitingMs = double(wait) / 1e6;
        std::fclose(f);
    }
    if (FILE *f = std::fopen("/proc/thread-self/stat", "r")) {
        char line[1024] = {};
        const size_t n = std::fread(line, 1, sizeof line - 1, f);
        std::fclose(f);
        line[n] = 0;
        // After the command's closing parenthesis: state, 6 numbers, minflt, cminflt, majflt.
        unsigned long minor = 0, major = 0;
        if (const char *end = std::strrchr(line, ')');
            end &&
            std::sscanf(end + 1, " %*c %*d %*d %*d %*d %*d %*u %lu %*u %lu", &minor, &major) == 2)
            t.faults = long(minor + major);
    }
    return t;
}

// Times every event the loop delivers at the top level, to name what a stall was spent on.
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;
    struct Slow {
        double ms;
        QString what;
    };
    std::vector<Slow> slow; // deliveries over 25 ms

    bool notify(QObject *receiver, QEvent *event) override {
        if (depth_++ > 0) {
            const bool r = QApplication::notify(receiver, event);
            --depth_;
            return r;
        }
        QElapsedTimer t;
        t.start();
        // Named before delivery (the receiver may be gone after it), formatted only when slow:
        // this runs for every event of the window it measures.
        const char *className = receiver->metaObject()->className();
        const QString objectName = receiver->objectName();
        const int type = int(event->type());
        const bool r = QApplication::notify(receiver, event);
        --depth_;
        const double ms = double(t.nsecsElapsed()) / 1e6;
        if (ms > 25)
            slow.push_back({ms, QStringLiteral("%1 \"%2\", event %3")
                                    .arg(QLatin1String(className), objectName)
                                    .arg(type)});
        return r;
    }

private:
    int depth_ = 0;
};

} // namespace

int main(int argc, char **argv) {
    TimedApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LatentLab-soak"));
    QSettings().clear(); // the default layout and choices, not the last user's
    // The C locale's atof would read "0,5" under a German locale: numbers.h reads "0.5" anywhere.
    const std::optional<double> parsed = argc > 1 ? parseNumber(argv[1]) : std::optional<double>();
    if (!parsed || *parsed <= 0) {
        std::fprintf(stderr, "usage: latentlab-soak MINUTES [CSV]\n");
        return 2;
    }
    const double minutes = *parsed;
    const QString csvPath = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    limitComputeThreads();
    keepFreedMemory();

    MainWindow window;
    window.resize(1500, 950);
    window.show();
    if (!opened(window, [&] { window.files()->createModel(); }))
        return 1;
    Explorer *explorer = window.explorer();
    if (!explorer->session()) {
        std::fprintf(stderr, "soak: the default model could not be created\n");
        return 1;
    }
    const ModelConfig config = explorer->session()->config();
    std::printf("soak: %s, hidden %d, batch %d, on %s, %.0f minutes\n",
                toString(config.kind).c_str(), config.hidden, config.batch,
                explorer->session()->data().name.c_str(), minutes);
    std::fflush(stdout);

    auto *slider = window.findChild<QSlider *>(QStringLiteral("interpolationSlider"));
    QAction *manifold = nullptr;
    if (auto *bar = window.findChild<QToolBar *>(QStringLiteral("latentToolBar")))
        for (QAction *a : bar->actions())
            if (a->text().contains(QStringLiteral("Manifold")))
                manifold = a;
    if (!slider || !manifold) {
        std::fprintf(stderr, "soak: the slider or the manifold action is missing\n");
        return 1;
    }
    explorer->session()->setTargetSteps(0); // no "stop at step" (the panel's 5,000) in a soak
    explorer->interpolation()->pickItem(0);
    explorer->interpolation()->pickItem(1, true);
    explorer->host()->togglePlay();

    QTemporaryDir saves;
    const QString savePath = saves.filePath(QStringLiteral("soak.pt"));
    int savesDone = 0, saveErrors = 0, failures = 0, hovers = 0, sliderMoves = 0, toggles = 0;
    QObject::connect(explorer->host(), &SessionHost::saved,
                     [&](const QString &, const QString &error) {
                         (error.isEmpty() ? savesDone : saveErrors)++;
                         if (!error.isEmpty())
                             std::fprintf(stderr, "soak: save failed: %s\n", qPrintable(error));
                     });
    QObject::connect(explorer, &Explorer::failed, [&](const QString &text) {
        ++failures;
        std::fprintf(stderr, "soak: failure: %s\n", qPrintable(text));
    });
    QObject::connect(window.latentPlot(), &LatentPlot::pointHovered, [&](int index) {
        if (index >= 0)
            ++hovers;
    });

    // How long QCustomPlot takes to draw each plot (its own measure of a replot).
    std::vector<double> scatterDraws, lossDraws;
    QObject::connect(window.latentPlot(), &QCustomPlot::afterReplot,
                     [&] { scatterDraws.push_back(window.latentPlot()->replotTime()); });
    QCustomPlot *lossPlot = nullptr;
    for (QCustomPlot *p : window.findChildren<QCustomPlot *>())
        if (p != window.latentPlot())
            lossPlot = p;
    if (lossPlot)
        QObject::connect(lossPlot, &QCustomPlot::afterReplot,
                         [&] { lossDraws.push_back(lossPlot->replotTime()); });

    QElapsedTimer clock;
    clock.start();
    const qint64 endMs = qint64(minutes * 60000);

    // The event loop's lateness: the gap between ticks of a 10 ms timer.
    double longestGapMs = 0, longestAtMinutes = 0;
    int gapsOver50 = 0;
    // What the driver did last before each long gap, to tell which action stalls.
    const char *lastAction = "start";
    struct Gap {
        double ms, minutes;
        const char *after;
        ThreadTimes spent; // of the GUI thread during the gap
    };
    std::vector<Gap> longGaps; // over 30 ms
    qint64 lastTick = clock.nsecsElapsed();
    ThreadTimes lastTimes = threadTimes();
    QTimer tick;
    tick.setObjectName(QStringLiteral("soakTick"));
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        const double gap = double(now - lastTick) / 1e6;
        lastTick = now;
        const ThreadTimes times = threadTimes();
        const ThreadTimes spent{times.onCpuMs - lastTimes.onCpuMs,
                                times.waitingMs - lastTimes.waitingMs,
                                times.faults - lastTimes.faults, times.known};
        lastTimes = times;
        if (gap > 50)
            ++gapsOver50;
        if (gap > 30)
            longGaps.push_back({gap, double(now) / 6e10, lastAction, spent});
        lastAction = "nothing (snapshots, losses, repaints)";
        if (gap > longestGapMs) {
            longestGapMs = gap;
            longestAtMinutes = double(now) / 6e10;
        }
    });
    tick.start();

    // The person: a key on the slider every 50 ms (sweeping end to end), a hover over the
    // scatter every 100 ms, the manifold map switched every 10 s, a save every minute (35 s
    // past it, so the first save's buffers are in the baseline of the second minute).
    std::mt19937 rng(7);
    int direction = 1;
    QTimer driver;
    driver.setObjectName(QStringLiteral("soakDriver"));
    driver.setInterval(50);
    int beat = 0;
    QObject::connect(&driver, &QTimer::timeout, [&] {
        ++beat;
        if (slider->value() >= slider->maximum())
            direction = -1;
        else if (slider->value() <= slider->minimum())
            direction = 1;
        QTest::keyClick(slider, direction > 0 ? Qt::Key_Right : Qt::Key_Left);
        ++sliderMoves;
        lastAction = "a slider key";
        if (beat % 2 == 0) {
            LatentPlot *plot = window.latentPlot();
            const QRect area = plot->axisRect()->rect();
            std::uniform_int_distribution<int> x(area.left(), area.right()),
                y(area.top(), area.bottom());
            const QPointF at(x(rng), y(rng));
            QMouseEvent move(QEvent::MouseMove, at, plot->mapToGlobal(at), Qt::NoButton,
                             Qt::NoButton, Qt::NoModifier);
            QApplication::sendEvent(plot, &move);
            lastAction = "a hover";
        }
        if (beat % 200 == 0) {
            manifold->trigger();
            ++toggles;
            lastAction = manifold->isChecked() ? "the manifold map on" : "the manifold map off";
        }
        if (beat % 1200 == 700) { // 35 s past each minute: the first before the baseline
            explorer->host()->save(savePath);
            lastAction = "a save";
        }
    });
    driver.start();

    // Sampling and printing run on a thread of their own: a write to a log file can block for
    // a while when the disk is busy, and that is not the window's stall. (The thread counts
    // itself in every sample alike.)
    std::vector<Sample> samples;
    std::atomic<double> longestSoFar{0};
    CpuTicks lastCpu = cpuTicks();
    auto sample = [&] {
        const auto snapshot = explorer->session()->latest();
        const struct mallinfo2 heap = ::mallinfo2();
        const CpuTicks cpu = cpuTicks();
        // Busy time counts what the hypervisor stole; it is shown apart. The first sample
        // has nothing to compare with.
        const double span = cpu.total - lastCpu.total;
        const double others =
            span > 0 ? 100 *
                           std::max(0.0, (cpu.busy - lastCpu.busy) - (cpu.steal - lastCpu.steal) -
                                             (cpu.self - lastCpu.self)) /
                           span
                     : 0;
        const double steal = span > 0 ? 100 * (cpu.steal - lastCpu.steal) / span : 0;
        lastCpu = cpu;
        samples.push_back({double(clock.elapsed()) / 60000.0, residentMiB(),
                           entries("/proc/self/task"), entries("/proc/self/fd"),
                           snapshot ? snapshot->step : 0,
                           double(heap.uordblks + heap.hblkhd) / 1048576.0,
                           double(heap.fordblks) / 1048576.0, others, steal});
        const Sample &s = samples.back();
        std::printf("%6.2f min  step %7lld  resident %7.1f MiB (heap used %6.1f, free %6.1f)  "
                    "threads %3d  files %3d  others' cpu %4.1f %%  steal %4.1f %%  "
                    "longest stall so far %5.1f ms\n",
                    s.minutes, static_cast<long long>(s.step), s.rssMiB, s.heapUsedMiB,
                    s.heapFreeMiB, s.threads, s.files, s.othersCpu, s.stealCpu,
                    longestSoFar.load());
        std::fflush(stdout);
    };
    std::mutex samplerMutex;
    std::condition_variable samplerWake;
    bool samplerStop = false;
    std::thread sampler([&] {
        std::unique_lock lock(samplerMutex);
        for (;;) {
            sample();
            if (samplerWake.wait_until(lock,
                                       std::chrono::steady_clock::now() + std::chrono::seconds(10),
                                       [&] { return samplerStop; }))
                break;
        }
    });
    QTimer stallMirror; // the sampler prints the GUI thread's figure
    QObject::connect(&stallMirror, &QTimer::timeout, [&] { longestSoFar = longestGapMs; });
    stallMirror.start(1000);
    // A loop of its own: QApplication::quit() would close the window, which asks to save.
    QEventLoop soak;
    QTimer::singleShot(int(endMs), &soak, &QEventLoop::quit);
    soak.exec();
    driver.stop();
    tick.stop();
    longestSoFar = longestGapMs;
    {
        std::lock_guard lock(samplerMutex);
        samplerStop = true;
    }
    samplerWake.notify_all();
    sampler.join();
    explorer->host()->stop();

    // Resident memory settles in the first minute (the views, the data, LibTorch's pools, the
    // first save's buffers). A save or an autosave lifts it for a second or two while it holds
    // the encoded model, and a sample may catch that: so the baseline is the median of the
    // second minute's samples and the end the median of the last minute's; the peak is shown
    // apart. Threads and files likewise: the fewest in the second minute against the fewest in
    // the last (a leak raises both; a save's open file or an autosave's is there for a moment).
    auto medianBetween = [&](double from, double to) {
        std::vector<double> v;
        for (const Sample &s : samples)
            if (s.minutes >= from && s.minutes < to)
                v.push_back(s.rssMiB);
        if (v.empty())
            return 0.0;
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    auto fewestBetween = [&](double from, double to, int Sample::*field) {
        int fewest = std::numeric_limits<int>::max();
        for (const Sample &s : samples)
            if (s.minutes >= from && s.minutes < to)
                fewest = std::min(fewest, s.*field);
        return fewest;
    };
    const auto base = std::find_if(samples.begin(), samples.end(),
                                   [](const Sample &s) { return s.minutes >= 1.0; });
    const Sample &last = samples.back();
    const double endMinutes = last.minutes;
    bool ok = base != samples.end() && base != samples.end() - 1 && endMinutes >= 3.0;
    double growth = 0;
    int threadsBefore = 0, threadsAfter = 0, filesBefore = 0, filesAfter = 0;
    if (ok) {
        const double start = medianBetween(1.0, 2.0), end = medianBetween(endMinutes - 1, 1e9);
        threadsBefore = fewestBetween(1.0, 2.0, &Sample::threads);
        threadsAfter = fewestBetween(endMinutes - 1, 1e9, &Sample::threads);
        filesBefore = fewestBetween(1.0, 2.0, &Sample::files);
        filesAfter = fewestBetween(endMinutes - 1, 1e9, &Sample::files);
        growth = (end - start) / start;
        std::printf(
            "\nresident memory: median %.1f MiB in minute 2, %.1f MiB in the last minute "
            "(%+.2f %%; peak %.1f MiB)\n",
            start, end, 100 * growth,
            std::max_element(samples.begin(), samples.end(), [](const Sample &a, const Sample &b) {
                return a.rssMiB < b.rssMiB;
            })->rssMiB);
        std::printf("threads: %d then %d; open files: %d then %d (the fewest in minute 2 and "
                    "in the last minute)\n",
                    threadsBefore, threadsAfter, filesBefore, filesAfter);
        std::printf("C allocator at the last sample: %.1f MiB in use, %.1f MiB held free\n",
                    last.heapUsedMiB, last.heapFreeMiB);
    } else {
        std::printf("\nshorter than 3 minutes: no growth figures\n");
    }
    std::printf("event loop: longest gap of the 10 ms timer %.1f ms (at %.2f min), %d gaps over "
                "50 ms\n",
                longestGapMs, longestAtMinutes, gapsOver50);
    const auto busiest =
        std::max_element(samples.begin(), samples.end(), [](const Sample &a, const Sample &b) {
            return a.othersCpu < b.othersCpu;
        });
    const auto stolen =
        std::max_element(samples.begin(), samples.end(),
                         [](const Sample &a, const Sample &b) { return a.stealCpu < b.stealCpu; });
    std::printf("other processes: at most %.1f %% of the machine (the 10 s before %.2f min); "
                "hypervisor steal at most %.1f %% (before %.2f min)\n",
                busiest->othersCpu, busiest->minutes, stolen->stealCpu, stolen->minutes);
    std::sort(longGaps.begin(), longGaps.end(),
              [](const Gap &a, const Gap &b) { return a.ms > b.ms; });
    // How much of the long gaps was the scheduler's: the GUI thread ready but not running.
    double waitedMs = 0, ranMs = 0;
    for (const Gap &g : longGaps)
        if (g.spent.known) {
            waitedMs += g.spent.waitingMs;
            ranMs += g.spent.onCpuMs;
        }
    std::printf("%zu gaps over 30 ms; in them the GUI thread ran %.0f ms and waited %.0f ms for a "
                "CPU\n",
                longGaps.size(), ranMs, waitedMs);
    for (size_t i = 0; i < std::min<size_t>(longGaps.size(), 10); ++i) {
        const Gap &g = longGaps[i];
        std::printf("  gap %.1f ms at %.2f min, after %s", g.ms, g.minutes, g.after);
        if (g.spent.known) // the rest of the gap the thread slept: 10 ms of it the timer's
            std::printf(": on a CPU %.1f ms, waiting for one %.1f ms, asleep %.1f ms, %ld page "
                        "faults",
                        g.spent.onCpuMs, g.spent.waitingMs,
                        std::max(0.0, g.ms - g.spent.onCpuMs - g.spent.waitingMs), g.spent.faults);
        std::printf("\n");
    }
    auto drawFigures = [](const char *name, std::vector<double> v) {
        if (v.empty())
            return;
        std::sort(v.begin(), v.end());
        std::printf("%s drawn %zu times: median %.1f ms, p99 %.1f ms, longest %.1f ms\n", name,
                    v.size(), v[v.size() / 2], v[size_t(0.99 * double(v.size() - 1))], v.back());
    };
    drawFigures("scatter", scatterDraws);
    drawFigures("loss plot", lossDraws);
    std::sort(app.slow.begin(), app.slow.end(),
              [](const auto &a, const auto &b) { return a.ms > b.ms; });
    std::printf("events that took over 25 ms to handle: %zu\n", app.slow.size());
    for (size_t i = 0; i < std::min<size_t>(app.slow.size(), 10); ++i)
        std::printf("  %.1f ms: %s\n", app.slow[i].ms, qPrintable(app.slow[i].what));
    std::printf("driver: %d slider keys, %d hovers on a point, %d manifold toggles, %d saves "
                "(%d failed), %d failures reported; training reached step %lld\n",
                sliderMoves, hovers, toggles, savesDone, saveErrors, failures,
                static_cast<long long>(last.step));

    if (!csvPath.isEmpty()) {
        QFile csv(csvPath);
        if (csv.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            QTextStream out(&csv);
            out << "minutes,step,resident_mib,heap_used_mib,heap_free_mib,threads,files,"
                   "others_cpu_pct,steal_cpu_pct\n";
            auto number = [](double v) { return QString::number(v, 'f', 1); };
            for (const Sample &s : samples)
                out << QString::number(s.minutes, 'f', 3) << ',' << s.step << ','
                    << number(s.rssMiB) << ',' << number(s.heapUsedMiB) << ','
                    << number(s.heapFreeMiB) << ',' << s.threads << ',' << s.files << ','
                    << number(s.othersCpu) << ',' << number(s.stealCpu) << '\n';
        }
    }

    const bool passed = ok && growth < 0.05 && threadsAfter <= threadsBefore &&
                        filesAfter <= filesBefore && longestGapMs <= 50 && saveErrors == 0 &&
                        failures == 0;
    std::printf("%s\n", passed ? "soak passed" : "soak FAILED");
    return passed ? 0 : 1;
}
