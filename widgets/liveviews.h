#pragma once
// Views for what changes many times a second (the slider's picture, the step counter, the
// speed): showing a new value repaints the view and nothing else.
//
// Why not QLabel: every QLabel::setText or setPixmap calls updateGeometry(), which invalidates
// the layout the label sits in; when that layout is activated it tells its own widget's parent,
// and so on up to the main window, so a label changed on every slider key re-lays out the
// whole window (docs/RELIABILITY.md, "What the GUI thread can afford"). Qt skips that only for
// widgets whose size is fixed. These views keep a size hint that does not depend on what they
// show, and never call updateGeometry() for a new value. GUI thread only.

#include <QImage>
#include <QString>
#include <QWidget>

namespace latentlab {

// One line of text, elided to the width it is given. Its size hint is the width of `widest`,
// a sample of the longest text expected, so the layout leaves room for it from the start.
class TextLine : public QWidget {
    Q_OBJECT
public:
    explicit TextLine(const QString &widest, QWidget *parent = nullptr);

    void setText(const QString &text); // repaints only if the text changed
    QString text() const { return text_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString text_;
    QString widest_;
};

// An image scaled to fit (aspect kept, centred) on a black ground; magnified with nearest
// neighbours, so a 28x28 digit shows its pixels rather than a blur. Without an image it shows
// a placeholder sentence, if it has one.
class ImageView : public QWidget {
    Q_OBJECT
public:
    ImageView(QSize minimum, QSize preferred, QWidget *parent = nullptr);

    void setImage(const QImage &image); // a null image shows the ground and the placeholder
    // A quiet sentence shown while there is no image (what to do to get one).
    void setPlaceholder(const QString &text);
    QString placeholder() const { return placeholder_; }
    QImage image() const { return image_; }
    // Where the image is drawn in the view (empty without an image).
    QRect imageRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QImage image_;
    QString placeholder_;
    QSize minimum_, preferred_;
};

} // namespace latentlab
