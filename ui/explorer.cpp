#include "ui/explorer.h"

#include "ui/imageconvert.h"
#include "ui/interpolationcontroller.h"
#include "ui/latentfigure.h"
#include "widgets/imagepairview.h"
#include "widgets/latentplot.h"
#include "widgets/lossplot.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QThread>
#include <torch/torch.h>

namespace latentlab {

namespace {
QVector<double> column(const torch::Tensor &codes, int64_t dim) {
    if (dim >= codes.size(1))
        return QVector<double>(int(codes.size(0)), 0.0);
    torch::Tensor c = codes.select(1, dim).to(torch::kDouble).contiguous();
    return QVector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}
} // namespace

Explorer::Explorer(const Views &views, QObject *parent)
    : QObject(parent)
    , views_(views)
    , interpolation_(new InterpolationController(views.latent, views.interpolation, this)) {
    redraw_.setSingleShot(true);
    redraw_.setInterval(40);
    connect(&redraw_, &QTimer::timeout, this, &Explorer::showNewest);
    connect(views_.latent, &LatentPlot::pointHovered, this, [this](int index) {
        if (index >= 0)
            showItem(index);
    });
    connect(views_.latent, &LatentPlot::pointClicked, this,
            [this](int index, Qt::KeyboardModifiers mods) {
                showItem(index);
                interpolation_->pickItem(index, mods & Qt::ShiftModifier);
            });
    connect(interpolation_, &InterpolationController::message, this, &Explorer::message);
}

Explorer::~Explorer() {
    stop();
}

void Explorer::start(std::unique_ptr<Trainer> trainer, int64_t shown) {
    stop();
    savedStep_ = trainer->steps();
    session_ = new TrainingSession(std::move(trainer), shown);
    thread_ = new QThread(this);
    thread_->setObjectName(QStringLiteral("training"));
    session_->moveToThread(thread_);
    connect(thread_, &QThread::started, session_, &TrainingSession::run);
    connect(session_, &TrainingSession::snapshotReady, this, [this] {
        if (!redraw_.isActive())
            redraw_.start();
    });
    connect(session_, &TrainingSession::failed, this, &Explorer::failed);
    connect(session_, &TrainingSession::targetReached, this, &Explorer::targetReached);
    connect(session_, &TrainingSession::saved, this,
            [this](const QString &path, const QString &error) {
                if (error.isEmpty() && shown_)
                    savedStep_ = session_->latest()->step;
                Q_EMIT saved(path, error);
            });
    connect(session_, &TrainingSession::playingChanged, this, [this] { showNewest(); });

    const Dataset &data = session_->data();
    labels_.clear();
    const int64_t n = session_->latest()->codes.size(0);
    if (data.hasLabels()) {
        torch::Tensor l = data.labels.slice(0, 0, n).to(torch::kInt).contiguous();
        labels_ = QVector<int>(l.data_ptr<int>(), l.data_ptr<int>() + n);
    } else {
        labels_.fill(-1, int(n));
    }
    classNames_.clear();
    for (const auto &name : data.classNames)
        classNames_ << QString::fromStdString(name);

    QStringList names;
    for (const auto &name : session_->lossNames())
        names << QString::fromStdString(name);
    views_.losses->setNames(names);
    views_.inspector->clear();
    interpolation_->reset(&session_->data());
    setupPriorOverlay();
    shown_.reset();
    showNewest();
    views_.latent->fitAll();
    thread_->start();
}

QString Explorer::stop(const QString &savePath) {
    if (!session_)
        return {};
    QString result;
    if (!savePath.isEmpty()) {
        // Answered on the worker thread just before the loop ends; wait() below orders it.
        connect(
            session_, &TrainingSession::saved, this,
            [&result](const QString &, const QString &error) { result = error; },
            Qt::DirectConnection);
        session_->requestSave(savePath);
    }
    session_->requestStop();
    thread_->quit();
    thread_->wait();
    delete session_;
    session_ = nullptr;
    delete thread_;
    thread_ = nullptr;
    shown_.reset();
    redraw_.stop();
    return result;
}

bool Explorer::hasUnsavedSteps() const {
    return session_ && session_->latest() && session_->latest()->step != savedStep_;
}

void Explorer::togglePlay() {
    if (!session_)
        return;
    if (session_->isPlaying())
        session_->pause();
    else
        session_->play();
}

void Explorer::stepOnce() {
    if (session_)
        session_->requestSteps(1);
}

void Explorer::save(const QString &path) {
    if (session_)
        session_->requestSave(path);
}

void Explorer::setDensityVisible(bool visible) {
    views_.latent->setDensityVisible(visible);
    views_.latent->refresh();
}

void Explorer::setPriorSamplesVisible(bool visible) {
    samplesVisible_ = visible;
    views_.latent->setPriorSamples(visible ? sampleX_ : QVector<double>(),
                                   visible ? sampleY_ : QVector<double>());
    views_.latent->refresh();
}

void Explorer::fitView() {
    views_.latent->fitAll();
    views_.latent->replot(QCustomPlot::rpQueuedReplot);
}

void Explorer::setupPriorOverlay() {
    const Prior &prior = session_->prior();
    auto gen = at::make_generator<at::CPUGeneratorImpl>(7);
    const torch::Tensor samples = prior.sample(3000, gen).codes;
    sampleX_ = column(samples, 0);
    sampleY_ = column(samples, 1);
    setPriorSamplesVisible(samplesVisible_);
    if (prior.dim() < 2) {
        views_.latent->clearDensity();
        return;
    }
    // Cover where the prior has its mass, generously, so panning keeps the overlay.
    auto range = [](const torch::Tensor &v) {
        const double lo = v.quantile(0.001).item<double>(), hi = v.quantile(0.999).item<double>();
        const double pad = 0.6 * (hi - lo) + 0.5;
        return QCPRange(lo - pad, hi + pad);
    };
    const QCPRange xr = range(samples.select(1, 0)), yr = range(samples.select(1, 1));
    constexpr int kGrid = 220;
    const std::vector<double> d =
        priorDensityGrid(prior, kGrid, kGrid, xr.lower, xr.upper, yr.lower, yr.upper);
    views_.latent->setDensity(kGrid, kGrid, xr, yr, QVector<double>(d.begin(), d.end()));
}

void Explorer::showNewest() {
    if (!session_)
        return;
    auto snapshot = session_->latest();
    for (const LossRecord &r : session_->takeLosses())
        views_.losses->append(double(r.step), QVector<double>(r.values.begin(), r.values.end()));
    views_.losses->refresh();
    Q_EMIT statusChanged(snapshot->step, snapshot->stepsPerSecond, session_->isPlaying());
    if (snapshot == shown_)
        return;
    shown_ = snapshot;
    views_.latent->setPoints(column(snapshot->codes, 0), column(snapshot->codes, 1), labels_,
                             classNames_);
    views_.latent->setAxisLabels(QStringLiteral("z0"), QStringLiteral("z1"));
    interpolation_->setSnapshot(snapshot);
    views_.latent->refresh();
}

void Explorer::showItem(int index) {
    if (!shown_ || index < 0 || index >= shown_->codes.size(0))
        return;
    const Dataset &data = session_->data();
    const torch::Tensor image = data.images[index];
    const torch::Tensor label =
        data.hasLabels() ? data.labels.slice(0, index, index + 1) : torch::zeros({1}, torch::kLong);
    const torch::Tensor code = shown_->codes.slice(0, index, index + 1);
    const torch::Tensor reconstruction = shown_->model->decode(code, label)[0];
    QString caption = tr("item %1").arg(index);
    if (data.hasLabels()) {
        const int l = int(data.labels[index].item<int64_t>());
        caption += tr(", label %1").arg(classNames_.value(l, QString::number(l)));
    }
    caption += tr(", code (%1, %2%3)")
                   .arg(code[0][0].item<double>(), 0, 'f', 2)
                   .arg(code.size(1) > 1 ? code[0][1].item<double>() : 0.0, 0, 'f', 2)
                   .arg(code.size(1) > 2 ? QStringLiteral(", …") : QString());
    views_.inspector->setImages(toQImage(image), toQImage(reconstruction), caption);
}

} // namespace latentlab
