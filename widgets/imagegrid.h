#pragma once
// ImageGrid: pictures in rows that wrap to the widget's width, each drawn at a whole-number
// scale (pixels stay square and sharp) above its caption; a click on a picture says which.
// It asks for the height its rows need at its width, so a scroll area around it scrolls them.
// No torch: callers pass QImages.

#include <QImage>
#include <QStringList>
#include <QVector>
#include <QWidget>

namespace latentlab {

class ImageGrid : public QWidget {
    Q_OBJECT
public:
    explicit ImageGrid(QWidget *parent = nullptr);

    // `captions` (optional) go under the pictures of the same index.
    void setImages(const QVector<QImage> &images, const QStringList &captions = {});
    int count() const { return int(images_.size()); }
    const QVector<QImage> &images() const { return images_; }
    // The picture under `pixel` (widget coordinates), or -1.
    int imageAt(QPoint pixel) const;
    // Where picture `index` is drawn.
    QRect tileRect(int index) const;

    QSize sizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

Q_SIGNALS:
    void clicked(int index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QSize tileSize() const; // the picture and its caption
    QSize pictureSize() const;
    int columnsFor(int width) const;

    QVector<QImage> images_;
    QStringList captions_;
};

} // namespace latentlab
