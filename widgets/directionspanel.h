#pragma once
// DirectionsPanel: the Directions dock. A list of directions in the code space, ways to add
// one (from one class's mean to another's, from one selection of items to another, the
// principal directions of the codes), and a slider that moves the selected item along the
// chosen direction with the decoded picture beside it. Knows nothing of tensors: the
// controller (ui/explorer/directionscontroller.h) does the arithmetic and decoding.

#include <QImage>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QLayout;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;

namespace latentlab {

class DirectionsPanel : public QWidget {
    Q_OBJECT
public:
    explicit DirectionsPanel(QWidget *parent = nullptr);

    void setClassNames(const QStringList &names); // empty: the data has no labels
    void setDirections(const QStringList &names);
    void setCurrentDirection(int row);
    int currentDirection() const; // -1 when none
    QStringList directionNames() const;
    // How many items each selection holds (Ctrl-drag on the scatter makes the current one).
    void setSelectionCounts(int from, int to);
    // How far along the direction: -3 to 3 steps.
    double amount() const;
    void setAmount(double amount);
    void setPreview(const QImage &image, const QString &caption);
    QImage previewImage() const { return preview_; }
    QString previewCaption() const;

Q_SIGNALS:
    void classDirectionRequested(int from, int to);
    void selectionDirectionRequested();
    void useSelectionAs(int which); // 0: the "from" selection, 1: "to"
    void principalDirectionsRequested(int count);
    void removeRequested(int row);
    void currentDirectionChanged(int row);
    void amountChanged(double amount);

private:
    // The slider, its picture and caption.
    QLayout *createMoveRows();
    // Making new directions: from classes, from selections, from the spread.
    QLayout *createNewRows();
    QListWidget *list_;
    QComboBox *fromClass_, *toClass_;
    QPushButton *addClass_, *addSelection_;
    QPushButton *useFrom_, *useTo_; // they say how many items each selection holds
    QSpinBox *principalCount_;
    QSlider *amount_;
    QLabel *amountLabel_, *previewLabel_, *caption_;
    QImage preview_;
};

} // namespace latentlab
