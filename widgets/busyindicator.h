#pragma once
// BusyIndicator: a line saying what runs and a moving bar, for the status bar. It appears only
// when the work has run for a fifth of a second, so quick work does not flicker it.

#include <QWidget>

class QLabel;
class QProgressBar;

namespace latentlab {

class BusyIndicator : public QWidget {
    Q_OBJECT
public:
    explicit BusyIndicator(QWidget *parent = nullptr);

    // Shown after the delay while busy; hidden at once when not. `what`: "Opening model.pt".
    void setBusy(bool busy, const QString &what = {});
    static constexpr int kDelayMs = 200;

private:
    QLabel *label_;
    QProgressBar *bar_;
    class QTimer *delay_;
};

} // namespace latentlab
