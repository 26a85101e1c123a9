// Directions in the code space: a class-mean direction takes a code from one mean to the
// other, a selection direction joins two selections' means, principal directions are the
// spread's axes scaled to its standard deviation, and the directions travel with the model
// through a checkpoint.

#include "model/analysis/directions.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "model/train/trainer.h"
#include "tests/support/smallconfig.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace latentlab;

class TestDirections : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void classMeansAreJoined() {
        torch::manual_seed(1);
        // Class 0 around (0, 0, 0), class 1 around (4, -2, 1), class 2 around (-3, 3, 0).
        const torch::Tensor centres =
            torch::tensor({{0.f, 0.f, 0.f}, {4.f, -2.f, 1.f}, {-3.f, 3.f, 0.f}});
        const torch::Tensor labels = torch::arange(600, torch::kLong) % 3;
        const torch::Tensor codes = centres.index_select(0, labels) + 0.1 * torch::randn({600, 3});
        const Direction d = classDirection(codes, labels, 0, 1, "0 → 1");
        QCOMPARE(QString::fromStdString(d.name), QStringLiteral("0 → 1"));
        const torch::Tensor mean0 = codes.index({labels.eq(0)}).mean(0);
        const torch::Tensor mean1 = codes.index({labels.eq(1)}).mean(0);
        // One step from class 0's mean lands on class 1's; half a step halfway.
        QVERIFY(torch::allclose(moveAlong(mean0, d, 1.0), mean1, 1e-5, 1e-5));
        QVERIFY(torch::allclose(moveAlong(mean0, d, 0.5), (mean0 + mean1) / 2, 1e-5, 1e-5));
        QVERIFY((d.vector - (centres[1] - centres[0])).abs().max().item<float>() < 0.05);
        QVERIFY_THROWS_EXCEPTION(Error, classDirection(codes, labels, 0, 5, "missing"));
    }

    void selectionsAreJoined() {
        const torch::Tensor codes =
            torch::tensor({{0.f, 0.f}, {2.f, 0.f}, {10.f, 4.f}, {12.f, 6.f}});
        const Direction d = selectionDirection(codes, {0, 1}, {2, 3}, "s");
        QVERIFY(torch::allclose(d.vector, torch::tensor({10.f, 5.f})));
        QVERIFY_THROWS_EXCEPTION(Error, selectionDirection(codes, {}, {2}, "empty"));
        QVERIFY_THROWS_EXCEPTION(Error, selectionDirection(codes, {0}, {9}, "out of range"));
        QVERIFY_THROWS_EXCEPTION(Error, moveAlong(torch::zeros({3}), d, 1.0));
    }

    void principalDirectionsFollowTheSpread() {
        torch::manual_seed(2);
        // Spread 5 along (1, 1)/sqrt 2 and 1 across it.
        const torch::Tensor a = torch::randn({4000, 1}) * 5, b = torch::randn({4000, 1});
        const double r = 1 / std::sqrt(2.0);
        const torch::Tensor codes = torch::cat({(a + b) * r, (a - b) * r}, 1) + 7;
        const std::vector<Direction> pcs = principalDirections(codes, 2);
        QCOMPARE(int(pcs.size()), 2);
        QCOMPARE(QString::fromStdString(pcs[1].name), QStringLiteral("PC2"));
        // PC1 points along (1, 1) with the length of one standard deviation (5).
        QVERIFY(std::abs(pcs[0].vector[0].item<double>() - 5 * r) < 0.2);
        QVERIFY(std::abs(pcs[0].vector[1].item<double>() - 5 * r) < 0.2);
        QVERIFY(std::abs(pcs[1].vector.norm().item<double>() - 1) < 0.05);
        QVERIFY(std::abs(pcs[0].vector.dot(pcs[1].vector).item<double>()) < 0.05);
    }

    void directionsTravelWithTheCheckpoint() {
        ModelConfig c = smallTrainingConfig(ModelKind::Aae, 16, 8);
        c.latent = 3;
        Trainer trainer(c);
        QTemporaryDir dir;
        const std::string path = dir.filePath("m.pt").toStdString();
        // Directions that do not fit the model are refused, and nothing is written.
        QVERIFY_THROWS_EXCEPTION(Error,
                                 saveCheckpoint(trainer, path, {{"too wide", torch::ones({4})}}));
        QVERIFY_THROWS_EXCEPTION(Error, saveCheckpoint(trainer, path, {{"", torch::ones({3})}}));
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
        saveCheckpoint(
            trainer, path,
            {{"smile", torch::tensor({1.f, 2.f, 3.f})}, {"PC1", torch::tensor({-1.f, 0.f, 0.5f})}});
        const Checkpoint loaded = readCheckpoint(path);
        QCOMPARE(int(loaded.directions.size()), 2);
        QCOMPARE(QString::fromStdString(loaded.directions[0].name), QStringLiteral("smile"));
        QCOMPARE(QString::fromStdString(loaded.directions[1].name), QStringLiteral("PC1"));
        QVERIFY(torch::equal(loaded.directions[1].vector, torch::tensor({-1.f, 0.f, 0.5f})));
        // A model without directions stays without.
        Trainer plain(c);
        saveCheckpoint(plain, path);
        QVERIFY(readCheckpoint(path).directions.empty());
    }
};

QTEST_GUILESS_MAIN(TestDirections)
#include "tst_directions.moc"
