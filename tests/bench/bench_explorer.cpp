// Benchmarks of what a person feels in the explorer (docs/BENCHMARKS.md). Prints figures;
// asserts nothing. Run under a display or QT_QPA_PLATFORM=offscreen:
//   build/bin/latentlab-bench-gui [--points N] [--device cpu|cuda] [--open-only]
// 1. The scatter at 10,000, 100,000 and 1,000,000 points (or --points N): new codes set on the
//    LatentPlot and replotted at once, as each snapshot does (the GUI thread's share; above
//    the point budget the index is built on a worker, timed apart); a pan and zoom; a hover pick
//    (a mouse move to the nearest point's report); a lasso released over a quarter of the
//    view, with the redraw.
// 2. Slider to pixels: the paper-size MLP AAE (28x28, hidden 1000) trains in a background
//    session while the interpolation slider moves; each move is timed until the preview's
//    thread has decoded the frame, the GUI thread has it, and the preview is repainted; also
//    with the scatter's immediate replot.
// 3. Opening a model: the window opens a checkpoint of the paper-size AAE on the demo data
//    (reading it and encoding the 10,000 shown items in the background), then writes a
//    60-frame animation, while a 10 ms timer measures how late the event loop answers.

#include "model/device.h"
#include "model/io/checkpoint.h"
#include "model/train/trainer.h"
#include "tests/support/windowwait.h"
#include "ui/explorer/explorer.h"
#include "ui/explorer/interpolationcontroller.h"
#include "ui/session/modelfactory.h"
#include "ui/session/sessionhost.h"
#include "ui/threads/backgroundtasks.h"
#include "ui/window/mainwindow.h"
#include "ui/window/modelfiles.h"
#include "widgets/imagepairview.h"
#include "widgets/interpolationpanel.h"
#include "widgets/lossplot.h"
#include "widgets/scatter/latentplot.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>

using namespace latentlab;

namespace {

struct Stats {
    double median, p99;
};

Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double q) {
        return v[std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5))];
    };
    return {at(0.5), at(0.99)};
}

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// The prior under the points as the window draws it for a mixture: a tinted picture
// (Explorer's tintedDensity) or, for a named prior without components, a colour map.
enum class PriorPicture { ColourMap, TintedImage };

// Times `work` `rounds` times (each followed by an immediate replot when `replot` is set).
template <class F> Stats timed(int rounds, F work) {
    std::vector<double> ms;
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer t;
        t.start();
        work(round);
        ms.push_back(t.nsecsElapsed() / 1e6);
    }
    return stats(ms);
}

