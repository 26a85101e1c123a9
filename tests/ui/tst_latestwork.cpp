// LatestWork: one job at a time on its own thread, only the newest request kept while one
// runs, results and failures back on the GUI thread.

#include "ui/latestwork.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <mutex>
#include <stdexcept>

using namespace latentlab;

class TestLatestWork : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keepsOnlyTheNewestRequest() {
        LatestWork work;
        QSignalSpy idle(&work, &LatestWork::idle);
        QSemaphore release;
        std::atomic<bool> offGuiThread{true};
        QThread *gui = QThread::currentThread();
        QList<int> ran, shown;
        std::mutex ranMutex;
        auto job = [&](int n, bool block) {
            return [&, n, block]() -> LatestWork::Show {
                if (QThread::currentThread() == gui)
                    offGuiThread = false;
                if (block)
                    release.acquire();
                {
                    std::lock_guard<std::mutex> lock(ranMutex);
                    ran << n;
                }
                return [&, n] {
                    QCOMPARE(QThread::currentThread(), gui); // shown on the GUI thread
                    shown << n;
                };
            };
        };
        work.submit(job(1, true)); // runs, held until released
        QVERIFY(work.busy());
        for (int n = 2; n <= 5; ++n) // each replaces the one waiting before it
            work.submit(job(n, false));
        release.release();
        QTRY_VERIFY(!work.busy());
        QCOMPARE(ran, (QList<int>{1, 5}));
        QCOMPARE(shown, (QList<int>{1, 5}));
        QCOMPARE(idle.count(), 1); // once, after the last
        QVERIFY(offGuiThread);
    }

    void failuresComeBackInWords() {
        LatestWork work;
        QSignalSpy failed(&work, &LatestWork::failed);
        work.submit([]() -> LatestWork::Show { throw std::bad_alloc(); });
        QTRY_VERIFY(!work.busy());
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.first().at(0).toString().contains("Out of memory"),
                 qPrintable(failed.first().at(0).toString()));
        // A step that throws while showing is caught too, and the next request still runs.
        work.submit([] { return LatestWork::Show([] { throw std::runtime_error("no room"); }); });
        QTRY_VERIFY(!work.busy());
        QCOMPARE(failed.count(), 2);
        QVERIFY(failed.last().at(0).toString().contains("no room"));
        bool shown = false;
        work.submit([&] { return LatestWork::Show([&] { shown = true; }); });
        QTRY_VERIFY(shown);
    }

    void dropWaitingKeepsTheOneInFlight() {
        LatestWork work;
        QSemaphore release;
        QList<int> shown;
        work.submit([&] {
            release.acquire();
            return LatestWork::Show([&] { shown << 1; });
        });
        work.submit([&] { return LatestWork::Show([&] { shown << 2; }); });
        work.dropWaiting();
        release.release();
        QTRY_VERIFY(!work.busy());
        QCOMPARE(shown, (QList<int>{1}));
    }
};

QTEST_MAIN(TestLatestWork)
#include "tst_latestwork.moc"
