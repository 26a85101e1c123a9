#pragma once
// TrainingPanel, the "Training" dock: play / pause, single step, reset, the rates and sizes
// that may change while training runs, and progress toward a step target.

#include <QWidget>

class QAction;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QSpinBox;
class QToolButton;

namespace latentlab {

struct ModelConfig;
class TextLine;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    // The actions are owned by the window (they also sit in its menu, with shortcuts).
    TrainingPanel(QAction *play, QAction *step, QAction *reset, QWidget *parent = nullptr);

    // Shows a model's rates without emitting changes; `trainable`: the model is trained here
    // (else, as for a TorchScript model, not at all: the panel says why).
    void showConfig(const ModelConfig &config, bool trainable = true);
    // The model on show is a run another program trains (File > Follow run): the panel says
    // so, and the step target, which is the window's own, is not shown against it.
    void showFollowed();
    void setStatus(qint64 step, double stepsPerSecond, bool playing);
    qint64 target() const;
    // How many items training re-encodes for the live scatter; without emitting.
    void setLiveSample(int items);

Q_SIGNALS:
    void ratesChanged(double recon, double disc, double gen);
    void batchChanged(int batch);
    void adversarialWeightChanged(double weight);
    void targetChanged(qint64 target);
    void liveSampleChanged(int items);

private:
    void createFields();
    // The buttons, then the fields in a form, short ones two to a row.
    void layOut(QAction *play, QAction *step, QAction *reset);

    QDoubleSpinBox *lrRecon_, *lrDisc_, *lrGen_, *adversarial_;
    QSpinBox *batch_, *target_, *liveSample_;
    TextLine *step_, *speed_;
    QLabel *notice_;
    QProgressBar *progress_;
    QWidget *targetLabel_;
    bool followed_ = false;
};

} // namespace latentlab
