// Configuration JSON and number text: round trips, clear errors, and the same bytes whatever the
// C library's locale (Qt sets it from the environment; packaging/test.sh runs every suite under
// a German locale as well).

#include "model/config.h"
#include "model/error.h"
#include "model/nets/prior.h"
#include "model/numbers.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <clocale>
#include <cstdio>

using namespace latentlab;
using nlohmann::ordered_json;

namespace {

// Switches the C library's numbers to a comma-decimal locale for one scope, when the machine
// has one (packaging/deps.sh generates de_DE.UTF-8).
class CommaLocale {
public:
    CommaLocale() {
        const char *current = std::setlocale(LC_NUMERIC, nullptr);
        previous_ = current ? current : "C";
        for (const char *name : {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8"})
            if (std::setlocale(LC_NUMERIC, name)) {
                active_ = true;
                break;
            }
    }
    ~CommaLocale() { std::setlocale(LC_NUMERIC, previous_.c_str()); }
    bool active() const { return active_; }

private:
    std::string previous_;
    bool active_ = false;
};

ModelConfig unusualConfig() {
    ModelConfig c;
    c.kind = ModelKind::AaeUniversal;
    c.arch = Architecture::Conv;
    c.prior = "gaussian:0.75";
    c.labelConditioned = true;
    c.labelledFraction = 0.25;
    c.hidden = 77;
    c.seed = 123456789;
    c.lrGen = 3e-5;
    c.lrRecon = 0.001;
    c.noiseStd = 0.1 + 0.2; // not exactly 0.3: the text must keep every bit
    return c;
}

} // namespace

class TestJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void numbersReadBackExactly_data() {
        QTest::addColumn<double>("value");
        QTest::newRow("0.001") << 0.001;
        QTest::newRow("1e-5") << 1e-5;
        QTest::newRow("0.1 + 0.2") << 0.1 + 0.2;
        QTest::newRow("-2.5e300") << -2.5e300;
        QTest::newRow("whole") << 1000.0;
        QTest::newRow("2^53") << 9007199254740992.0;
    }
    void numbersReadBackExactly() {
        QFETCH(double, value);
        const CommaLocale comma;
        const std::string text = formatNumber(value);
        QVERIFY2(text.find(',') == std::string::npos, text.c_str());
        const std::optional<double> back = parseNumber(text);
        QVERIFY(back.has_value());
        QCOMPARE(*back, value);
    }

    void numberTextIgnoresTheCommaLocale() {
        const CommaLocale comma;
        if (!comma.active())
            QSKIP("no comma-decimal locale on this machine (packaging/deps.sh makes de_DE.UTF-8)");
        char printed[32];
        std::snprintf(printed, sizeof printed, "%.3f", 0.5);
        QCOMPARE(std::string(printed), std::string("0,500")); // the locale is really in force
        QCOMPARE(formatNumber(0.5), std::string("0.5"));
        QCOMPARE(formatFixed(97.3125, 2), std::string("97.31"));
        QCOMPARE(formatNumber(0.00123456, 3), std::string("0.00123"));
        QCOMPARE(parseNumber("0.25").value_or(-1), 0.25);
        QVERIFY(!parseNumber("0,25")); // one syntax everywhere, whatever the locale
    }

    void badNumberTextIsRefused_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("comma") << "1,5";
        QTest::newRow("trailing") << "2x";
        QTest::newRow("space") << " 2";
        QTest::newRow("nan") << "nan";
        QTest::newRow("overflow") << "1e999";
    }
    void badNumberTextIsRefused() {
        QFETCH(QString, text);
        QVERIFY(!parseNumber(text.toStdString()));
    }

    void integersAreWholeAndInRange() {
        QCOMPARE(parseInteger("-42").value_or(0), -42ll);
        QVERIFY(!parseInteger("4.0"));
        QVERIFY(!parseInteger("99999999999999999999"));
    }

    void configRoundTripsUnderACommaLocale() {
        const CommaLocale comma;
        const ModelConfig c = unusualConfig();
        const std::string text = c.toJsonText();
        QVERIFY2(text.find("0.001") != std::string::npos, text.c_str());
        QVERIFY2(text.find("\"linear_output\": false") != std::string::npos, text.c_str());
        const ModelConfig back = ModelConfig::fromJsonText(text);
        QCOMPARE(back.toJsonText(), text);
        QCOMPARE(int(back.kind), int(ModelKind::AaeUniversal));
        QCOMPARE(back.seed, uint64_t(123456789));
        QCOMPARE(back.noiseStd, 0.1 + 0.2);
        QCOMPARE(back.prior, std::string("gaussian:0.75"));
    }

