#pragma once
// LossFeed: the loss plot in step with training. Each snapshot's new rows are appended; the
// curves are redrawn at most 4 times a second while training runs, and one due as the scatter
// redraws waits 30 ms, so that the two redraws do not hold the event loop back to back
// (docs/RELIABILITY.md, "What the GUI thread can afford"). GUI thread only.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

class LossPlot;
struct LossRecord;
struct LossTable;

class LossFeed : public QObject {
    Q_OBJECT
public:
    explicit LossFeed(LossPlot *plot, QObject *parent = nullptr);

    // A new session's losses, by name.
    void setNames(const std::vector<std::string> &names);
    // Rows of a run's losses.csv up to `upToStep`, shown now; the session's own follow them.
    void showTable(const LossTable &table, int64_t upToStep);
    // New rows from the session. `scatterRedraws`: the scatter redraws now (a new snapshot
    // while training), so the curves wait a moment; `playing`: training runs.
    void append(const std::vector<LossRecord> &rows, bool playing, bool scatterRedraws);

private:
    void redraw(); // now, and the plot's age starts again

    LossPlot *plot_;
    QElapsedTimer age_; // since the plot was last redrawn
    QTimer later_;      // a redraw put off until after the scatter's
};

} // namespace latentlab
