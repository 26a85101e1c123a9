#pragma once
// SessionHost: the model on show as a running thing. It owns one TrainingSession and the thread
// it runs on, passes the person's commands to it (play, step, rates, saves), and keeps what a
// save would keep: whether any work is unsaved (UnsavedWork), which save is the person's and
// which an autosave. Snapshots arrive as signals; a single-shot 40 ms timer coalesces them into
// statusChanged(), so the views redraw at most about 25 times a second whatever the training
// speed. GUI thread only; the session's own work runs on its thread.

#include "ui/session/trainingsession.h"
#include "ui/session/unsavedwork.h"

#include <QObject>
#include <QTimer>

#include <memory>

class QThread;

namespace latentlab {

class SessionHost : public QObject {
    Q_OBJECT
public:
    explicit SessionHost(QObject *parent = nullptr);
    ~SessionHost() override;

    // Runs `session` (paused) in place of the one running, which stops first (stopping()).
    // Nothing of the new model is unsaved.
    void start(std::unique_ptr<TrainingSession> session);
    // Stops and joins the worker; when savePath is not empty the model is saved first and the
    // result returned (empty string: saved). Without a session it does nothing.
    QString stop(const QString &savePath = {});
    // Null before the first start() and after stop().
    TrainingSession *session() const { return session_; }

    void togglePlay();
    void stepOnce();
    void save(const QString &path);
    // A save that is not the person's: answered by autosaved(), and the model still counts as
    // unsaved (hasUnsavedSteps()).
    void autosave(const QString &path);
    // What the Training dock changes while the model trains; each is kept by the next save.
    void setLearningRates(double recon, double disc, double gen);
    void setBatchSize(int batch);
    void setAdversarialWeight(double weight);
    void setTargetSteps(qint64 target);

    // A change the person made that the next save keeps (directions added or removed).
    void noteEdit();
    // The session holds work the person has not saved (a model restored after a crash).
    void markUnsaved();
    // Work a save would keep that is not saved: steps taken or a change the person made since
    // the model was last saved or opened. Autosaves do not count.
    bool hasUnsavedWork() const { return session_ && unsaved_.any(); }
    // Steps taken since the model was last saved or opened (a part of hasUnsavedWork()).
    bool hasUnsavedSteps() const { return session_ && unsaved_.stepsUnsaved(); }
    // Changes the person made since then (the other part of hasUnsavedWork()).
    bool hasUnsavedEdits() const { return session_ && unsaved_.editsUnsaved(); }
    // Changes with every step and every change the person makes (autosaves compare it).
    qint64 workRevision() const { return unsaved_.revision(); }

Q_SIGNALS:
    // A session began (a new model or an opened one) at this step.
    void sessionStarted(qint64 step);
    // The running session is about to end: work for its views is no longer wanted.
    void stopping();
    // The newest snapshot, at most about 25 times a second, and whenever play or pause changes.
    void statusChanged(qint64 step, double stepsPerSecond, bool playing);
    void failed(const QString &message);
    void saved(const QString &path, const QString &error);
    void autosaved(const QString &path, const QString &error);
    void targetReached(qint64 step);
    // hasUnsavedWork() changed.
    void unsavedWorkChanged(bool unsaved);

private:
    void connectSession();
    void announceStatus();
    // Emits unsavedWorkChanged() when hasUnsavedWork() changed.
    void updateUnsaved();

    QThread *thread_ = nullptr;
    TrainingSession *session_ = nullptr;
    QTimer status_; // coalesces snapshots
    UnsavedWork unsaved_;
    bool unsavedShown_ = false; // as last announced by unsavedWorkChanged()
    QString autosavePath_;
};

} // namespace latentlab
