// TextLine and ImageView: a new value repaints the view and asks for no layout, where a QLabel
// re-lays out the widget it sits in (and so the window); ImageView fits its image with the
// aspect kept and leaves the rest black. The Inspector (ImagePairView) built from them and
// fixed-size labels asks for no layout either when a hover changes what it shows.

#include "widgets/busyindicator.h"
#include "widgets/imagepairview.h"
#include "widgets/liveviews.h"

#include <QLabel>
#include <QVBoxLayout>
#include <QtTest/QtTest>

using namespace latentlab;

namespace {

// Counts the layout requests a widget receives.
class LayoutRequests : public QObject {
public:
    explicit LayoutRequests(QWidget *watched) { watched->installEventFilter(this); }
    int count = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override {
        if (event->type() == QEvent::LayoutRequest)
            ++count;
        return false;
    }
};

} // namespace

class TestLiveViews : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The busy line appears once work has run a fifth of a second, and goes when it ends;
    // work that ends sooner never shows it.
    void busyIndicatorWaitsBeforeShowing() {
        QWidget window;
        auto *busy = new BusyIndicator(&window);
        window.show();
        busy->setBusy(true, QStringLiteral("Opening model.pt"));
        QVERIFY(busy->isHidden()); // not yet
        QTRY_VERIFY(busy->isVisible());
        QVERIFY(busy->findChild<QLabel *>()->text().startsWith(QStringLiteral("Opening model.pt")));
        busy->setBusy(false);
        QVERIFY(busy->isHidden());
        busy->setBusy(true, QStringLiteral("quick"));
        busy->setBusy(false);
        QTest::qWait(2 * BusyIndicator::kDelayMs); // the delay passes with nothing to show
        QVERIFY(busy->isHidden());
    }

    void newTextAsksForNoLayout() {
        QWidget box;
        auto *layout = new QVBoxLayout(&box);
        auto *line = new TextLine(QStringLiteral("100000000"));
        auto *label = new QLabel(QStringLiteral("0"));
        layout->addWidget(line);
        layout->addWidget(label);
        box.show();
        QVERIFY(QTest::qWaitForWindowExposed(&box));
        QCoreApplication::processEvents();
        LayoutRequests requests(&box);

        for (int i = 1; i <= 20; ++i) {
            line->setText(QString::number(i * 997));
            QCoreApplication::processEvents();
        }
        QCOMPARE(line->text(), QStringLiteral("19940"));
        QCOMPARE(requests.count, 0);

        // The same change on a QLabel does ask: the counter sees what it should.
        label->setText(QStringLiteral("19940"));
        QCoreApplication::processEvents();
        QVERIFY(requests.count > 0);
    }

    void sizeHintLeavesRoomForTheWidest() {
        TextLine line(QStringLiteral("10000.0 steps/s"));
        const int before = line.sizeHint().width();
        line.setText(QStringLiteral("1"));
        QCOMPARE(line.sizeHint().width(), before); // what it shows does not move the layout
        QVERIFY(before >= line.fontMetrics().horizontalAdvance(QStringLiteral("10000.0 steps/s")));
    }

    void longTextIsElidedNotCut() {
        TextLine line(QStringLiteral("short"));
        line.resize(60, line.sizeHint().height());
        line.setText(QStringLiteral("a much longer line than sixty pixels can hold"));
        QImage shot = line.grab().toImage();
        // The right end holds the ellipsis' dots: some dark pixel in the last fifth.
        bool ink = false;
        for (int x = shot.width() * 4 / 5; x < shot.width() && !ink; ++x)
            for (int y = 0; y < shot.height() && !ink; ++y)
                ink = qGray(shot.pixel(x, y)) < 128;
        QVERIFY(ink);
        QCOMPARE(line.text(), QStringLiteral("a much longer line than sixty pixels can hold"));
    }

    void imageFitsWithAspectKept() {
        ImageView view(QSize(96, 96), QSize(200, 200));
        view.resize(200, 100);
        QVERIFY(view.imageRect().isEmpty());
        QImage digit(28, 28, QImage::Format_Grayscale8);
        digit.fill(200);
        view.setImage(digit);
        QCOMPARE(view.imageRect(), QRect(50, 0, 100, 100));
        const QImage shot = view.grab().toImage();
        QCOMPARE(qGray(shot.pixel(100, 50)), 200);    // inside the image
        QCOMPARE(qGray(shot.pixel(10, 50)), 0);       // the ground beside it
        QCOMPARE(view.image().size(), QSize(28, 28)); // kept as given

        view.setImage({});
        QVERIFY(view.imageRect().isEmpty());
        QCOMPARE(qGray(view.grab().toImage().pixel(100, 50)), 0);
    }

    // An empty view says what to do to fill it (issue 32: an empty preview was a black box).
    void anEmptyViewShowsItsPlaceholder() {
        ImageView view(QSize(96, 96), QSize(200, 200));
        view.resize(200, 200);
        auto inked = [&] {
            const QImage shot = view.grab().toImage();
            int light = 0;
            for (int y = 0; y < shot.height(); ++y)
                for (int x = 0; x < shot.width(); ++x)
                    light += qGray(shot.pixel(x, y)) > 100;
            return light;
        };
        QCOMPARE(inked(), 0);
        view.setPlaceholder(QStringLiteral("Click two points on the scatter"));
        QVERIFY(inked() > 30);
        QImage digit(28, 28, QImage::Format_Grayscale8);
        digit.fill(0);
        view.setImage(digit); // an image replaces the sentence
        QCOMPARE(inked(), 0);

        // The Inspector's empty pictures say to hover; a shown item replaces the hint.
        ImagePairView inspector;
        auto hinted = [&] {
            for (QLabel *label : inspector.findChildren<QLabel *>())
                if (label->text().startsWith(QLatin1String("Hover a point")))
                    return true;
            return false;
        };
        QVERIFY(hinted());
        inspector.setImages(digit, digit, QStringLiteral("item 3"));
        QVERIFY(!hinted());
        inspector.clear();
        QVERIFY(hinted());
    }

    void newImageAsksForNoLayout() {
        QWidget box;
        auto *layout = new QVBoxLayout(&box);
        auto *view = new ImageView(QSize(96, 96), QSize(200, 200));
        layout->addWidget(view);
        box.show();
        QVERIFY(QTest::qWaitForWindowExposed(&box));
        QCoreApplication::processEvents();
        LayoutRequests requests(&box);
        for (int i = 0; i < 10; ++i) {
            QImage image(28 + i, 28, QImage::Format_Grayscale8);
            image.fill(i * 20);
            view->setImage(image);
            QCoreApplication::processEvents();
        }
        QCOMPARE(requests.count, 0);
    }

    // The Inspector shows a hovered item: its images, caption and nearest neighbours change
    // with every hover, and none of them may lay out the window again.
    void inspectorHoversAskForNoLayout() {
        QWidget box;
        auto *layout = new QVBoxLayout(&box);
        auto *inspector = new ImagePairView;
        layout->addWidget(inspector);
        box.show();
        QVERIFY(QTest::qWaitForWindowExposed(&box));
        auto hover = [&](int item) {
            QImage digit(28, 28, QImage::Format_Grayscale8);
            digit.fill(item % 256);
            QVector<QImage> images;
            QStringList captions;
            for (int i = 0; i < 8; ++i) {
                images << digit;
                captions << QStringLiteral("#%1\n%2").arg(item * 37 + i).arg(0.01 * (i + item));
            }
            inspector->setImages(digit, digit, QStringLiteral("item %1, label 3").arg(item));
            inspector->setNeighbours(QStringLiteral("Nearest training items:"), images, captions);
            QCoreApplication::processEvents();
        };
        hover(1); // the neighbour row appears: that lays out once
        LayoutRequests requests(&box);
        for (int item = 2; item < 22; ++item)
            hover(item * 411);
        QCOMPARE(inspector->neighbourCaptions().size(), 8);
        QVERIFY(inspector->neighbourCaptions().first().startsWith(QStringLiteral("#319347")));
        QCOMPARE(requests.count, 0);
    }
};

QTEST_MAIN(TestLiveViews)
#include "tst_liveviews.moc"
