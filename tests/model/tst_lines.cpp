// The ACAI lines set: deterministic, in range, drawn where the angle says, labelled by bins.

#include "model/data/lines.h"

#include <QtTest/QtTest>

#include <cmath>

using namespace latentlab;

namespace {
constexpr double kPi = 3.14159265358979323846;
}

class TestLines : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameSeedSameSet() {
        torch::Tensor anglesA, anglesB, anglesC;
        const Dataset a = makeLinesDataset(64, 7, &anglesA);
        const Dataset b = makeLinesDataset(64, 7, &anglesB);
        const Dataset c = makeLinesDataset(64, 8, &anglesC);
        QVERIFY(torch::equal(a.images, b.images));
        QVERIFY(torch::equal(a.labels, b.labels));
        QVERIFY(!torch::equal(anglesA, anglesC));
        QVERIFY(torch::equal(renderLine(1.234), renderLine(1.234)));
    }

    void intensityRangeAndStrokeArea() {
        const Dataset ds = makeLinesDataset(200, 3);
        QCOMPARE(ds.images.sizes(), (torch::IntArrayRef{200, 1, 32, 32}));
        QCOMPARE(ds.images.scalar_type(), torch::kUInt8); // kept as bytes
        const torch::Tensor images = pixels(ds.images);
        QCOMPARE(images.min().item<float>(), 0.0f);
        QCOMPARE(images.max().item<float>(), 1.0f);
        // A 15 x 2 px stroke with round caps covers about 15 * 2 + pi px^2 of the image.
        const torch::Tensor area = images.sum({1, 2, 3});
        QVERIFY2(area.min().item<float>() > 30.0f && area.max().item<float>() < 36.0f,
                 qPrintable(QString("stroke area %1 .. %2")
                                .arg(area.min().item<float>())
                                .arg(area.max().item<float>())));
        // Anti-aliased: some pixels are partly covered.
        const torch::Tensor partial = (images > 0.05) & (images < 0.95);
        QVERIFY(partial.any().item<bool>());
    }

    void drawnTowardTheAngle_data() {
        QTest::addColumn<double>("theta");
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("col");
        QTest::addColumn<int>("oppositeRow");
        QTest::addColumn<int>("oppositeCol");
        // From the centre (16, 16), 12 px along the angle, and 12 px the other way.
        QTest::newRow("east") << 0.0 << 15 << 28 << 15 << 4;
        QTest::newRow("north") << kPi / 2 << 4 << 15 << 28 << 15;
        QTest::newRow("west") << kPi << 15 << 4 << 15 << 28;
        QTest::newRow("south") << 3 * kPi / 2 << 28 << 15 << 4 << 15;
    }
    void drawnTowardTheAngle() {
        QFETCH(double, theta);
        QFETCH(int, row);
        QFETCH(int, col);
        QFETCH(int, oppositeRow);
        QFETCH(int, oppositeCol);
        const torch::Tensor img = renderLine(theta);
        QVERIFY(img[0][row][col].item<float>() > 0.4f);
        QCOMPARE(img[0][oppositeRow][oppositeCol].item<float>(), 0.0f);
    }

    void labelsAreTenthsOfTheCircle_data() {
        QTest::addColumn<double>("theta");
        QTest::addColumn<int>("label");
        QTest::newRow("0") << 0.0 << 0;
        QTest::newRow("just below a tenth") << 2 * kPi / 10 - 1e-9 << 0;
        QTest::newRow("a tenth") << 2 * kPi / 10 + 1e-9 << 1;
        QTest::newRow("half") << kPi + 1e-9 << 5;
        QTest::newRow("nearly full") << 2 * kPi - 1e-9 << 9;
        QTest::newRow("wraps") << 2 * kPi + 0.1 << 0;
        QTest::newRow("negative") << -0.1 << 9;
    }
    void labelsAreTenthsOfTheCircle() {
        QFETCH(double, theta);
        QFETCH(int, label);
        QCOMPARE(lineLabel(theta), label);
    }

    void datasetLabelsMatchTheirAngles() {
        torch::Tensor angles;
        const Dataset ds = makeLinesDataset(500, 11, &angles);
        for (int64_t i = 0; i < ds.size(); ++i)
            QCOMPARE(ds.labels[i].item<int64_t>(), int64_t(lineLabel(angles[i].item<double>())));
        // Uniform angles fill every bin.
        QCOMPARE(torch::bincount(ds.labels).size(0), int64_t(10));
        QVERIFY(torch::bincount(ds.labels).min().item<int64_t>() > 25);
        // The rendered lines, rounded to bytes.
        const torch::Tensor rendered = renderLines(angles.slice(0, 0, 5));
        QVERIFY((rendered - pixels(ds.images.slice(0, 0, 5))).abs().max().item<float>() <=
                0.5f / 255 + 1e-6f);
    }
};

QTEST_GUILESS_MAIN(TestLines)
#include "tst_lines.moc"
