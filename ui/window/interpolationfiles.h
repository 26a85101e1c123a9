#pragma once
// InterpolationFiles: the file dialogs of the Interpolation dock. The panel asks (export the
// strip or an animation, compare with a model, an image as an end); this asks the person where
// and hands the path to the InterpolationController, which does the work. GUI thread only.

#include <QObject>

namespace latentlab {

class InterpolationController;
class InterpolationPanel;

class InterpolationFiles : public QObject {
    Q_OBJECT
public:
    InterpolationFiles(InterpolationPanel *panel, InterpolationController *controller,
                       QObject *parent = nullptr);

Q_SIGNALS:
    void failed(const QString &text);

private:
    void exportStrip();
    void exportAnimation();
    void compare();
    void openImage();

    InterpolationPanel *panel_;
    InterpolationController *controller_;
};

} // namespace latentlab
