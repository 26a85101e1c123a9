// The tensor format inside checkpoints: exact round trips, and every truncation or lying length
// refused with an Error before anything is allocated.

#include "model/error.h"
#include "model/io/tensorfile.h"

#include <QtTest/QtTest>

using namespace latentlab;

namespace {

NamedTensors sample() {
    torch::manual_seed(3);
    return {{"scalar", torch::tensor(int64_t(42), torch::kLong)},
            {"model.weight", torch::randn({3, 5})},
            {"doubles", torch::randn({2, 2, 2}, torch::kDouble)},
            {"empty", torch::zeros({0, 4})},
            {"", torch::arange(7, torch::kLong)}};
}

QString errorOf(const std::string &bytes) {
    try {
        decodeTensors(bytes.data(), bytes.size());
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestTensorFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripIsExact() {
        const NamedTensors original = sample();
        const std::string bytes = encodeTensors(original);
        const NamedTensors back = decodeTensors(bytes.data(), bytes.size());
        QCOMPARE(back.size(), original.size());
        for (size_t i = 0; i < back.size(); ++i) {
            QCOMPARE(back[i].first, original[i].first);
            QCOMPARE(back[i].second.scalar_type(), original[i].second.scalar_type());
            QVERIFY(torch::equal(back[i].second, original[i].second));
        }
    }

    void nonContiguousTensorsAreWrittenInOrder() {
        const torch::Tensor t = torch::arange(6, torch::kFloat).view({2, 3}).t();
        const std::string bytes = encodeTensors({{"t", t}});
        QVERIFY(torch::equal(decodeTensors(bytes.data(), bytes.size())[0].second, t));
    }

    void appendingCountsItsSizeExactly() {
        NamedTensors tensors = sample();
        tensors.emplace_back("strided", torch::arange(12, torch::kFloat).view({3, 4}).t());
        std::string out = "head";
        appendTensors(out, tensors);
        QCOMPARE(out.size(), 4 + encodedTensorsSize(tensors));
        QCOMPARE(out.substr(4), encodeTensors(tensors));
        const NamedTensors back = decodeTensors(out.data() + 4, out.size() - 4);
        QVERIFY(torch::equal(back.back().second, tensors.back().second));
    }

    void everyTruncationIsRefused() {
        const std::string bytes = encodeTensors(sample());
        for (size_t n = 0; n < bytes.size(); ++n)
            QVERIFY2(!errorOf(bytes.substr(0, n)).isEmpty(), qPrintable(QString::number(n)));
        QVERIFY(errorOf(bytes + "x").contains("after its end"));
    }

    void lyingLengthsAreRefusedWithoutAllocating() {
        std::string bytes = encodeTensors({{"w", torch::zeros({2, 2})}});
        // The first dimension sits after the signature (11), count (4), name length (4), name
        // (1), type (1) and rank (1).
        std::string huge = bytes;
        for (int i = 0; i < 8; ++i)
            huge[22 + size_t(i)] = char(0x7F);
        QVERIFY2(errorOf(huge).contains("larger than the data"), qPrintable(errorOf(huge)));
        // An empty tensor whose other extent is absurd (fuzz_checkpoint found this one).
        std::string empty = encodeTensors({{"e", torch::zeros({0, 2})}});
        for (int i = 0; i < 8; ++i)
            empty[30 + size_t(i)] = char(0xBF);
        QVERIFY2(errorOf(empty).contains("larger than the data"), qPrintable(errorOf(empty)));
        std::string count = bytes;
        count[11] = count[12] = count[13] = char(0xFF);
        QVERIFY(errorOf(count).contains("more tensors"));
        std::string type = bytes;
        type[20] = 9;
        QVERIFY(errorOf(type).contains("unknown type"));
        std::string rank = bytes;
        rank[21] = 60;
        QVERIFY(errorOf(rank).contains("rank"));
        QVERIFY(errorOf("not tensors at all").contains("signature"));
    }

    void otherTypesAreRefused() {
        QVERIFY_THROWS_EXCEPTION(Error, encodeTensors({{"b", torch::zeros({2}, torch::kBool)}}));
    }
};

QTEST_GUILESS_MAIN(TestTensorFile)
#include "tst_tensorfile.moc"
