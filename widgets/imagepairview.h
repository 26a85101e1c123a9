#pragma once
// ImagePairView: an item's image beside its reconstruction, with a caption; the Inspector.

#include <QImage>
#include <QWidget>

class QLabel;

namespace latentlab {

class ImagePairView : public QWidget {
    Q_OBJECT
public:
    explicit ImagePairView(QWidget *parent = nullptr);

    void setImages(const QImage &input, const QImage &reconstruction, const QString &caption);
    void clear();
    QString caption() const;

private:
    QLabel *input_, *output_, *caption_;
};

} // namespace latentlab