void benchScatter(int n, PriorPicture picture) {
    LatentPlot plot;
    plot.resize(900, 700);
    plot.show();
    std::mt19937 rng(1);
    std::normal_distribution<double> normal;
    QVector<int> labels(n);
    for (int i = 0; i < n; ++i)
        labels[i] = i % 10;
    constexpr int kGrid = 220;
    QVector<double> density(kGrid * kGrid, 0.0);
    QImage tinted(kGrid, kGrid, QImage::Format_RGB32);
    for (int i = 0; i < density.size(); ++i) {
        const int dx = i % kGrid - kGrid / 2, dy = i / kGrid - kGrid / 2;
        density[i] = std::exp(-0.001 * (dx * dx + dy * dy));
        const int shade = 255 - int(100 * density[i]);
        tinted.setPixel(i % kGrid, i / kGrid, qRgb(shade, shade, 255));
    }
    if (picture == PriorPicture::ColourMap)
        plot.setDensity(kGrid, kGrid, QCPRange(-5, 5), QCPRange(-5, 5), density);
    else
        plot.setDensityImage(tinted, QRectF(QPointF(-5, -5), QPointF(5, 5)));
    // The codes of each snapshot are made before the clock starts.
    std::vector<QVector<double>> xs(2, QVector<double>(n)), ys(2, QVector<double>(n));
    for (int k = 0; k < 2; ++k)
        for (int i = 0; i < n; ++i) {
            // The cloud grows a little each snapshot, as while training: the view follows it,
            // so the axes and the prior picture's pixel size change every time.
            xs[k][i] = (1.0 + 0.05 * k) * (normal(rng) + 2 * std::cos(labels[i]));
            ys[k][i] = (1.0 + 0.05 * k) * (normal(rng) + 2 * std::sin(labels[i]));
        }
    // As the window sets them: above the point budget the index and colours are built on a
    // worker thread (Explorer::showPoints); the refresh is what the GUI thread spends, and the
    // build is timed apart.
    std::vector<double> gui, build;
    for (int round = 0; round < 40; ++round) {
        QElapsedTimer t;
        t.start();
        if (n <= plot.pointBudget()) {
            plot.setPoints(xs[round % 2], ys[round % 2], labels, {});
        } else {
            ScatterFrame frame =
                buildFrame(xs[round % 2], ys[round % 2], labels, 0, plot.colouring());
            build.push_back(t.nsecsElapsed() / 1e6);
            t.restart();
            plot.showFrame(std::move(frame), {});
        }
        plot.refresh();
        plot.replot(QCustomPlot::rpImmediateRefresh);
        gui.push_back(t.nsecsElapsed() / 1e6);
    }
    const Stats refresh = stats(gui);
    const char *prior = picture == PriorPicture::ColourMap ? "a colour map" : "a tinted image";
    const char *drawn = plot.drawsDensity() ? "a density picture" : "points";
    std::printf("scatter refresh, %d points: median %.2f ms, p99 %.2f ms (40 new snapshots, "
                "drawn as %s, prior as %s; GUI thread)\n",
                n, refresh.median, refresh.p99, drawn, prior);
    if (!build.empty() && picture == PriorPicture::TintedImage)
        std::printf("scatter frame built off the GUI thread, %d points: median %.2f ms\n", n,
                    stats(build).median);
    if (picture == PriorPicture::ColourMap)
        return; // the rest does not depend on the prior's picture

    // Pan and zoom: the view moves, the codes stay.
    const QCPRange x0 = plot.xAxis->range(), y0 = plot.yAxis->range();
    const Stats pan = timed(40, [&](int round) {
        const double f = 1.0 - 0.02 * (round % 20);
        plot.xAxis->setRange(x0.lower * f + 0.01 * round, x0.upper * f + 0.01 * round);
        plot.yAxis->setRange(y0.lower * f, y0.upper * f);
        plot.replot(QCustomPlot::rpImmediateRefresh);
    });
    std::printf("pan and zoom redraw, %d points: median %.2f ms, p99 %.2f ms (40 redraws)\n", n,
                pan.median, pan.p99);
    plot.xAxis->setRange(x0);
    plot.yAxis->setRange(y0);
    plot.replot(QCustomPlot::rpImmediateRefresh);

    // Hover: the mouse moves; the nearest point is found and reported.
    std::uniform_real_distribution<double> u(0.1, 0.9);
    const QRect area = plot.axisRect()->rect();
    int found = 0;
    const Stats hover = timed(400, [&](int) {
        const QPoint at(area.left() + int(u(rng) * area.width()),
                        area.top() + int(u(rng) * area.height()));
        QMouseEvent move(QEvent::MouseMove, at, plot.mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                         {});
        QApplication::sendEvent(&plot, &move);
        found += plot.nearestPoint(at) >= 0;
    });
    std::printf("hover pick, %d points: median %.3f ms, p99 %.3f ms (400 mouse moves, %d over "
                "a point)\n",
                n, hover.median, hover.p99, found);

    // Lasso: a 64-corner loop over about a quarter of the view, released, then redrawn.
    int selected = 0;
    const Stats lasso = timed(20, [&](int round) {
        QPolygonF loop;
        const QPointF centre = area.center() + QPointF(4 * round, 0);
        for (int v = 0; v < 64; ++v) {
            const double a = 2 * M_PI * v / 64, r = (v % 2 ? 0.22 : 0.28) * area.height();
            loop << centre + QPointF(r * std::cos(a), r * std::sin(a));
        }
        plot.selectUnder(loop, {});
        plot.replot(QCustomPlot::rpImmediateRefresh);
        selected = plot.selectedCount();
    });
    std::printf("lasso, %d points: median %.2f ms, p99 %.2f ms (20 lassos of %d items, with the "
                "redraw)\n",
                n, lasso.median, lasso.p99, selected);
}

