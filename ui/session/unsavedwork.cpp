#include "ui/session/unsavedwork.h"

namespace latentlab {

void UnsavedWork::reset(qint64 step) {
    step_ = savedStep_ = step;
    savedEdits_ = edits_;
    pending_.clear();
    ++revision_;
}

void UnsavedWork::noteStep(qint64 step) {
    if (step == step_)
        return;
    step_ = step;
    ++revision_;
}

void UnsavedWork::noteEdit() {
    ++edits_;
    ++revision_;
}

void UnsavedWork::saveRequested(const QString &path) {
    pending_.push_back({path, edits_});
}

void UnsavedWork::saveAnswered(const QString &path, bool ok, qint64 step) {
    // Saves are answered in the order they were asked for; one of an earlier session (asked
    // before a reset) finds no entry.
    while (!pending_.empty() && pending_.front().path != path)
        pending_.pop_front();
    if (pending_.empty())
        return;
    const qint64 edits = pending_.front().edits;
    pending_.pop_front();
    if (!ok)
        return;
    savedStep_ = step;
    savedEdits_ = edits;
}

} // namespace latentlab
