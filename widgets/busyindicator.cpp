#include "widgets/busyindicator.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>

namespace latentlab {

BusyIndicator::BusyIndicator(QWidget *parent)
    : QWidget(parent)
    , label_(new QLabel)
    , bar_(new QProgressBar)
    , delay_(new QTimer(this)) {
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label_);
    layout->addWidget(bar_);
    bar_->setRange(0, 0); // no known end: the bar moves
    bar_->setMaximumWidth(120);
    bar_->setMaximumHeight(14);
    bar_->setTextVisible(false);
    delay_->setSingleShot(true);
    delay_->setInterval(kDelayMs);
    connect(delay_, &QTimer::timeout, this, &QWidget::show);
    hide();
}

void BusyIndicator::setBusy(bool busy, const QString &what) {
    label_->setText(what.isEmpty() ? QString() : what + QStringLiteral("…"));
    if (!busy) {
        delay_->stop();
        hide();
    } else if (isHidden() && !delay_->isActive()) {
        delay_->start();
    }
}

} // namespace latentlab
