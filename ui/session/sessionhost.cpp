#include "ui/session/sessionhost.h"

#include <QThread>

namespace latentlab {

SessionHost::SessionHost(QObject *parent)
    : QObject(parent) {
    status_.setObjectName(QStringLiteral("redrawTimer")); // the name in profiles (the soak)
    status_.setSingleShot(true);
    status_.setInterval(40);
    connect(&status_, &QTimer::timeout, this, &SessionHost::announceStatus);
}

SessionHost::~SessionHost() {
    stop();
}

void SessionHost::start(std::unique_ptr<TrainingSession> session) {
    stop();
    const qint64 steps = session->latest()->step;
    unsaved_.reset(steps);
    session_ = session.release();
    thread_ = new QThread(this);
    thread_->setObjectName(QStringLiteral("training"));
    session_->moveToThread(thread_);
    connectSession();
    thread_->start();
    updateUnsaved();
    Q_EMIT sessionStarted(steps);
    announceStatus();
}

void SessionHost::connectSession() {
    connect(thread_, &QThread::started, session_, &TrainingSession::run);
    connect(session_, &TrainingSession::snapshotReady, this, [this] {
        if (!status_.isActive())
            status_.start();
    });
    connect(session_, &TrainingSession::playingChanged, this, &SessionHost::announceStatus);
    connect(session_, &TrainingSession::failed, this, &SessionHost::failed);
    connect(session_, &TrainingSession::targetReached, this, &SessionHost::targetReached);
    connect(session_, &TrainingSession::saved, this,
            [this](const QString &path, const QString &error, qint64 step) {
                if (path == autosavePath_)
                    return Q_EMIT autosaved(path, error);
                unsaved_.saveAnswered(path, error.isEmpty(), step);
                updateUnsaved();
                Q_EMIT saved(path, error);
            });
}

QString SessionHost::stop(const QString &savePath) {
    if (!session_)
        return {};
    Q_EMIT stopping();
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
    status_.stop();
    return result;
}

void SessionHost::announceStatus() {
    if (!session_)
        return;
    const auto snapshot = session_->latest();
    unsaved_.noteStep(snapshot->step);
    updateUnsaved();
    Q_EMIT statusChanged(snapshot->step, snapshot->stepsPerSecond, session_->isPlaying());
}

void SessionHost::togglePlay() {
    if (!session_)
        return;
    if (session_->isPlaying())
        session_->pause();
    else
        session_->play();
}

void SessionHost::stepOnce() {
    if (session_)
        session_->requestSteps(1);
}

void SessionHost::save(const QString &path) {
    if (!session_)
        return;
    unsaved_.saveRequested(path);
    session_->requestSave(path);
}

void SessionHost::autosave(const QString &path) {
    autosavePath_ = path;
    if (session_)
        session_->requestSave(path);
}

void SessionHost::setLearningRates(double recon, double disc, double gen) {
    if (!session_)
        return;
    session_->setLearningRates(recon, disc, gen);
    noteEdit();
}

void SessionHost::setBatchSize(int batch) {
    if (!session_)
        return;
    session_->setBatchSize(batch);
    noteEdit();
}

void SessionHost::setAdversarialWeight(double weight) {
    if (!session_)
        return;
    session_->setAdversarialWeight(weight);
    noteEdit();
}

void SessionHost::setTargetSteps(qint64 target) {
    if (session_)
        session_->setTargetSteps(target);
}

void SessionHost::noteEdit() {
    unsaved_.noteEdit();
    updateUnsaved();
}

void SessionHost::markUnsaved() {
    unsaved_.markAllUnsaved();
    updateUnsaved();
}

void SessionHost::updateUnsaved() {
    if (hasUnsavedWork() == unsavedShown_)
        return;
    unsavedShown_ = hasUnsavedWork();
    Q_EMIT unsavedWorkChanged(unsavedShown_);
}

} // namespace latentlab
