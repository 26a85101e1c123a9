// Makes the pictures in docs/screenshots/ from the real window: trains the default model for a
// while, picks two items as interpolation ends, sets the slider half way, and grabs the
// window. Run by packaging/screenshots.sh under Xvfb; not a test.
//
// Usage: latentlab-screenshots OUT_DIR [STEPS]

#include "model/device.h"
#include "tests/support/windowwait.h"
#include "ui/explorer/directionscontroller.h"
#include "ui/explorer/explorer.h"
#include "ui/explorer/interpolationcontroller.h"
#include "ui/explorer/manifoldcontroller.h"
#include "ui/session/modelfactory.h"
#include "ui/session/sessionhost.h"
#include "ui/window/mainwindow.h"
#include "ui/window/modelpanel.h"
#include "widgets/directionspanel.h"
#include "widgets/interpolationpanel.h"
#include "widgets/scatter/latentplot.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QSettings>
#include <QTimer>
#include <QToolBar>

#include <cstdio>

using namespace latentlab;

namespace {

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// The first item of each of two labels, so the ends are different digits.
std::pair<int, int> twoItems(const Dataset &data, int first, int second) {
    int a = 0, b = 1;
    if (!data.hasLabels())
        return {a, b};
    for (int i = int(data.size()) - 1; i >= 0; --i) {
        const int l = int(data.labels[i].item<int64_t>());
        if (l == first)
            a = i;
        if (l == second)
            b = i;
    }
    return {a, b};
}

} // namespace

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LatentLab-screenshots"));
    QSettings().clear(); // the default layout, not the last user's
    if (argc < 2) {
        std::fprintf(stderr, "usage: latentlab-screenshots OUT_DIR [STEPS]\n");
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    const int steps = argc > 2 ? std::atoi(argv[2]) : 1500;
    QDir().mkpath(out);
    limitComputeThreads();
    keepFreedMemory();

    MainWindow window;
    window.resize(1500, 950);
    window.show();
    if (!opened(window, [&] { window.files()->createModel(); }))
        return 1;
    Explorer *explorer = window.explorer();
    if (!explorer->session())
        return 1;
    waitMs(500);
    window.grab().save(out + QStringLiteral("/explorer-untrained.png"));

    explorer->session()->setTargetSteps(steps);
    QEventLoop done;
    QObject::connect(explorer->host(), &SessionHost::targetReached, &done, &QEventLoop::quit);
    explorer->host()->togglePlay();
    done.exec();
    waitMs(500);

    const auto [a, b] = twoItems(explorer->session()->data(), 1, 0);
    explorer->interpolation()->pickItem(a);
    explorer->interpolation()->pickItem(b);
    window.findChild<InterpolationPanel *>()->setPosition(0.5);
    Q_EMIT window.latentPlot()->pointHovered(a); // the Inspector shows end A
    explorer->fitView();
    waitMs(500);
    window.grab().save(out + QStringLiteral("/explorer.png"));
    explorer->manifold()->setVisible(true);
    explorer->setPointsVisible(false);
    waitMs(500);
    window.grab().save(out + QStringLiteral("/explorer-manifold.png"));

    // A wider code: an 8-wide autoencoder laid out by UMAP, with the Inspector's neighbours
    // of one item and the Directions dock moving another item from one digit's mean towards
    // another's.
    explorer->manifold()->setVisible(false);
    explorer->setPointsVisible(true);
    auto *panel = window.findChild<ModelPanel *>();
    ModelConfig wide = panel->config();
    wide.kind = ModelKind::Autoencoder;
    wide.latent = 8;
    panel->showConfig(wide);
    if (!opened(window, [&] { window.files()->createModel(); }))
        return 1;
    explorer = window.explorer();
    explorer->session()->setTargetSteps(steps);
    QObject::connect(explorer->host(), &SessionHost::targetReached, &done, &QEventLoop::quit);
    explorer->host()->togglePlay();
    done.exec();
    auto *toolbar = window.findChild<QToolBar *>(QStringLiteral("latentToolBar"));
    toolbar->findChild<QComboBox *>()->setCurrentIndex(2); // UMAP
    while (explorer->layingOut())
        waitMs(200);
    waitMs(300);
    const auto [c, d] = twoItems(explorer->session()->data(), 4, 9);
    Q_EMIT window.latentPlot()->pointHovered(c);
    waitMs(1000);
    window.grab().save(out + QStringLiteral("/explorer-umap.png"));
    DirectionsController *directions = explorer->directions();
    directions->addClassDirection(4, 9);
    Q_EMIT window.latentPlot()->pointClicked(c, {});
    window.findChild<DirectionsPanel *>()->setAmount(1.0);
    window.findChild<QDockWidget *>(QStringLiteral("directionsDock"))->raise();
    waitMs(1000);
    window.grab().save(out + QStringLiteral("/explorer-directions.png"));
    std::printf("wrote the screenshots to %s (step %d)\n", qPrintable(out), steps);
    return 0;
}
