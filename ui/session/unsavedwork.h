#pragma once
// UnsavedWork: whether the model on show holds work that a save would keep and that is not
// saved: steps trained, or a change the person made (learning rates, batch size, adversarial
// weight, directions) since the model was last saved or opened. A save records what it will
// hold when it is asked for, so a change made while it is written still counts as unsaved.
// revision() changes with every step and every change, for autosaves. GUI thread only.

#include <QString>
#include <QtGlobal>

#include <deque>

namespace latentlab {

class UnsavedWork {
public:
    // A model was made or opened at `step`: nothing of it is unsaved.
    void reset(qint64 step);
    // Nothing of the model on show is saved anywhere the person chose (restored after a crash).
    void markAllUnsaved() { savedStep_ = -1; }
    void noteStep(qint64 step);
    void noteEdit();
    // A save the person asked for; saveAnswered() follows in the same order.
    void saveRequested(const QString &path);
    // The save of `path` ended (ok: written) with the model at `step`.
    void saveAnswered(const QString &path, bool ok, qint64 step);

    bool any() const { return stepsUnsaved() || editsUnsaved(); }
    bool stepsUnsaved() const { return step_ != savedStep_; }
    bool editsUnsaved() const { return edits_ != savedEdits_; }
    // Changes with every step and every edit.
    qint64 revision() const { return revision_; }

private:
    struct PendingSave {
        QString path;
        qint64 edits;
    };
    qint64 step_ = 0, savedStep_ = 0;
    qint64 edits_ = 0, savedEdits_ = 0;
    qint64 revision_ = 0;
    std::deque<PendingSave> pending_;
};

} // namespace latentlab
