#pragma once
// DirectionsController: the Directions dock's arithmetic. Keeps the model's directions in the
// code space (model/analysis/directions.h), makes new ones from the shown codes (two classes'
// means, two selections of items, the principal directions), moves the clicked item along the
// chosen one as the slider moves, decoding on a thread of its own (LatestWork), and hands the
// list to the session so that it is saved with the model. GUI thread only.

#include "model/analysis/directions.h"
#include "ui/session/trainingsession.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

namespace latentlab {

class DirectionsPanel;
class LatentPlot;
class LatestWork;

class DirectionsController : public QObject {
    Q_OBJECT
public:
    DirectionsController(DirectionsPanel *panel, LatentPlot *plot, QObject *parent = nullptr);

    // A new session: its model's directions (keep: a newer version of the model on show keeps
    // the list, the item and the selections).
    void reset(TrainingSession *session, bool keep = false);
    void setSnapshot(std::shared_ptr<const Snapshot> snapshot);
    // The item moved along the direction (the one last clicked on the scatter).
    void setItem(int index);

    // What the panel's buttons do. Each throws Error in words (no item of a class, an empty
    // selection).
    void addClassDirection(int from, int to);
    void useSelection(int which); // the scatter's current selection as "from" (0) or "to" (1)
    void addSelectionDirection();
    void addPrincipalDirections(int count);
    void removeDirection(int row);

    const std::vector<Direction> &directions() const { return directions_; }
    bool decoding() const;

Q_SIGNALS:
    void message(const QString &text);
    void failed(const QString &text);
    // The person added or removed a direction: the model holds work to save.
    void edited();

private:
    void guard(const std::function<void()> &work);
    void add(std::vector<Direction> added);
    void changed(); // the list changed: the panel shows it, the session keeps it
    void updatePreview();
    QString uniqueName(const std::string &name) const;

    DirectionsPanel *panel_;
    LatentPlot *plot_;
    LatestWork *preview_;
    TrainingSession *session_ = nullptr;
    std::shared_ptr<const Snapshot> snapshot_;
    std::vector<Direction> directions_;
    std::vector<int64_t> selections_[2];
    QStringList classNames_;
    int item_ = -1;
};

} // namespace latentlab
