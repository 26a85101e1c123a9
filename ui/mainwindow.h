#pragma once
// The main window. For now a placeholder that says what the explorer will hold; the explorer
// (live training, latent view, interpolation) is built in issue 3.

#include <QMainWindow>

namespace latentlab {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace latentlab
