// Projection: chosen dimensions, principal components that find the spread and keep their
// signs between fits, and moving a code within the view's plane.

#include "ui/projection.h"

#include <QtTest/QtTest>

using namespace latentlab;

class TestProjection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dimensionsPickCoordinates() {
        Projection p;
        p.setDimensions(2, 0);
        const torch::Tensor code = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f});
        QCOMPARE(p.project(code), QPointF(3, 1));
        QCOMPARE(p.axisName(0), QStringLiteral("z2"));
        const torch::Tensor moved = p.moveTo(code, QPointF(-1, 5));
        QVERIFY(torch::equal(moved, torch::tensor({5.0f, 2.0f, -1.0f, 4.0f})));
    }

    void pcaFindsTheSpreadAndKeepsSigns() {
        torch::manual_seed(3);
        // 4-D codes spread mostly along (1, 1, 0, 0), then along (0, 0, 1, 0).
        const torch::Tensor t = torch::randn({2000, 1}) * 5;
        const torch::Tensor s = torch::randn({2000, 1}) * 2;
        const torch::Tensor codes = torch::cat({t, t, s, 0.1 * torch::randn({2000, 1})}, 1) + 3;
        Projection p;
        p.setPca();
        p.fit(codes);
        QCOMPARE(p.axisName(1), QStringLiteral("PC2"));
        // The mean projects to the origin; a step along (1,1,0,0) moves along PC1 only.
        const torch::Tensor mean = codes.mean(0);
        QVERIFY(p.project(mean).manhattanLength() < 1e-4);
        const QPointF along = p.project(mean + torch::tensor({1.0f, 1.0f, 0.0f, 0.0f}));
        QVERIFY(std::abs(std::abs(along.x()) - std::sqrt(2.0)) < 0.02);
        QVERIFY(std::abs(along.y()) < 0.02);
        // Refitting on the same codes keeps the direction (no mirror image).
        const QPointF before = p.project(codes[0]);
        p.fit(codes * 1.0001);
        const QPointF after = p.project(codes[0] * 1.0001);
        QVERIFY(std::abs(before.x() - after.x()) < 0.05 && std::abs(before.y() - after.y()) < 0.05);
        // Moving within the plane lands exactly where asked and changes nothing across it.
        const torch::Tensor moved = p.moveTo(codes[5], QPointF(1.5, -2));
        const QPointF landed = p.project(moved);
        QVERIFY(std::abs(landed.x() - 1.5) < 1e-4 && std::abs(landed.y() + 2) < 1e-4);
        const QPointF origin = p.project(p.codeAt(QPointF(0.5, 0.25), 4));
        QVERIFY(std::abs(origin.x() - 0.5) < 1e-4 && std::abs(origin.y() - 0.25) < 1e-4);
    }
};

QTEST_GUILESS_MAIN(TestProjection)
#include "tst_projection.moc"
