// Projection: chosen dimensions, principal components that find the spread and keep their
// signs between fits, moving a code within the view's plane, and a UMAP layout that places
// other codes among their nearest items and refuses to be inverted.

#include "ui/explorer/projection.h"

#include "model/error.h"

#include <QtTest/QtTest>
#include <torch/torch.h>

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

    void umapPlacesCodesAmongTheirItems() {
        torch::manual_seed(5);
        const torch::Tensor codes = torch::randn({50, 6});
        Projection p;
        p.setUmap();
        QVERIFY(!p.invertible());
        QCOMPARE(p.axisName(0), QStringLiteral("UMAP 1"));
        // Before a layout comes: the principal components it starts from.
        p.fit(codes);
        QVERIFY(!p.hasLayout(50));
        Projection pca;
        pca.setPca();
        pca.fit(codes);
        QVector<double> x, y, px, py;
        p.projectItems(codes, x, y);
        pca.projectItems(codes, px, py);
        QCOMPARE(x, px);
        QCOMPARE(y, py);

        // With a layout: the items are drawn where it puts them, and an item's code lands on
        // its place. Two far items land on their own places, and the code halfway between them
        // (the centre of the other items) lands among the others, near neither.
        const torch::Tensor layout = torch::randn({50, 2}) * 10;
        p.setLayout(codes, layout);
        QVERIFY(p.hasLayout(50));
        p.projectItems(codes, x, y);
        QCOMPARE(x.size(), 50);
        QCOMPARE(x[7], double(layout[7][0].item<float>()));
        QCOMPARE(y[7], double(layout[7][1].item<float>()));
        const QPointF item = p.project(codes[3]);
        QVERIFY(std::abs(item.x() - layout[3][0].item<double>()) < 1e-3);
        QVERIFY(std::abs(item.y() - layout[3][1].item<double>()) < 1e-3);
        const torch::Tensor far = torch::zeros({2, 6});
        far[0][0] = 100;
        far[1][0] = -100;
        const torch::Tensor withFar = torch::cat({codes, far});
        const torch::Tensor farPlaces =
            torch::cat({layout, torch::tensor({{50.f, 0.f}, {-50.f, 0.f}})});
        p.setLayout(withFar, farPlaces);
        const QPointF middle = p.project(torch::zeros({6}) + far[0] * 0.5 + far[1] * 0.5);
        QVERIFY(std::abs(middle.x()) < 50);
        const QVector<QPointF> both = p.projectAll(far);
        QVERIFY(std::abs(both[0].x() - 50) < 1e-3 && std::abs(both[1].x() + 50) < 1e-3);

        // No point of the layout is a code.
        QVERIFY_THROWS_EXCEPTION(Error, p.moveTo(codes[0], QPointF(1, 1)));
        QVERIFY_THROWS_EXCEPTION(Error, p.codeAt(QPointF(1, 1), 6));
        p.reset();
        QVERIFY(!p.hasLayout(52));
    }
};

QTEST_GUILESS_MAIN(TestProjection)
#include "tst_projection.moc"