    void keysKeepTheirOrder() {
        const ordered_json j = ModelConfig().toJson();
        QCOMPARE(j.begin().key(), std::string("model"));
        QCOMPARE((--j.end()).key(), std::string("device"));
    }

    void priorSpecsUnderACommaLocale() {
        const CommaLocale comma;
        QCOMPARE(makePrior("gaussian:0.5", 2)->spec(), std::string("gaussian:0.5"));
        QCOMPARE(makePrior("uniform:1.5", 3)->spec(), std::string("uniform:1.5"));
        QVERIFY_THROWS_EXCEPTION(Error, makePrior("gaussian:0,5", 2));
    }

    void kindDefaultsLiveInOnePlace() {
        const ModelConfig acai = ModelConfig::forKind(ModelKind::Acai);
        QCOMPARE(acai.loss, std::string("mse"));
        QVERIFY(acai.linearOutput);
        QCOMPARE(acai.batch, 64);
        QCOMPARE(acai.lrRecon, 1e-4);
        QCOMPARE(acai.lrDisc, 1e-4);
        acai.validate();
        const ModelConfig aae = ModelConfig::forKind(ModelKind::Aae);
        QCOMPARE(aae.toJsonText(), ModelConfig().toJsonText());
    }

    void configFromBeforeTheBalanceTermTrainsWithout() {
        // The clustering AAE's balance term is on by default for new models, but a checkpoint
        // written before it existed must resume with the losses it was trained with.
        ModelConfig c;
        c.kind = ModelKind::AaeClustering;
        QCOMPARE(c.clusterBalance, 1.0);
        ordered_json j = c.toJson();
        QCOMPARE(ModelConfig::fromJson(j).clusterBalance, 1.0);
        j.erase("cluster_balance");
        QCOMPARE(ModelConfig::fromJson(j).clusterBalance, 0.0);
    }

    void configFromVersion01Reads() {
        // The hand-written writer of version 0.1: whole numbers without a point, large ones with
        // an exponent, and booleans that could also be numbers.
        const std::string old = R"({
  "model": "aae",
  "hidden": 1000,
  "lr_recon": 0.001,
  "label_conditioned": 1,
  "seed": 1.23456789e+15
})";
        const ModelConfig c = ModelConfig::fromJsonText(old);
        QCOMPARE(c.hidden, 1000);
        QCOMPARE(c.lrRecon, 0.001);
        QVERIFY(c.labelConditioned);
        QCOMPARE(c.seed, uint64_t(1234567890000000ull));
    }

    void badConfigsNameTheField_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax") << "{\"a\": \"x"
                                << "byte";
        QTest::newRow("not an object") << "[1, 2]"
                                       << "not a JSON object";
        QTest::newRow("string for a number") << "{\"hidden\": \"many\"}"
                                             << "'hidden'";
        QTest::newRow("fraction for a width") << "{\"latent\": 2.5}"
                                              << "'latent'";
        QTest::newRow("width out of range") << "{\"hidden\": 1e30}"
                                            << "'hidden'";
        QTest::newRow("negative seed") << "{\"seed\": -1}"
                                       << "'seed'";
        QTest::newRow("number for text") << "{\"prior\": 3}"
                                         << "'prior'";
        QTest::newRow("unknown kind") << "{\"model\": \"vae2\"}"
                                      << "vae2";
        QTest::newRow("number overflow (fuzz_config)") << "{\"lr_recon\": 9E999}"
                                                       << "overflow";
    }
    void badConfigsNameTheField() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        try {
            ModelConfig::fromJsonText(text.toStdString());
            QFAIL("a bad configuration was accepted");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).contains(expected), e.what());
        }
    }

    void configRejectsNonsense() {
        ModelConfig c;
        c.latent = 0;
        QVERIFY_THROWS_EXCEPTION(Error, c.validate());
        QVERIFY_THROWS_EXCEPTION(Error, modelKindFromString("vae2"));
        ModelConfig conv;
        conv.arch = Architecture::Conv;
        conv.height = conv.width = 30; // not divisible by 4
        QVERIFY_THROWS_EXCEPTION(Error, conv.validate());
        conv.height = conv.width = 32;
        conv.convScales = 40; // would shift past the int's width
        QVERIFY_THROWS_EXCEPTION(Error, conv.validate());
        QCOMPARE(conv.codeSize(), 0);
    }
};

QTEST_GUILESS_MAIN(TestJson)
#include "tst_json.moc"
