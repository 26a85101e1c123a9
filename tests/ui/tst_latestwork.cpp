// LatestWork: one job at a time on its own thread, only the newest request kept while one
// runs, results and failures back on the GUI thread, the thread giving way to the GUI thread.

#include "ui/threads/backgroundtasks.h"
#include "ui/threads/latestwork.h"

#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <mutex>
#include <optional>
#include <stdexcept>

#ifdef __linux__
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

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

    // forget(): what was asked before it is not shown, not even a failure; what comes after
    // is (the guard against pictures of an earlier session, kept here once for every caller).
    void forgottenWorkIsNotShown() {
        LatestWork work;
        QSignalSpy failed(&work, &LatestWork::failed);
        QSemaphore release;
        QList<int> shown;
        work.submit([&] {
            release.acquire();
            return LatestWork::Show([&] { shown << 1; });
        });
        work.submit([&] { return LatestWork::Show([&] { shown << 2; }); });
        work.forget();
        work.submit([&] { return LatestWork::Show([&] { shown << 3; }); });
        release.release();
        QTRY_VERIFY(!work.busy());
        QCOMPARE(shown, (QList<int>{3}));
        work.submit([&]() -> LatestWork::Show {
            release.acquire();
            throw std::runtime_error("of the old session");
        });
        work.forget();
        release.release();
        QTRY_VERIFY(!work.busy());
        QCOMPARE(failed.count(), 0);
    }

    // queue(): every request runs, in order (files to write are never dropped).
    void queuedWorkAllRuns() {
        LatestWork work;
        QSemaphore release;
        QList<int> shown;
        work.queue([&] {
            release.acquire();
            return LatestWork::Show([&] { shown << 1; });
        });
        for (int n = 2; n <= 4; ++n)
            work.queue([&, n] { return LatestWork::Show([&, n] { shown << n; }); });
        release.release();
        QTRY_VERIFY(!work.busy());
        QCOMPARE(shown, (QList<int>{1, 2, 3, 4}));
    }

    // BackgroundTasks: every task runs, in order; the window hears what runs, and that all
    // ended, once; a task that fails ends too and says why.
    void backgroundTasksRunInOrderAndSayWhatRuns() {
        BackgroundTasks tasks;
        QSignalSpy busy(&tasks, &BackgroundTasks::busyChanged);
        QSignalSpy failed(&tasks, &BackgroundTasks::failed);
        QSemaphore release;
        QList<int> shown;
        tasks.run(QStringLiteral("first"), [&] {
            release.acquire();
            return LatestWork::Show([&] { shown << 1; });
        });
        tasks.run(QStringLiteral("second"),
                  []() -> LatestWork::Show { throw std::runtime_error("the second cannot"); });
        tasks.run(QStringLiteral("third"), [&] { return LatestWork::Show([&] { shown << 3; }); });
        QVERIFY(tasks.busy());
        QCOMPARE(tasks.current(), QStringLiteral("first"));
        QCOMPARE(busy.count(), 1); // busy since the first; the others wait behind it
        QCOMPARE(busy.first().at(1).toString(), QStringLiteral("first"));
        release.release();
        QTRY_VERIFY(!tasks.busy());
        QCOMPARE(shown, (QList<int>{1, 3}));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("the second cannot")));
        QCOMPARE(busy.last().at(0).toBool(), false);
        QStringList running;
        for (const auto &signal : busy)
            running << signal.at(1).toString();
        QCOMPARE(running, (QStringList{"first", "second", "third", ""}));
    }

#ifdef __linux__
    // The worker of what a person waits for stays in the GUI thread's class, ten nice steps
    // below it; background work (training among it) runs only on what the others leave.
    void workersGiveWayToTheInterface() {
        const int guiNice = niceOfThisThread();
        struct Seen {
            int policy = -1;
            int nice = -100;
        };
        auto seenBy = [](std::optional<Yield> yield) {
            LatestWork work(nullptr, yield);
            Seen seen;
            work.submit([&] {
                seen = {::sched_getscheduler(0), niceOfThisThread()};
                return LatestWork::Show([] {});
            });
            const bool done = QTest::qWaitFor([&] { return !work.busy(); });
            return done ? seen : Seen{}; // policy -1 fails every check below
        };
        // LATENTLAB_YIELD=off (CTest sets it) keeps even background work at the GUI thread's
        // priority; without it, each worker takes its role.
        const QByteArray setting = qgetenv("LATENTLAB_YIELD");
        const auto restore = qScopeGuard([&] {
            if (setting.isNull())
                qunsetenv("LATENTLAB_YIELD");
            else
                qputenv("LATENTLAB_YIELD", setting);
        });
        qputenv("LATENTLAB_YIELD", "Off");
        const Seen kept = seenBy(Yield::Background);
        QCOMPARE(kept.policy, SCHED_OTHER);
        QCOMPARE(kept.nice, guiNice);
        qunsetenv("LATENTLAB_YIELD");
        const Seen plain = seenBy(std::nullopt), pictures = seenBy(Yield::Pictures),
                   background = seenBy(Yield::Background);
        QCOMPARE(plain.policy, SCHED_OTHER);
        QCOMPARE(plain.nice, guiNice);
        QCOMPARE(pictures.policy, SCHED_OTHER);
        QCOMPARE(pictures.nice, std::min(19, guiNice + 10));
        // SCHED_IDLE, or nice +19 where a sandbox refuses the class.
        QVERIFY2(
            background.policy == SCHED_IDLE ||
                (background.policy == SCHED_OTHER && background.nice == 19),
            qPrintable(QString("policy %1, nice %2").arg(background.policy).arg(background.nice)));
        QCOMPARE(niceOfThisThread(), guiNice); // the GUI thread is left as it was
        QCOMPARE(::sched_getscheduler(0), SCHED_OTHER);
    }

private:
    static int niceOfThisThread() {
        errno = 0;
        const int nice = ::getpriority(PRIO_PROCESS, id_t(::syscall(SYS_gettid)));
        return errno == 0 ? nice : -100;
    }
#endif
};

QTEST_MAIN(TestLatestWork)
#include "tst_latestwork.moc"
