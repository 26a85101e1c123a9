#pragma once
// ImagePairView: an item's image beside its reconstruction, with a caption, and below them a
// row of other images with captions of their own (the item's nearest neighbours); the
// Inspector.

#include <QImage>
#include <QWidget>

class QLabel;

namespace latentlab {

class TextLine;

class ImagePairView : public QWidget {
    Q_OBJECT
public:
    explicit ImagePairView(QWidget *parent = nullptr);

    void setImages(const QImage &input, const QImage &reconstruction, const QString &caption);
    // Up to kMaxNeighbours small images under a title; empty images hide the row.
    void setNeighbours(const QString &title, const QVector<QImage> &images,
                       const QStringList &captions);
    void clear();
    QString caption() const;
    QString neighboursTitle() const;
    QStringList neighbourCaptions() const;
    static constexpr int kMaxNeighbours = 8;

private:
    QLabel *input_, *output_;
    TextLine *caption_;
    QLabel *neighboursTitle_;
    QVector<QLabel *> neighbourImages_, neighbourCaptions_;
};

} // namespace latentlab
