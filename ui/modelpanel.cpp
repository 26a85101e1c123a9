#include "ui/modelpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

#include <algorithm>

namespace latentlab {

ModelPanel::ModelPanel(QWidget *parent)
    : QWidget(parent) {
    data_ = new QComboBox;
    data_->addItem(tr("MNIST demo digits"), QStringLiteral("mnist"));
    data_->addItem(tr("lines (ACAI benchmark)"), QStringLiteral("lines"));
    kind_ = new QComboBox;
    const std::pair<const char *, ModelKind> kinds[] = {
        {"AAE, deterministic encoder", ModelKind::Aae},
        {"AAE, Gaussian posterior", ModelKind::AaeGaussian},
        {"AAE, universal approximator", ModelKind::AaeUniversal},
        {"AAE, supervised (style / label)", ModelKind::AaeSupervised},
        {"AAE, semi-supervised (softmax y + style z)", ModelKind::AaeSemiSupervised},
        {"AAE, unsupervised clustering (16 heads)", ModelKind::AaeClustering},
        {"ACAI (critic on interpolants)", ModelKind::Acai},
        {"plain autoencoder", ModelKind::Autoencoder},
        {"denoising autoencoder", ModelKind::Denoising},
        {"dropout autoencoder", ModelKind::Dropout},
        {"VAE", ModelKind::Vae}};
    for (const auto &[name, kind] : kinds)
        kind_->addItem(tr(name), QString::fromStdString(toString(kind)));
    arch_ = new QComboBox;
    arch_->addItem(tr("MLP"), QStringLiteral("mlp"));
    arch_->addItem(tr("convolutional (ACAI)"), QStringLiteral("conv"));
    prior_ = new QComboBox;
    for (const char *p : {"mixture10", "gaussian", "swissroll", "uniform"})
        prior_->addItem(QString::fromLatin1(p), QString::fromLatin1(p));
    labels_ = new QCheckBox(tr("discriminator sees labels"));
    labels_->setChecked(true);
    labelledFraction_ = new QDoubleSpinBox;
    labelledFraction_->setRange(0, 1);
    labelledFraction_->setSingleStep(0.05);
    labelledFraction_->setValue(1);
    latent_ = new QSpinBox;
    latent_->setRange(1, 256);
    latent_->setValue(2);
    hidden_ = new QSpinBox;
    hidden_->setRange(8, 4096);
    hidden_->setValue(1000);
    seed_ = new QSpinBox;
    seed_->setRange(0, 1 << 30);
    seed_->setValue(1);
    device_ = new QComboBox;
    device_->setObjectName(QStringLiteral("device"));
    setDevices(availableDevices());
    auto *create = new QPushButton(tr("Create model"));

    model_ = new QLabel(tr("No model yet"));
    model_->setObjectName(QStringLiteral("modelOrigin"));
    model_->setWordWrap(true);
    model_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Loaded"), model_);
    form->addRow(tr("Data"), data_);
    form->addRow(tr("Model"), kind_);
    form->addRow(tr("Networks"), arch_);
    form->addRow(tr("Prior"), prior_);
    form->addRow(labels_);
    form->addRow(tr("Labelled share"), labelledFraction_);
    form->addRow(tr("Code size"), latent_);
    form->addRow(tr("Hidden width"), hidden_);
    form->addRow(tr("Seed"), seed_);
    form->addRow(tr("Device"), device_);
    form->addRow(create);
    connect(create, &QPushButton::clicked, this, &ModelPanel::createRequested);
    // The labelled share serves a label-conditioned prior and the semi-supervised AAE.
    auto updateLabelledShare = [this] {
        const bool semi = kind_->currentData().toString() == "aae-semi";
        labelledFraction_->setEnabled(labels_->isChecked() || semi);
        labels_->setEnabled(!semi && kind_->currentData().toString() != "aae-cluster");
    };
    connect(labels_, &QCheckBox::toggled, this, updateLabelledShare);
    connect(kind_, qOverload<int>(&QComboBox::currentIndexChanged), this, updateLabelledShare);
    updateLabelledShare();
}

QString ModelPanel::dataSpec() const {
    return data_->currentData().toString();
}

void ModelPanel::selectDataSpec(const QString &spec) {
    int index = data_->findData(spec);
    if (index < 0) {
        data_->addItem(spec, spec);
        index = data_->count() - 1;
    }
    data_->setCurrentIndex(index);
}

ModelConfig ModelPanel::config() const {
    // The kind's own defaults (ACAI's rates, batch and loss among them), then the choices here.
    ModelConfig c =
        ModelConfig::forKind(modelKindFromString(kind_->currentData().toString().toStdString()));
    c.arch = architectureFromString(arch_->currentData().toString().toStdString());
    c.prior = prior_->currentData().toString().toStdString();
    c.labelConditioned = labels_->isChecked() && c.adversarial() && c.categories() == 0;
    c.labelledFraction = labelledFraction_->value();
    c.latent = latent_->value();
    c.hidden = c.discHidden = hidden_->value();
    c.seed = uint64_t(seed_->value());
    c.device = device_->currentData().toString().toStdString();
    c.data = dataSpec().toStdString();
    return c;
}

void ModelPanel::showConfig(const ModelConfig &c) {
    auto select = [](QComboBox *box, const std::string &value) {
        const int i = box->findData(QString::fromStdString(value));
        if (i >= 0)
            box->setCurrentIndex(i);
    };
    selectDataSpec(QString::fromStdString(c.data));
    select(kind_, toString(c.kind));
    select(arch_, toString(c.arch));
    select(prior_, c.prior);
    labels_->setChecked(c.labelConditioned);
    labelledFraction_->setValue(c.labelledFraction);
    latent_->setValue(c.latent);
    hidden_->setValue(c.hidden);
    seed_->setValue(int(c.seed));
    // "cuda" is the first GPU (of this process); a device this machine lacks keeps the choice.
    select(device_, c.device == "cuda" ? std::string("cuda:0") : c.device);
}

void ModelPanel::setDevices(const std::vector<DeviceChoice> &devices) {
    const QString chosen = device_->currentData().toString();
    device_->clear();
    device_->addItem(tr("auto: the first GPU, else the CPU"), QStringLiteral("auto"));
    for (const DeviceChoice &d : devices)
        device_->addItem(QStringLiteral("%1: %2").arg(QString::fromStdString(d.name),
                                                      QString::fromStdString(d.description)),
                         QString::fromStdString(d.name));
    device_->setCurrentIndex(std::max(0, device_->findData(chosen)));
}

void ModelPanel::showModel(const QString &origin, const ModelConfig &c, qint64 step) {
    // One arg() call: a file name with "%1" in it must not take the numbers' places.
    const QString what =
        c.script.empty() ? QStringLiteral("%1, %2").arg(QString::fromStdString(toString(c.kind)),
                                                        QString::fromStdString(toString(c.arch)))
                         : QStringLiteral("TorchScript");
    // A TorchScript model has no step of LatentLab's to show: it was trained elsewhere.
    const QString trained = c.script.empty() ? tr(", step %1").arg(step) : QString();
    model_->setText(tr("%1\n%2, code %3, %4x%5x%6%7")
                        .arg(origin, what, QString::number(c.codeSize()),
                             QString::number(c.channels), QString::number(c.height),
                             QString::number(c.width), trained));
}

QString ModelPanel::modelText() const {
    return model_->text();
}

void ModelPanel::saveSettings() const {
    QSettings s;
    s.beginGroup(QStringLiteral("model"));
    s.setValue(QStringLiteral("config"), QString::fromStdString(config().toJsonText()));
    s.endGroup();
}

void ModelPanel::loadSettings() {
    QSettings s;
    const QString json = s.value(QStringLiteral("model/config")).toString();
    if (json.isEmpty())
        return;
    try {
        showConfig(ModelConfig::fromJsonText(json.toStdString()));
    } catch (const std::exception &) {
        // Settings from another version: keep the defaults.
    }
}

} // namespace latentlab
