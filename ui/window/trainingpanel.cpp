#include "ui/window/trainingpanel.h"

#include "model/config.h"
#include "widgets/liveviews.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace latentlab {

namespace {

QDoubleSpinBox *rateBox() {
    auto *box = new QDoubleSpinBox;
    box->setDecimals(5);
    box->setRange(0.00001, 0.1);
    box->setSingleStep(0.0001);
    box->setKeyboardTracking(false); // apply when editing ends, not on every digit
    return box;
}

QToolButton *button(QAction *action) {
    auto *b = new QToolButton;
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return b;
}

} // namespace

TrainingPanel::TrainingPanel(QAction *play, QAction *step, QAction *reset, QWidget *parent)
    : QWidget(parent) {
    createFields();
    layOut(play, step, reset);
    auto rates = [this] {
        Q_EMIT ratesChanged(lrRecon_->value(), lrDisc_->value(), lrGen_->value());
    };
    for (QDoubleSpinBox *box : {lrRecon_, lrDisc_, lrGen_})
        connect(box, &QDoubleSpinBox::valueChanged, this, rates);
    connect(adversarial_, &QDoubleSpinBox::valueChanged, this,
            &TrainingPanel::adversarialWeightChanged);
    connect(batch_, &QSpinBox::valueChanged, this, &TrainingPanel::batchChanged);
    connect(target_, &QSpinBox::valueChanged, this,
            [this](int v) { Q_EMIT targetChanged(qint64(v)); });
    connect(liveSample_, &QSpinBox::valueChanged, this, &TrainingPanel::liveSampleChanged);
}

void TrainingPanel::createFields() {
    lrRecon_ = rateBox();
    lrDisc_ = rateBox();
    lrGen_ = rateBox();
    adversarial_ = new QDoubleSpinBox;
    adversarial_->setRange(0, 100);
    adversarial_->setSingleStep(0.1);
    adversarial_->setKeyboardTracking(false);
    batch_ = new QSpinBox;
    batch_->setRange(1, 4096);
    batch_->setKeyboardTracking(false);
    target_ = new QSpinBox;
    target_->setRange(0, 100000000);
    target_->setSingleStep(1000);
    target_->setValue(5000);
    target_->setSpecialValueText(tr("none"));
    liveSample_ = new QSpinBox;
    liveSample_->setObjectName(QStringLiteral("liveSample"));
    liveSample_->setRange(1000, 10000000);
    liveSample_->setSingleStep(1000);
    liveSample_->setGroupSeparatorShown(true);
    liveSample_->setSuffix(tr(" items"));
    liveSample_->setKeyboardTracking(false);
    liveSample_->setToolTip(
        tr("While training runs, the scatter shows this many items (a sample with each label in "
           "its share), re-encoded a chunk at a time; paused, every item is encoded again. "
           "Applies to the next model opened or made."));
    // Both change with every snapshot (ten times a second): views that repaint without
    // re-laying out the window (widgets/liveviews.h).
    step_ = new TextLine(QStringLiteral("100000000"));
    step_->setText(QStringLiteral("0"));
    speed_ = new TextLine(tr("%1 steps/s").arg(10000.0, 0, 'f', 1));
    speed_->setText(QStringLiteral("–"));
    progress_ = new QProgressBar;
    progress_->setRange(0, 1000);
    // Where a person looks for training: a model the window does not train says here why.
    notice_ = new QLabel;
    notice_->setWordWrap(true);
    notice_->setObjectName(QStringLiteral("notTrainableNotice"));
    notice_->hide();
}

void TrainingPanel::layOut(QAction *play, QAction *step, QAction *reset) {
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(button(play));
    buttons->addWidget(button(step));
    buttons->addWidget(button(reset));
    buttons->addStretch();
    // Short fields share a row, so that the dock fits a laptop's screen under Data & Model.
    auto pair = [](QWidget *first, QWidget *second, const QString &between = {}) {
        auto *row = new QHBoxLayout;
        row->addWidget(first, 1);
        if (!between.isEmpty())
            row->addWidget(new QLabel(between));
        row->addWidget(second, 1);
        return row;
    };
    auto *form = new QFormLayout;
    form->addRow(tr("Step"), pair(step_, speed_));
    QHBoxLayout *targetRow = pair(target_, progress_);
    form->addRow(tr("Stop at step"), targetRow);
    targetLabel_ = form->labelForField(targetRow);
    form->addRow(tr("Reconstruction rate"), lrRecon_);
    form->addRow(tr("Generator rate"), lrGen_);
    form->addRow(tr("Discriminator rate"), lrDisc_);
    form->addRow(tr("Adversarial weight"), pair(adversarial_, batch_, tr("Batch")));
    form->addRow(tr("Live sample"), liveSample_);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(notice_);
    layout->addLayout(form);
    layout->addStretch();
}

void TrainingPanel::showConfig(const ModelConfig &c, bool trainable) {
    const QSignalBlocker b1(lrRecon_), b2(lrDisc_), b3(lrGen_), b4(adversarial_), b5(batch_);
    lrRecon_->setValue(c.lrRecon);
    lrDisc_->setValue(c.lrDisc);
    lrGen_->setValue(c.lrGen);
    adversarial_->setValue(c.adversarialWeight);
    batch_->setValue(c.batch);
    followed_ = false;
    for (QWidget *w : {static_cast<QWidget *>(target_), targetLabel_})
        w->setVisible(true);
    target_->setEnabled(true);
    progress_->setEnabled(true);
    notice_->setText(tr("This model was trained elsewhere (TorchScript): LatentLab explores it "
                        "but does not train it. Train it in Python, save it again and open "
                        "it here (File > Recent models)."));
    lrRecon_->setEnabled(trainable);
    batch_->setEnabled(trainable);
    lrDisc_->setEnabled(c.adversarial() || c.kind == ModelKind::Acai); // discriminator or critic
    lrGen_->setEnabled(c.adversarial());
    adversarial_->setEnabled(c.adversarial());
    notice_->setVisible(!trainable);
}

void TrainingPanel::showFollowed() {
    followed_ = true;
    notice_->setText(
        tr("This run trains in another program: the window shows each checkpoint "
           "it writes. Open that checkpoint (File > Open model) to train it here instead."));
    notice_->show();
    for (QWidget *w : {static_cast<QWidget *>(target_), targetLabel_,
                       static_cast<QWidget *>(progress_), static_cast<QWidget *>(lrRecon_),
                       static_cast<QWidget *>(lrDisc_), static_cast<QWidget *>(lrGen_),
                       static_cast<QWidget *>(adversarial_), static_cast<QWidget *>(batch_)})
        w->setEnabled(false);
    target_->hide();
    targetLabel_->hide();
    progress_->hide();
}

void TrainingPanel::setStatus(qint64 step, double stepsPerSecond, bool playing) {
    step_->setText(QString::number(step));
    speed_->setText(playing     ? tr("%1 steps/s").arg(stepsPerSecond, 0, 'f', 1)
                    : followed_ ? tr("trained elsewhere")
                                : tr("paused"));
    const qint64 t = followed_ ? 0 : target();
    progress_->setVisible(t > 0);
    if (t > 0) {
        progress_->setValue(int(std::min<qint64>(1000, step * 1000 / t)));
        progress_->setFormat(QStringLiteral("%1 / %2").arg(step).arg(t));
    }
}

void TrainingPanel::setLiveSample(int items) {
    const QSignalBlocker blocker(liveSample_);
    liveSample_->setValue(items);
}

qint64 TrainingPanel::target() const {
    return target_->value();
}

} // namespace latentlab
