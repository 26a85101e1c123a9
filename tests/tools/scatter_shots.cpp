// Pictures of the scatter at scale, to look at: a million points (ten labelled clusters over a
// tinted prior) zoomed out (the density picture), zoomed in (points again), and with a lasso
// selection (the rest greyed). Not a test. Run offscreen:
//   QT_QPA_PLATFORM=offscreen build/bin/latentlab-scatter-shots OUT_DIR [POINTS]

#include "widgets/palette.h"
#include "widgets/scatter/latentplot.h"

#include <QApplication>
#include <QDir>
#include <QPolygonF>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <random>

using namespace latentlab;

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: latentlab-scatter-shots OUT_DIR [POINTS]\n");
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    const int n = argc > 2 ? std::atoi(argv[2]) : 1000000;
    QDir().mkpath(out);

    LatentPlot plot;
    plot.resize(900, 700);
    plot.show();
    // Ten Gaussian clusters on a ring (a mixture prior's codes), some spread wider.
    std::mt19937 rng(1);
    std::normal_distribution<double> normal;
    QVector<double> x(n), y(n);
    QVector<int> labels(n);
    for (int i = 0; i < n; ++i) {
        const int k = i % 10;
        const double spread = 0.35 + 0.05 * k;
        x[i] = 3 * std::cos(2 * M_PI * k / 10) + spread * normal(rng);
        y[i] = 3 * std::sin(2 * M_PI * k / 10) + spread * normal(rng);
        labels[i] = k;
    }
    // The prior under them: each component tinted with its label's colour.
    constexpr int kGrid = 240;
    QImage prior(kGrid, kGrid, QImage::Format_RGB32);
    for (int r = 0; r < kGrid; ++r)
        for (int c = 0; c < kGrid; ++c) {
            const double px = -5 + 10.0 * c / kGrid, py = 5 - 10.0 * r / kGrid;
            double best = 0;
            int label = 0;
            for (int k = 0; k < 10; ++k) {
                const double dx = px - 3 * std::cos(2 * M_PI * k / 10);
                const double dy = py - 3 * std::sin(2 * M_PI * k / 10);
                const double d = std::exp(-(dx * dx + dy * dy) / (2 * 0.5 * 0.5));
                if (d > best) {
                    best = d;
                    label = k;
                }
            }
            const QColor tint = labelColor(label);
            auto mix = [&](int v) { return int(255 - (255 - v) * 0.25 * best); };
            prior.setPixel(c, r, qRgb(mix(tint.red()), mix(tint.green()), mix(tint.blue())));
        }
    plot.setDensityImage(prior, QRectF(QPointF(-5, -5), QPointF(5, 5)));
    QStringList names;
    for (int k = 0; k < 10; ++k)
        names << QString::number(k);
    plot.setPoints(x, y, labels, names);
    plot.fitAll();
    plot.replot(QCustomPlot::rpImmediateRefresh);
    plot.grab().save(out + QStringLiteral("/scatter-million.png"));

    plot.xAxis->setRange(2.75, 3.25); // about 20,000 points: under the budget
    plot.yAxis->setRange(-0.2, 0.2);
    plot.replot(QCustomPlot::rpImmediateRefresh);
    QApplication::processEvents();
    plot.replot(QCustomPlot::rpImmediateRefresh); // after the crossfade's first frame
    QTimer wait;
    wait.start(300);
    while (wait.remainingTime() > 0)
        QApplication::processEvents();
    plot.replot(QCustomPlot::rpImmediateRefresh);
    plot.grab().save(out + QStringLiteral("/scatter-million-zoomed.png"));
    const bool zoomedDensity = plot.drawsDensity();

    plot.fitAll();
    plot.replot(QCustomPlot::rpImmediateRefresh);
    QPolygonF lasso;
    const QPointF centre(plot.xAxis->coordToPixel(0.9), plot.yAxis->coordToPixel(2.4));
    for (int v = 0; v < 48; ++v) {
        const double a = 2 * M_PI * v / 48, r = v % 3 ? 120 : 95;
        lasso << centre + QPointF(1.3 * r * std::cos(a), r * std::sin(a));
    }
    plot.selectUnder(lasso, {});
    plot.replot(QCustomPlot::rpImmediateRefresh);
    plot.grab().save(out + QStringLiteral("/scatter-million-lasso.png"));
    std::printf("%d points (zoomed in: drawn as %s), %d selected; pictures in %s\n", n,
                zoomedDensity ? "a picture" : "points", plot.selectedCount(), qPrintable(out));
    return 0;
}