void benchSlider(const std::string &device) {
    LatentPlot plot;
    LossPlot losses;
    ImagePairView inspector;
    InterpolationPanel panel;
    plot.resize(900, 700);
    plot.show();
    panel.show();
    Explorer explorer({&plot, &losses, &inspector, &panel});

    ModelConfig c; // the paper's MLP: 784-1000-1000-2, discriminator 2-1000-1000-1
    c.kind = ModelKind::Aae;
    c.device = device;
    auto trainer = std::make_unique<Trainer>(c);
    std::printf("training on %s\n", trainer->device().str().c_str());
    Dataset data;
    data.name = "random";
    data.images = torch::rand({10000, 1, 28, 28});
    trainer->setData(data);
    explorer.start(std::move(trainer), 10000);
    waitMs(300);
    explorer.interpolation()->pickItem(0);
    explorer.interpolation()->pickItem(1);

    for (bool training : {false, true}) {
        if (training) {
            explorer.host()->togglePlay();
            waitMs(1500);
        }
        std::vector<double> previewMs, withPlotMs;
        for (int i = 0; i < 300; ++i) {
            QElapsedTimer t;
            t.start();
            panel.setPosition((i % 101) / 100.0); // decoded on the preview's thread ...
            while (explorer.decoding())           // ... and handed back to the label
                QApplication::processEvents(QEventLoop::WaitForMoreEvents);
            panel.repaint(); // pixels of the preview
            previewMs.push_back(t.nsecsElapsed() / 1e6);
            plot.replot(QCustomPlot::rpImmediateRefresh); // the marker on the scatter too
            withPlotMs.push_back(t.nsecsElapsed() / 1e6);
            QApplication::processEvents(); // snapshots and losses arrive as they would
        }
        const Stats p = stats(previewMs), w = stats(withPlotMs);
        const char *when = training ? "while training" : "training paused";
        std::printf("slider to preview pixels, %s: median %5.2f ms, p99 %5.2f ms\n", when, p.median,
                    p.p99);
        std::printf("slider to preview + scatter marker (10,000 points), %s: median %5.2f ms, "
                    "p99 %5.2f ms\n",
                    when, w.median, w.p99);
    }
    // Event-loop stalls while training runs and the views follow: a 5 ms timer notes how late
    // each of its ticks is for 4 seconds.
    {
        std::vector<double> gaps;
        QElapsedTimer clock;
        clock.start();
        qint64 last = clock.nsecsElapsed();
        QTimer tick;
        tick.setInterval(5);
        QObject::connect(&tick, &QTimer::timeout, [&] {
            const qint64 now = clock.nsecsElapsed();
            gaps.push_back((now - last) / 1e6);
            last = now;
        });
        tick.start();
        waitMs(4000);
        tick.stop();
        const Stats g = stats(gaps);
        std::printf("event loop while training (5 ms timer, 4 s): median gap %.1f ms, p99 %.1f ms, "
                    "longest %.1f ms\n",
                    g.median, g.p99, *std::max_element(gaps.begin(), gaps.end()));
    }
    std::printf("training speed meanwhile: %.1f steps/s\n",
                explorer.session()->latest()->stepsPerSecond);
    explorer.host()->stop();
}

} // namespace

// The longest the event loop kept a 10 ms timer waiting while `work` ran (and its wall time).
struct Gap {
    double worstMs = 0, tookMs = 0;
};
Gap longestGap(const std::function<void()> &work) {
    QElapsedTimer clock;
    qint64 last = 0, worst = 0;
    QTimer tick;
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        worst = std::max(worst, now - last);
        last = now;
    });
    clock.start();
    tick.start();
    work();
    return {double(std::max(worst, clock.elapsed() - last)), double(clock.elapsed())};
}

void benchOpen() {
    QTemporaryDir dir;
    const QString path = dir.filePath("paper-aae.pt");
    ModelConfig c = ModelConfig::forKind(ModelKind::Aae);
    c.device = "cpu";
    saveCheckpoint(*createTrainer(c, defaultDataSpec()), path.toStdString());
    MainWindow window;
    window.resize(1500, 950);
    window.show();
    if (!opened(window, [&] { window.files()->createModel(); }))
        return;
    waitMs(500);
    bool ok = false;
    const Gap open = longestGap([&] { ok = opened(window, [&] { window.files()->open(path); }); });
    std::printf("open a checkpoint (%s, 10,000 items encoded): %.0f ms; the event loop's longest "
                "wait %.0f ms%s\n",
                defaultDataSpec().c_str(), open.tookMs, open.worstMs, ok ? "" : " (FAILED)");
    Explorer *explorer = window.explorer();
    explorer->interpolation()->pickItem(0);
    explorer->interpolation()->pickItem(1);
    waitMs(500);
    const Gap animation = longestGap([&] {
        explorer->interpolation()->exportAnimation(dir.filePath("path.mp4"));
        while (explorer->tasks()->busy())
            waitMs(5);
    });
    std::printf("write a 60-frame animation: %.0f ms; the event loop's longest wait %.0f ms\n",
                animation.tookMs, animation.worstMs);
    explorer->host()->stop();
}

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    limitComputeThreads();
    keepFreedMemory();
    int points = 0;
    std::string device = "cpu"; // --device cuda: the session trains on the GPU
    for (int i = 1; i + 1 < argc; ++i) {
        if (QByteArray(argv[i]) == "--points")
            points = std::atoi(argv[i + 1]);
        if (QByteArray(argv[i]) == "--device")
            device = argv[i + 1];
    }
    if (argc > 1 && QByteArray(argv[argc - 1]) == "--open-only") {
        benchOpen();
        return 0;
    }
    for (PriorPicture picture : {PriorPicture::ColourMap, PriorPicture::TintedImage}) {
        if (points > 0) {
            benchScatter(points, picture);
        } else {
            for (int n : {10000, 100000, 1000000})
                benchScatter(n, picture);
        }
    }
    benchSlider(device);
    benchOpen();
    return 0;
}
