#include "ui/window/interpolationfiles.h"

#include "ui/explorer/interpolationcontroller.h"
#include "ui/threads/failure.h"
#include "widgets/interpolationpanel.h"

#include <QFileDialog>

namespace latentlab {

InterpolationFiles::InterpolationFiles(InterpolationPanel *panel,
                                       InterpolationController *controller, QObject *parent)
    : QObject(parent)
    , panel_(panel)
    , controller_(controller) {
    auto guarded = [this](void (InterpolationFiles::*ask)()) {
        return [this, ask] {
            const QString failure = failureOf([&] { (this->*ask)(); });
            if (!failure.isEmpty())
                Q_EMIT failed(failure);
        };
    };
    connect(panel_, &InterpolationPanel::exportStripRequested, this,
            guarded(&InterpolationFiles::exportStrip));
    connect(panel_, &InterpolationPanel::exportAnimationRequested, this,
            guarded(&InterpolationFiles::exportAnimation));
    connect(panel_, &InterpolationPanel::compareRequested, this,
            guarded(&InterpolationFiles::compare));
    connect(panel_, &InterpolationPanel::openImageRequested, this,
            guarded(&InterpolationFiles::openImage));
}

void InterpolationFiles::exportStrip() {
    if (panel_->stripImage().isNull())
        return controller_->exportStrip({}); // says there is nothing to export
    const QString path = QFileDialog::getSaveFileName(
        panel_, tr("Export strip"), QStringLiteral("interpolation.png"), tr("PNG images (*.png)"));
    if (!path.isEmpty())
        controller_->exportStrip(path);
}

void InterpolationFiles::exportAnimation() {
    if (!controller_->hasBothEnds())
        return controller_->exportAnimation({}); // says there is no path yet
    const QString path =
        QFileDialog::getSaveFileName(panel_, tr("Export animation"),
                                     QStringLiteral("interpolation.mp4"), tr("MP4 video (*.mp4)"));
    if (!path.isEmpty())
        controller_->exportAnimation(path);
}

void InterpolationFiles::compare() {
    const QString path = QFileDialog::getOpenFileName(
        panel_, tr("Compare with model"), {},
        tr("Models: LatentLab checkpoints, TorchScript (*.pt *.ts *.pth);;All files (*)"));
    if (!path.isEmpty())
        controller_->addComparison(path);
}

void InterpolationFiles::openImage() {
    const QString path = QFileDialog::getOpenFileName(panel_, tr("Image as interpolation end"), {},
                                                      tr("Images (*.png *.jpg *.jpeg *.bmp)"));
    if (!path.isEmpty())
        controller_->setEndFromFile(path);
}

} // namespace latentlab
