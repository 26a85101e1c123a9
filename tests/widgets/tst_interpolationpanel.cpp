// InterpolationPanel: the slider reports t as keys move it, the range widens when running past
// the ends, and the strip is laid out from the frames it is given.

#include "widgets/interpolationpanel.h"

#include <QCheckBox>
#include <QSignalSpy>
#include <QSlider>
#include <QToolButton>
#include <QtTest/QtTest>

using namespace latentlab;

class TestInterpolationPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Each button under the strip asks for its work (the window answers with a dialog): all
    // five, where once only Export strip was connected.
    void everyButtonAsks() {
        InterpolationPanel panel;
        const std::pair<QString, void (InterpolationPanel::*)()> buttons[] = {
            {QStringLiteral("Export strip…"), &InterpolationPanel::exportStripRequested},
            {QStringLiteral("Animation…"), &InterpolationPanel::exportAnimationRequested},
            {QStringLiteral("Image as end…"), &InterpolationPanel::openImageRequested},
            {QStringLiteral("Compare…"), &InterpolationPanel::compareRequested},
            {QStringLiteral("Clear"), &InterpolationPanel::clearComparisonsRequested}};
        const auto tools = panel.findChildren<QToolButton *>();
        QCOMPARE(tools.size(), 5);
        for (const auto &[text, request] : buttons) {
            QSignalSpy asked(&panel, request);
            auto found = std::find_if(tools.begin(), tools.end(),
                                      [&](QToolButton *b) { return b->text() == text; });
            QVERIFY2(found != tools.end(), qPrintable(text));
            (*found)->click();
            QVERIFY2(asked.count() == 1, qPrintable(text));
        }
    }

    // The strips follow the panel's width and never widen it: redrawn again and again (as
    // training redraws them), with a compared model's long name beside them, the panel asks
    // for no more width than it did at first.
    void stripsNeverWidenThePanel() {
        InterpolationPanel panel;
        panel.resize(360, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const int before = panel.minimumSizeHint().width();
        const int hintBefore = panel.sizeHint().width();
        QImage frame(28, 28, QImage::Format_Grayscale8);
        frame.fill(128);
        const QVector<QImage> frames(10, frame);
        const QImage strip = InterpolationPanel::composeStrip(frames);
        for (int round = 0; round < 5; ++round) {
            panel.setStrip(frames);
            panel.setComparisons({{QStringLiteral("model.pt (aae, mlp, prior gaussian, step "
                                                  "300, a long name as checkpoints have)"),
                                   strip}});
            QCoreApplication::processEvents();
        }
        QVERIFY2(
            panel.minimumSizeHint().width() <= before,
            qPrintable(QStringLiteral("%1 > %2").arg(panel.minimumSizeHint().width()).arg(before)));
        QVERIFY2(
            panel.sizeHint().width() <= hintBefore,
            qPrintable(QStringLiteral("%1 > %2").arg(panel.sizeHint().width()).arg(hintBefore)));
    }

    void keysMoveTheSlider() {
        InterpolationPanel panel;
        panel.show();
        auto *slider = panel.findChild<QSlider *>(QStringLiteral("interpolationSlider"));
        QVERIFY(slider);
        QSignalSpy moved(&panel, &InterpolationPanel::positionChanged);
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_End);
        QCOMPARE(moved.count(), 1);
        QCOMPARE(moved.last().at(0).toDouble(), 1.0);
        QTest::keyClick(slider, Qt::Key_PageDown);
        QVERIFY(moved.last().at(0).toDouble() < 1.0);
        QTest::keyClick(slider, Qt::Key_Home);
        QCOMPARE(panel.position(), 0.0);
    }

    // An arrow key moves t by one frame of the strip (10 frames: a ninth), landing on frames.
    void arrowKeysMoveOneFrame() {
        InterpolationPanel panel;
        panel.show();
        auto *slider = panel.findChild<QSlider *>(QStringLiteral("interpolationSlider"));
        QVERIFY(slider && panel.frames() == 10);
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_Home);
        QTest::keyClick(slider, Qt::Key_Right);
        QCOMPARE(panel.position(), 0.111);
        for (int i = 0; i < 8; ++i)
            QTest::keyClick(slider, Qt::Key_Right);
        QCOMPARE(panel.position(), 1.0);
        QTest::keyClick(slider, Qt::Key_Right); // B is the end of the range
        QCOMPARE(panel.position(), 1.0);
        QTest::keyClick(slider, Qt::Key_Left);
        QCOMPARE(panel.position(), 0.889);
        // From between two frames, a key goes to the neighbouring frame, not a frame further.
        panel.setPosition(0.5);
        QTest::keyClick(slider, Qt::Key_Left);
        QCOMPARE(panel.position(), 0.444);
        QTest::keyClick(slider, Qt::Key_Up);
        QCOMPARE(panel.position(), 0.556);
    }

    void runningPastTheEndsWidensTheRange() {
        InterpolationPanel panel;
        auto *slider = panel.findChild<QSlider *>(QStringLiteral("interpolationSlider"));
        auto *past = panel.findChild<QCheckBox *>();
        QVERIFY(slider && past);
        QSignalSpy settings(&panel, &InterpolationPanel::settingsChanged);
        past->setChecked(true);
        QCOMPARE(settings.count(), 1);
        QTest::keyClick(slider, Qt::Key_End);
        QCOMPARE(panel.position(), 1.5);
        QTest::keyClick(slider, Qt::Key_Home);
        QCOMPARE(panel.position(), -0.5);
        past->setChecked(false);
        QCOMPARE(panel.position(), 0.0); // clamped back into [0, 1]
    }

    // Each slider key changes t, the preview and the nearest item's line; none of them may
    // re-lay out the panel (and with it the window) while a person drags.
    void sliderMovesAskForNoLayout() {
        InterpolationPanel panel;
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QImage digit(28, 28, QImage::Format_Grayscale8);
        digit.fill(90);
        panel.setPreview(digit);
        panel.setNearest(digit, QStringLiteral("Nearest training item #1 at 0.5"));
        QCoreApplication::processEvents();
        int requests = 0;
        struct Counter : QObject {
            int *n;
            explicit Counter(int *count)
                : n(count) {}
            bool eventFilter(QObject *, QEvent *e) override {
                *n += e->type() == QEvent::LayoutRequest;
                return false;
            }
        } counter(&requests);
        panel.installEventFilter(&counter);
        auto *slider = panel.findChild<QSlider *>(QStringLiteral("interpolationSlider"));
        slider->setFocus();
        for (int i = 0; i < 20; ++i) {
            QTest::keyClick(slider, Qt::Key_Right);
            digit.fill(i * 10);
            panel.setPreview(digit);
            panel.setNearest(digit,
                             QStringLiteral("Nearest training item #%1 at 0.%2").arg(i).arg(i));
            QCoreApplication::processEvents();
        }
        QCOMPARE(panel.previewImage().pixel(0, 0), digit.pixel(0, 0));
        QVERIFY(panel.nearestText().startsWith(QStringLiteral("Nearest training item #19")));
        QCOMPARE(requests, 0);
    }

    // The nearest item's row appears with the first frame that has one. It must not change the
    // panel's size hints: in the window, at its minimum height, that grew the window by 30 px
    // and redrew everything in it (a 43 ms stall as training started).
    void theFirstNearestItemKeepsTheLayout() {
        InterpolationPanel panel;
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const QSize minimum = panel.minimumSizeHint(), preferred = panel.sizeHint();
        QImage digit(28, 28, QImage::Format_Grayscale8);
        digit.fill(90);
        panel.setNearest(digit, QStringLiteral("Nearest training item #1 at 0.5"));
        QCoreApplication::processEvents();
        QCOMPARE(panel.minimumSizeHint(), minimum);
        QCOMPARE(panel.sizeHint(), preferred);
        panel.setNearest({}, {});
        QCoreApplication::processEvents();
        QCOMPARE(panel.minimumSizeHint(), minimum);
    }

    void stripIsLaidOutFromFrames() {
        InterpolationPanel panel;
        QVector<QImage> frames;
        for (int i = 0; i < 4; ++i) {
            QImage f(8, 8, QImage::Format_Grayscale8);
            f.fill(i * 60);
            frames << f;
        }
        panel.setStrip(frames);
        QCOMPARE(panel.stripImage().size(), QSize(4 * 9 + 1, 10));
        QCOMPARE(qGray(panel.stripImage().pixel(1 + 3 * 9 + 4, 5)), 180);
        panel.setStrip({});
        QVERIFY(panel.stripImage().isNull());
    }
};

QTEST_MAIN(TestInterpolationPanel)
#include "tst_interpolationpanel.moc"
