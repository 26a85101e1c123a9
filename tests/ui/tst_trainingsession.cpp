// TrainingSession in its worker thread: start, single steps, play and pause, a rate changed
// while running, a step target, stopping mid-training, errors, and decoding from the interface
// side while training runs (a published model never changes under the reader).

#include "model/data/lines.h"
#include "model/data/sample.h"
#include "model/io/checkpoint.h"
#include "ui/session/trainingsession.h"
#include "ui/threads/failure.h"

#include "tests/support/threadspy.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest/QtTest>

#include <atomic>

using namespace latentlab;

namespace {

std::unique_ptr<Trainer> smallTrainer(Dataset data = makeLinesDataset(256, 1)) {
    ModelConfig c;
    c.kind = ModelKind::Aae;
    c.hidden = c.discHidden = 32;
    c.batch = 16;
    c.height = c.width = 32;
    c.device = "cpu";
    auto t = std::make_unique<Trainer>(c);
    t->setData(std::move(data));
    return t;
}

// A session running in its own thread, stopped and joined on destruction.
struct Running {
    explicit Running(std::unique_ptr<Trainer> trainer, int64_t shown = 100,
                     int64_t liveSample = TrainingSession::kLiveSample)
        : session(new TrainingSession(std::move(trainer), shown, liveSample)) {
        session->moveToThread(&thread);
        QObject::connect(&thread, &QThread::started, session, &TrainingSession::run);
        thread.start();
    }
    ~Running() { stop(); }
    bool stop() {
        if (!session)
            return true;
        session->requestStop();
        thread.quit();
        const bool joined = thread.wait(10000);
        delete session;
        session = nullptr;
        return joined;
    }
    int64_t step() const { return session->latest()->step; }

    QThread thread;
    TrainingSession *session;
};

} // namespace

class TestTrainingSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void startsPausedWithCodes() {
        Running r(smallTrainer(), 100);
        QCOMPARE(r.step(), int64_t(0));
        QCOMPARE(r.session->latest()->codes.sizes(), (torch::IntArrayRef{100, 2}));
        QVERIFY(!r.session->isPlaying());
        QTest::qWait(200);
        QCOMPARE(r.step(), int64_t(0)); // nothing runs until asked
    }

    void singleStepsPublishAtOnce() {
        Running r(smallTrainer());
        ThreadSpy snapshots(r.session, &TrainingSession::snapshotReady);
        r.session->requestSteps(3);
        QTRY_COMPARE_WITH_TIMEOUT(r.step(), int64_t(3), 5000);
        // The spy hears of signals through this thread's event loop, a moment after the step
        // count (read from the session directly) has moved.
        QTRY_VERIFY_WITH_TIMEOUT(snapshots.count() >= 1, 5000);
        const auto losses = r.session->takeLosses();
        QCOMPARE(losses.size(), size_t(3));
        QCOMPARE(losses.back().step, int64_t(3));
        QCOMPARE(losses.back().values.size(), size_t(3)); // recon, disc, gen
        QVERIFY(r.session->takeLosses().empty());
    }

    void playAndPause() {
        Running r(smallTrainer());
        ThreadSpy playing(r.session, &TrainingSession::playingChanged);
        r.session->play();
        QTRY_VERIFY_WITH_TIMEOUT(r.step() > 20, 60000);
        QVERIFY(r.session->latest()->stepsPerSecond > 0);
        r.session->pause();
        // A step in flight finishes and publishes; then nothing moves.
        QTRY_VERIFY_WITH_TIMEOUT(r.session->latest()->settled, 30000);
        const int64_t paused = r.step();
        QTest::qWait(300);
        QCOMPARE(r.step(), paused);
        QCOMPARE(playing.count(), 2);
    }

    void aPauseWhileASnapshotIsMadeStillEndsSettled() {
        // While training runs, each snapshot re-encodes one chunk of the shown items (here 50
        // of 200). A pause that lands as such a snapshot is made must still leave, last, a
        // snapshot whose codes all come from its model: ends picked from it decode exactly.
        std::atomic<TrainingSession *> pauseIn{nullptr};
        struct Unhook {
            ~Unhook() { setFaultHook(nullptr); }
        } unhook; // cleared after the session below has stopped
        setFaultHook([&](std::string_view at) {
            if (at == "publish")
                if (TrainingSession *s = pauseIn.exchange(nullptr))
                    s->pause();
        });
        Running r(smallTrainer(), 200);
        r.session->setEncodeBudget(0); // the smallest chunk
        r.session->play();
        QTRY_VERIFY_WITH_TIMEOUT(r.step() > 5, 60000);
        pauseIn = r.session; // the next snapshot pauses training as it begins
        QTRY_VERIFY_WITH_TIMEOUT(pauseIn == nullptr && !r.session->isPlaying(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(r.session->latest()->settled, 30000);
        const auto last = r.session->latest();
        const torch::Tensor fresh = last->model->encode(r.session->data().images.slice(0, 0, 200));
        QVERIFY2(torch::allclose(last->codes, fresh, 1e-4, 1e-5),
                 qPrintable(QString::number((last->codes - fresh).abs().max().item<float>())));
        QTest::qWait(300);
        QCOMPARE(r.session->latest(), last); // nothing follows it
    }

    void rateChangedWhileRunningReachesTheTrainer() {
        QTemporaryDir dir;
        const QString path = dir.filePath("live.pt");
        Running r(smallTrainer());
        r.session->play();
        r.session->setLearningRates(0.0042, 0.0007, 0.0009);
        r.session->setBatchSize(24);
        QTRY_VERIFY_WITH_TIMEOUT(r.step() > 5, 60000);
        ThreadSpy saved(r.session, &TrainingSession::saved);
        r.session->requestSave(path);
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.first().at(1).toString(), QString());
        const ModelConfig c = readCheckpointConfig(path.toStdString());
        QCOMPARE(c.lrRecon, 0.0042);
        QCOMPARE(c.lrDisc, 0.0007);
        QCOMPARE(c.lrGen, 0.0009);
        QCOMPARE(c.batch, 24);
    }

    void stopsAtTheTarget() {
        Running r(smallTrainer());
        ThreadSpy reached(r.session, &TrainingSession::targetReached);
        r.session->setTargetSteps(25);
        r.session->play();
        QVERIFY(reached.wait(15000));
        QCOMPARE(reached.first().at(0).toLongLong(), 25LL);
        QVERIFY(!r.session->isPlaying());
        QTRY_COMPARE_WITH_TIMEOUT(r.step(), int64_t(25), 5000);
    }

    void stopsCleanlyMidTraining() {
        Running r(smallTrainer());
        ThreadSpy finished(r.session, &TrainingSession::finished);
        r.session->play();
        QTRY_VERIFY_WITH_TIMEOUT(r.step() > 3, 60000);
        QVERIFY(r.stop());
        QTRY_COMPARE(finished.count(), 1); // told through the event loop
    }

    void failurePausesWithAMessage() {
        Dataset bad = makeLinesDataset(32, 1);
        bad.images = pixels(bad.images).fill_(std::numeric_limits<float>::quiet_NaN());
        Running r(smallTrainer(bad));
        ThreadSpy failed(r.session, &TrainingSession::failed);
        r.session->play();
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.first().at(0).toString().contains("not a number"),
                 qPrintable(failed.first().at(0).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!r.session->isPlaying(), 10000);
    }

    // Each label gets its share of the live sample, to within one item, and the shares add up.
    void theLiveSampleIsStratified() {
        // Classes of 600, 300 and 100 items, interleaved: a share of exactly 60, 30 and 10.
        std::vector<int64_t> labels;
        for (int i = 0; i < 100; ++i)
            labels.insert(labels.end(), {0, 1, 0, 2, 0, 1, 0, 1, 0, 0});
        const torch::Tensor l = torch::tensor(labels, torch::kLong);
        const std::vector<int64_t> sample = stratifiedSample(l, 1000, 100);
        QCOMPARE(sample.size(), size_t(100));
        QVERIFY(std::is_sorted(sample.begin(), sample.end()));
        QVERIFY(std::adjacent_find(sample.begin(), sample.end()) == sample.end()); // distinct
        std::array<int, 3> count{};
        for (int64_t i : sample)
            ++count[size_t(labels[size_t(i)])];
        QCOMPARE(count, (std::array<int, 3>{60, 30, 10}));

        // Three classes of 333: shares of 33.3 each, by largest remainder 34, 33, 33.
        const torch::Tensor thirds = torch::arange(999, torch::kLong).remainder(3);
        const std::vector<int64_t> some = stratifiedSample(thirds, 999, 100);
        QCOMPARE(some.size(), size_t(100));
        std::array<int, 3> third{};
        for (int64_t i : some)
            ++third[size_t(i % 3)];
        QCOMPARE(third[0] + third[1] + third[2], 100);
        for (int c : third)
            QVERIFY2(c == 33 || c == 34, qPrintable(QString::number(c)));

        // Unlabelled: spread over the whole set. More than there are: every item.
        const std::vector<int64_t> spread = stratifiedSample(torch::Tensor(), 1000, 10);
        QCOMPARE(spread.size(), size_t(10));
        QVERIFY(spread.front() < 100 && spread.back() >= 900);
        QCOMPARE(stratifiedSample(l, 50, 80).size(), size_t(50));
    }

    // On more items than the live sample, the first snapshot holds the sample's codes (the
    // rest NaN) and the rest fill in once the session runs; training re-encodes only the
    // sample, and a pause fills the rest in again with the new weights.
    void trainingShowsTheSampleAndAPauseFillsInTheRest() {
        const Dataset data = makeLinesDataset(600, 1);
        const std::vector<int64_t> sample = stratifiedSample(data.labels, 600, 100);
        const torch::Tensor sampleItems = torch::tensor(sample, torch::kLong);
        auto hasCode = [](const Snapshot &s) { return s.codes.isfinite().all(1); };
        auto sampleOnly = [&](const Snapshot &s) {
            QCOMPARE(s.knownCount(), int64_t(100));
            QVERIFY(torch::equal(std::get<0>(s.known.sort()), sampleItems));
            QCOMPARE(hasCode(s).sum().item<int64_t>(), int64_t(100));
            QVERIFY(hasCode(s).index_select(0, sampleItems).all().item<bool>());
        };
        {
            TrainingSession unstarted(smallTrainer(data), 600, 100);
            const auto first = unstarted.latest();
            sampleOnly(*first);
            QVERIFY(!first->settled && !first->complete());
        }
        {
            // Codes encoded for another sample (the setting changed while a model opened): the
            // session encodes its own sample's rows, and exactly the rows it calls known hold
            // codes.
            auto trainer = smallTrainer(data);
            torch::Tensor other = TrainingSession::encodeShown(*trainer, 600, 50);
            TrainingSession mismatched(std::move(trainer), 600, 100, {}, std::move(other));
            QCOMPARE(mismatched.latest()->knownCount(), int64_t(100));
            QVERIFY(mismatched.latest()->knownCodes().isfinite().all().item<bool>());
            // The other sample's rows are emptied: none would be re-encoded while training.
            QCOMPARE(hasCode(*mismatched.latest()).sum().item<int64_t>(), int64_t(100));
        }
        auto everyCodeFresh = [](const Snapshot &s, const Dataset &d) {
            QVERIFY(s.complete() && s.settled);
            QVERIFY(torch::allclose(s.codes, s.model->encode(d.images), 1e-4, 1e-5));
        };
        Running r(smallTrainer(data), 600, 100);
        QTRY_VERIFY_WITH_TIMEOUT(r.session->latest()->settled, 30000);
        everyCodeFresh(*r.session->latest(), data);

        r.session->play();
        QTRY_VERIFY_WITH_TIMEOUT(r.step() > 3 && r.session->latest()->playing, 60000);
        sampleOnly(*r.session->latest());

        r.session->pause();
        QTRY_VERIFY_WITH_TIMEOUT(r.session->latest()->settled, 30000);
        everyCodeFresh(*r.session->latest(), data);
    }

    void decodingWhileTrainingMatchesAPausedDecode() {
        QTemporaryDir dir;
        Running r(smallTrainer());
        const torch::Tensor code = torch::tensor({{0.3f, -0.7f}});
        r.session->play();
        QTRY_VERIFY_WITH_TIMEOUT(r.step() > 10, 60000);

        // A snapshot taken while training runs stays the same while training goes on.
        const auto held = r.session->latest();
        const torch::Tensor first = held->model->decode(code);
        for (int i = 0; i < 50; ++i) {
            QTest::qWait(5);
            QVERIFY(torch::equal(held->model->decode(code), first));
        }
        QVERIFY(r.step() > held->step); // training really went on meanwhile

        // Paused, the published model is the live model: it decodes as the saved weights do.
        r.session->pause();
        QTRY_VERIFY_WITH_TIMEOUT(r.session->latest()->settled, 30000);
        const auto paused = r.session->latest();
        ThreadSpy saved(r.session, &TrainingSession::saved);
        r.session->requestSave(dir.filePath("paused.pt"));
        QVERIFY(saved.wait(10000));
        auto reference = loadCheckpoint(dir.filePath("paused.pt").toStdString());
        QCOMPARE(reference->steps(), paused->step);
        QVERIFY(torch::equal(reference->decode(code), paused->model->decode(code)));
    }
};

QTEST_GUILESS_MAIN(TestTrainingSession)
#include "tst_trainingsession.moc"
