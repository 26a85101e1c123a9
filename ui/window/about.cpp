#include "ui/window/about.h"

#include "model/device.h"

#include <QApplication>
#include <QIcon>
#include <QMessageBox>
#include <torch/version.h>

namespace latentlab {

QString versionLine() {
    const std::string gpus = gpuSummary();
    const QString device = gpus.empty()
                               ? QStringLiteral("CPU only")
                               : QStringLiteral("CUDA: %1").arg(QString::fromStdString(gpus));
    return QStringLiteral("LatentLab %1 (LibTorch %2, %3)")
        .arg(QStringLiteral(LATENTLAB_VERSION), QStringLiteral(TORCH_VERSION), device);
}

void showAbout(QWidget *parent) {
    QMessageBox box(parent);
    box.setWindowTitle(QObject::tr("About LatentLab"));
    box.setIconPixmap(QApplication::windowIcon().pixmap(96, 96));
    box.setTextFormat(Qt::RichText);
    box.setText(QObject::tr("<h3>%1</h3>"
                            "<p>Trains adversarial autoencoders (AAE) and ACAI models and shows "
                            "their latent space while they learn.</p>")
                    .arg(versionLine().toHtmlEscaped()));
    box.setInformativeText(
        QObject::tr("<p>Built on:</p><ul>"
                    "<li>Qt %1 (LGPL-3.0)</li>"
                    "<li>QCustomPlot 2.1 (GPL-3.0)</li>"
                    "<li>LibTorch %2 (BSD-3-Clause)</li>"
                    "<li>OpenCV 4 (Apache-2.0)</li>"
                    "<li>OpenBLAS (BSD-3-Clause)</li>"
                    "<li>zlib (Zlib)</li>"
                    "<li>nlohmann/json (MIT)</li></ul>")
            .arg(QString::fromLatin1(qVersion()), QStringLiteral(TORCH_VERSION)));
    box.setStandardButtons(QMessageBox::Ok);
    box.exec();
}

} // namespace latentlab
