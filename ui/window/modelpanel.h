#pragma once
// ModelPanel, the "Data & Model" dock: which data set, which model, its prior and sizes, seed
// and device (the CPU and each GPU by name). "Create" asks for a fresh model with these choices.
// Remembers them in QSettings.

#include "model/config.h"
#include "model/device.h"

#include <vector>

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace latentlab {

class ExplorableModel;
class TextLine;

class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(QWidget *parent = nullptr);

    // The choices a fresh window offers: the paper's AAE with a mixture of 10 Gaussians and a
    // label-conditioned discriminator, on the demo digits (or lines where they are missing).
    static ModelConfig defaultConfig();

    QString dataSpec() const;
    // Adds a data set (e.g. "idx:/path" or "folder:/path") to the choices and selects it.
    void selectDataSpec(const QString &spec);
    // Takes a data set that selectDataSpec() added off the choices again (one that would not
    // load); the built-in sets stay.
    void removeDataSpec(const QString &spec);
    // The choices as a configuration; image shape and classes come from the data later.
    ModelConfig config() const;
    // Shows a loaded model's choices.
    void showConfig(const ModelConfig &config);
    // The model in the window: where it came from ("new", "LatentLab checkpoint model.pt", ...)
    // and what it is (kind, code size, image shape, step).
    void showModel(const QString &origin, const ExplorableModel &model, qint64 step);
    // The step of the model on show, as training moves it (a view that does not re-lay out).
    void setStep(qint64 step);
    QString modelText() const;

    // The devices to offer after "auto" (built from availableDevices(); tests give their own).
    // Keeps the choice where it is still offered.
    void setDevices(const std::vector<DeviceChoice> &devices);

    void saveSettings() const;
    void loadSettings();

Q_SIGNALS:
    void createRequested();

private:
    // The fields of the "New model" choices.
    void createChoices();
    // The "New model" choices, two short fields a row, and the Create button, into `box`.
    void layOutChoices(QWidget *box, QPushButton *create);

    QComboBox *data_, *kind_, *arch_, *prior_, *device_;
    QCheckBox *labels_;
    QLabel *model_, *latentLabel_;
    TextLine *step_;
    bool trainable_ = true; // the model on show has steps of LatentLab's (not TorchScript)
    QDoubleSpinBox *labelledFraction_;
    QSpinBox *latent_, *hidden_, *seed_;
};

} // namespace latentlab
