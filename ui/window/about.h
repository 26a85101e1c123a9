#pragma once
// What LatentLab says about itself: the version line (`latentlab --version`, the CLI's twin)
// and the About box (version, LibTorch and device, the licences of what it links).

#include <QString>

class QWidget;

namespace latentlab {

// "LatentLab 0.1.0 (LibTorch 1.13.0, CPU only)" or "... CUDA: 1 device".
QString versionLine();

// Help > About: the icon, versionLine(), and the libraries with their licences.
void showAbout(QWidget *parent);

} // namespace latentlab
