// The main window on a laptop's screen: at 1366 x 700 (a 768 px screen less a panel and a title
// bar) it keeps that size, the interpolation slider stays in view, and the panels that do not
// fit scroll instead of being squeezed below their own minimums (before, the stacked minimums
// made the window 995 px tall at the least).

#include "ui/explorer.h"
#include "ui/mainwindow.h"

#include <QDockWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QStandardPaths>
#include <QtTest/QtTest>

using namespace latentlab;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("LatentLab-tests"));
        QSettings().clear(); // the default layout, not one a person left
    }

    void fitsALaptopScreen() {
        const QSize laptop(1366, 700);
        MainWindow window;
        window.createModel();
        QVERIFY(window.explorer()->session());
        window.resize(laptop);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCoreApplication::processEvents();
        const QSize minimum = window.minimumSizeHint();
        QVERIFY2(minimum.width() <= laptop.width() && minimum.height() <= laptop.height(),
                 qPrintable(QStringLiteral("the window needs at least %1 x %2")
                                .arg(minimum.width())
                                .arg(minimum.height())));
        QCOMPARE(window.size(), laptop);

        auto *slider = window.findChild<QSlider *>(QStringLiteral("interpolationSlider"));
        QVERIFY(slider && slider->isVisible());
        const QRect sliderInWindow(slider->mapTo(&window, QPoint(0, 0)), slider->size());
        QVERIFY(window.rect().contains(sliderInWindow));

        // No panel in a scrolled dock is cut at the side (they scroll only up and down), and at
        // this height at least one of them has to scroll to show all of it.
        int scrolling = 0;
        for (QDockWidget *dock : window.findChildren<QDockWidget *>()) {
            auto *area = qobject_cast<QScrollArea *>(dock->widget());
            if (!area || !dock->isVisible())
                continue;
            QVERIFY2(area->widget()->width() <= area->viewport()->width(),
                     qPrintable(dock->objectName()));
            scrolling += area->verticalScrollBar()->maximum() > 0;
        }
        QVERIFY(scrolling > 0);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
