#include "ui/figures/latentfigure.h"

#include "model/error.h"
#include "widgets/scatter/latentplot.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QApplication>
#include <torch/torch.h>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace latentlab {

namespace {

QVector<double> toVector(const torch::Tensor &t) {
    torch::Tensor c = t.to(torch::kDouble).contiguous();
    return QVector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

} // namespace

OffscreenPictures::OffscreenPictures() {
    if (QCoreApplication::instance())
        return;
    if (!std::getenv("QT_QPA_PLATFORM"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    // Off-screen drawing needs no runtime folder; keep Qt from warning that there is none.
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &ctx, const QString &msg) {
        if (msg.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR")))
            return;
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, ctx, msg)));
    });
    static int argc = 1; // QApplication keeps references to both
    static char name[] = "latentlab-cli";
    static char *argv[] = {name, nullptr};
    app_ = std::make_unique<QApplication>(argc, argv);
    // QApplication took the C library's locale from the environment; the program's numbers
    // stay in "C" (the rest of the run may print to files).
    std::setlocale(LC_NUMERIC, "C");
}

OffscreenPictures::~OffscreenPictures() = default;

void writeLatentFigure(const std::string &path, const torch::Tensor &codes,
                       const torch::Tensor &labels, const Prior &prior,
                       const std::vector<std::string> &classNames, const std::string &title) {
    if (!QCoreApplication::instance())
        throw Error(path + ": drawing needs a QApplication (ui/figures/latentfigure.h).");
    torch::Tensor z = codes.to(torch::kFloat);
    const bool twoD = z.size(1) >= 2;
    torch::Tensor x = z.select(1, 0);
    torch::Tensor y = twoD ? z.select(1, 1) : torch::zeros_like(x);

    // Frame both the codes and where the prior puts its mass.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
    torch::Tensor p = prior.sample(4000, gen).codes;
    torch::Tensor px = p.select(1, 0),
                  py = twoD && p.size(1) >= 2 ? p.select(1, 1) : torch::zeros_like(px);
    auto lo = [](const torch::Tensor &a, const torch::Tensor &b) {
        return std::min(a.min().item<double>(), b.quantile(0.005).item<double>());
    };
    auto hi = [](const torch::Tensor &a, const torch::Tensor &b) {
        return std::max(a.max().item<double>(), b.quantile(0.995).item<double>());
    };
    double x0 = lo(x, px), x1 = hi(x, px), y0 = lo(y, py), y1 = hi(y, py);
    const double padX = 0.05 * std::max(x1 - x0, 1e-3), padY = 0.05 * std::max(y1 - y0, 1e-3);
    x0 -= padX, x1 += padX, y0 -= padY, y1 += padY;

    LatentPlot plot;
    plot.resize(900, 760);
    QStringList names;
    for (const auto &n : classNames)
        names << QString::fromStdString(n);
    QVector<int> lab;
    if (labels.defined()) {
        torch::Tensor l = labels.to(torch::kInt).contiguous();
        lab = QVector<int>(l.data_ptr<int>(), l.data_ptr<int>() + l.numel());
    } else {
        lab.fill(-1, int(x.numel()));
    }
    plot.setPoints(toVector(x), toVector(y), lab, names);
    if (twoD) {
        constexpr int kGrid = 200;
        std::vector<double> d = prior.densityGrid(kGrid, kGrid, x0, x1, y0, y1);
        plot.setDensity(kGrid, kGrid, QCPRange(x0, x1), QCPRange(y0, y1),
                        QVector<double>(d.begin(), d.end()));
    }
    plot.xAxis->setRange(x0, x1);
    plot.yAxis->setRange(y0, y1);
    if (!title.empty()) {
        plot.plotLayout()->insertRow(0);
        plot.plotLayout()->addElement(
            0, 0, new QCPTextElement(&plot, QString::fromStdString(title), QFont("sans", 11)));
    }
    if (!plot.savePng(QString::fromStdString(path), 900, 760))
        throw Error(path + ": cannot write the picture.");
}

} // namespace latentlab
