// LayoutWorker: UMAP layouts on a thread of their own, handed back a few epochs at a time; a
// newer request of the same items starts warm from the last layout, a cancelled one shows
// nothing more. The codes are clusters that PCA, UMAP's start, lays on one another: a frame
// that separates them is the optimisation's work.

#include "tests/support/layoutdata.h"
#include "ui/explorer/layoutworker.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QtTest/QtTest>
#include <torch/torch.h>

using namespace latentlab;

class TestLayoutWorker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void settlesInFramesAndStartsWarm() {
        LayoutWorker worker;
        std::vector<std::shared_ptr<const LayoutFrame>> frames;
        connect(&worker, &LayoutWorker::frame, this,
                [&](const std::shared_ptr<const LayoutFrame> &f) { frames.push_back(f); });
        const auto [codes, labels] = hiddenClusters(3, 200, 1);
        // A point's nearest neighbour is of its own cluster in more than this share of the
        // settled layout, and in less of the codes' PCA (chance: 1 in 3).
        const double labelsAbove = 0.7;
        QVERIFY(nearestSameLabel(pcaLayout(codes), labels) < labelsAbove);
        worker.submit(codes, UmapOptions{});
        QVERIFY(worker.busy());
        QTRY_VERIFY_WITH_TIMEOUT(!worker.busy(), 60000);
        QVERIFY(!frames.empty());
        for (size_t i = 0; i + 1 < frames.size(); ++i) {
            QVERIFY(!frames[i]->settled);
            QVERIFY(frames[i]->epochsDone < frames[i]->epochsTotal);
        }
        const auto cold = frames.back();
        QVERIFY(cold->settled && !cold->warm);
        QCOMPARE(cold->epochsDone, cold->epochsTotal);
        QCOMPARE(cold->layout.size(0), codes.size(0));
        QVERIFY(torch::equal(cold->codes, codes));
        QVERIFY2(nearestSameLabel(cold->layout, labels) > labelsAbove,
                 qPrintable(QString::number(nearestSameLabel(cold->layout, labels))));

        // Codes that moved a little (a training step): a warm layout, close to the last one.
        frames.clear();
        auto gen = at::detail::createCPUGenerator(4);
        const torch::Tensor moved = codes + 0.05 * torch::randn(codes.sizes(), gen, torch::kFloat);
        worker.submit(moved, UmapOptions{});
        QTRY_VERIFY_WITH_TIMEOUT(!worker.busy(), 60000);
        QVERIFY(!frames.empty());
        const auto warm = frames.back();
        QVERIFY(warm->settled && warm->warm);
        QVERIFY(warm->epochsTotal < cold->epochsTotal);
        const double extent = (std::get<0>(cold->layout.max(0)) - std::get<0>(cold->layout.min(0)))
                                  .max()
                                  .item<double>();
        const double shift = (warm->layout - cold->layout).norm(2, 1).mean().item<double>();
        QVERIFY2(shift < 0.1 * extent,
                 qPrintable(QString("moved %1 in a layout %2 wide").arg(shift).arg(extent)));
        QVERIFY2(nearestSameLabel(warm->layout, labels) > labelsAbove,
                 qPrintable(QString::number(nearestSameLabel(warm->layout, labels))));

        // Other options start again from scratch.
        frames.clear();
        UmapOptions fewer;
        fewer.neighbours = 5;
        worker.submit(moved, fewer);
        QTRY_VERIFY_WITH_TIMEOUT(!worker.busy(), 60000);
        QVERIFY(!frames.empty() && frames.back()->settled && !frames.back()->warm);
    }

    void cancelledLayoutsShowNothing() {
        LayoutWorker worker;
        std::vector<int64_t> shown; // the number of codes of each frame shown
        connect(&worker, &LayoutWorker::frame, this,
                [&](const std::shared_ptr<const LayoutFrame> &f) {
                    shown.push_back(f->codes.size(0));
                });
        // Cancelled while it settles: its first frame is shown, then nothing more of it.
        worker.submit(hiddenClusters(3, 300, 2).codes, UmapOptions{});
        QTRY_VERIFY_WITH_TIMEOUT(!shown.empty(), 60000);
        worker.cancel();
        QVERIFY(!worker.busy());
        const size_t beforeCancel = shown.size();
        // The worker goes on with the next request. Frames reach the GUI thread in the order
        // they were made, so once the next layout has settled, a frame of the cancelled one
        // would have been shown before: every frame shown since is of the 150 codes.
        worker.submit(hiddenClusters(3, 50, 3).codes, UmapOptions{});
        QTRY_VERIFY_WITH_TIMEOUT(!worker.busy(), 60000);
        QVERIFY(shown.size() > beforeCancel);
        for (size_t i = beforeCancel; i < shown.size(); ++i)
            QCOMPARE(shown[i], int64_t(150));
    }

    void tooFewCodesIsSaidInWords() {
        LayoutWorker worker;
        QString failure;
        connect(&worker, &LayoutWorker::failed, this, [&](const QString &text) { failure = text; });
        worker.submit(torch::randn({2, 4}), UmapOptions{});
        QTRY_VERIFY_WITH_TIMEOUT(!worker.busy(), 10000);
        QVERIFY2(failure.contains(QStringLiteral("at least 3 codes")), qPrintable(failure));
    }
};

QTEST_GUILESS_MAIN(TestLayoutWorker)
#include "tst_layoutworker.moc"
