// LayoutWorker: UMAP layouts on a thread of their own, handed back a few epochs at a time; a
// newer request of the same items starts warm from the last layout, a cancelled one shows
// nothing more.

#include "ui/explorer/layoutworker.h"

#include <QtTest/QtTest>
#include <torch/torch.h>

using namespace latentlab;

namespace {

// `perCluster` codes around each of three far-apart centres in 8-D.
torch::Tensor clusters(int perCluster, uint64_t seed) {
    torch::manual_seed(seed);
    std::vector<torch::Tensor> parts;
    for (int c = 0; c < 3; ++c) {
        torch::Tensor centre = torch::zeros({8});
        centre[c] = 20;
        parts.push_back(centre + torch::randn({perCluster, 8}));
    }
    return torch::cat(parts);
}

// The distance between two clusters' mean places over the largest spread within one.
double separation(const torch::Tensor &layout, int perCluster) {
    double spread = 0, gap = 1e30;
    std::vector<torch::Tensor> means;
    for (int c = 0; c < 3; ++c) {
        const torch::Tensor part = layout.narrow(0, c * perCluster, perCluster);
        means.push_back(part.mean(0));
        spread = std::max(spread, (part - means.back()).norm(2, 1).max().item<double>());
    }
    for (int a = 0; a < 3; ++a)
        for (int b = a + 1; b < 3; ++b)
            gap = std::min(gap, (means[a] - means[b]).norm().item<double>());
    return gap / spread;
}

} // namespace

class TestLayoutWorker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void settlesInFramesAndStartsWarm() {
        LayoutWorker worker;
        std::vector<std::shared_ptr<const LayoutFrame>> frames;
        connect(&worker, &LayoutWorker::frame, this,
                [&](const std::shared_ptr<const LayoutFrame> &f) { frames.push_back(f); });
        const int perCluster = 200;
        const torch::Tensor codes = clusters(perCluster, 1);
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
        QVERIFY2(separation(cold->layout, perCluster) > 2,
                 qPrintable(QString::number(separation(cold->layout, perCluster))));

        // Codes that moved a little (a training step): a warm layout, close to the last one.
        frames.clear();
        const torch::Tensor moved = codes + 0.05 * torch::randn(codes.sizes());
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
        QVERIFY(separation(warm->layout, perCluster) > 2);

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
        int frames = 0;
        connect(&worker, &LayoutWorker::frame, this, [&] { ++frames; });
        worker.submit(clusters(300, 2), UmapOptions{});
        worker.cancel();
        QVERIFY(!worker.busy());
        QTest::qWait(1500);
        QCOMPARE(frames, 0);
        // The worker goes on with the next request.
        worker.submit(clusters(50, 3), UmapOptions{});
        QTRY_VERIFY_WITH_TIMEOUT(!worker.busy(), 60000);
        QVERIFY(frames > 0);
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
