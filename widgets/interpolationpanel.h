#pragma once
// InterpolationPanel: the slider t along the path between two ends, a large preview of the
// decoded point, and a strip of N frames. It only shows images it is given and reports what
// the person asks for; ui/ does the decoding. GUI thread only.

#include <QImage>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QGridLayout;
class QComboBox;
class QLabel;
class QLayout;
class QSlider;
class QSpinBox;

namespace latentlab {

class ImageView;
class TextLine;

class InterpolationPanel : public QWidget {
    Q_OBJECT
public:
    explicit InterpolationPanel(QWidget *parent = nullptr);

    double position() const; // t: 0 at A, 1 at B; beyond with "run past the ends"
    bool spherical() const;
    int frames() const;
    void setPosition(double t);

    // A null image shows the hint of what to do to get one.
    void setPreview(const QImage &image);
    // The training item nearest the frame at the slider, with a line that says how near.
    void setNearest(const QImage &image, const QString &text);
    QString nearestText() const;
    void setStrip(const QVector<QImage> &frames);
    // Frames side by side with a 1 px dark gap, as the strip shows them.
    static QImage composeStrip(const QVector<QImage> &frames);
    void setEndsText(const QString &text);
    QString endsText() const;
    // Extra strips, one per compared model: (name, strip) pairs; empty hides the section.
    void setComparisons(const QVector<QPair<QString, QImage>> &strips);
    QImage stripImage() const { return strip_; }
    QImage previewImage() const; // as given, unscaled

Q_SIGNALS:
    void positionChanged(double t);
    void settingsChanged(); // mode, frame count or range
    void exportStripRequested();
    void exportAnimationRequested();
    void compareRequested(); // add a checkpoint to compare on the same ends
    void clearComparisonsRequested();
    void openImageRequested(); // an image file as the next end

protected:
    // Arrow keys on the slider move t by one frame of the strip.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLayout *createSliderRow();
    // The training item nearest the frame (hidden until there is one).
    QLayout *createNearestRow();
    // Linear or spherical, the strip's frames, past the ends.
    QLayout *createPathRow();
    // Export strip, Animation, Image as end, Compare, Clear: each asks by its signal.
    QLayout *createButtonRow();
    void updateRange();
    // t moved `frames` frames of the strip from where it is, landing on a frame.
    void stepFrames(int frames);

    QSlider *slider_;
    TextLine *tLabel_, *nearestText_; // change with every slider move: no relayout
    ImageView *preview_;
    QLabel *stripLabel_, *endsLabel_;
    QLabel *nearestImage_;
    QWidget *comparisons_;
    QComboBox *mode_;
    QSpinBox *frames_;
    QCheckBox *pastEnds_;
    QImage strip_;
};

} // namespace latentlab
