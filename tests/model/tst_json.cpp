// JSON and ModelConfig: round trips and clear errors.

#include "model/config.h"
#include "model/error.h"
#include "model/json.h"

#include <QtTest/QtTest>

using namespace latentlab;

class TestJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripsNestedValues() {
        Json inner = Json::array();
        inner.append(Json(1.5));
        inner.append(Json("two \"quoted\"\n"));
        Json obj = Json::object();
        obj.set("list", inner);
        obj.set("flag", true);
        obj.set("big", int64_t(1) << 40);
        const Json back = Json::parse(obj.dump(2));
        QCOMPARE(back["list"].items().size(), size_t(2));
        QCOMPARE(back["list"].items()[0].toDouble(), 1.5);
        QCOMPARE(back["list"].items()[1].toString(), std::string("two \"quoted\"\n"));
        QVERIFY(back["flag"].toBool());
        QCOMPARE(back["big"].toInt(), int64_t(1) << 40);
        QVERIFY(back["missing"].isNull());
    }

    void parseErrorsNameTheOffset_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("unterminated string") << "{\"a\": \"x";
        QTest::newRow("missing colon") << "{\"a\" 1}";
        QTest::newRow("trailing text") << "{} x";
        QTest::newRow("empty") << "";
    }
    void parseErrorsNameTheOffset() {
        QFETCH(QString, text);
        try {
            Json::parse(text.toStdString());
            QFAIL("parse accepted bad JSON");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).contains("offset"), e.what());
        }
    }

    void configRoundTrips() {
        ModelConfig c;
        c.kind = ModelKind::AaeUniversal;
        c.arch = Architecture::Conv;
        c.prior = "mixture:7";
        c.labelConditioned = true;
        c.labelledFraction = 0.25;
        c.hidden = 77;
        c.seed = 123456789;
        c.lrGen = 3e-5;
        const ModelConfig back = ModelConfig::fromJson(Json::parse(c.toJson().dump()));
        QCOMPARE(back.toJson().dump(), c.toJson().dump());
        QCOMPARE(int(back.kind), int(ModelKind::AaeUniversal));
        QCOMPARE(back.seed, uint64_t(123456789));
    }

    void configFromBeforeTheBalanceTermTrainsWithout() {
        // The clustering AAE's balance term is on by default for new models, but a checkpoint
        // written before it existed must resume with the losses it was trained with.
        ModelConfig c;
        c.kind = ModelKind::AaeClustering;
        QCOMPARE(c.clusterBalance, 1.0);
        const Json j = c.toJson();
        QCOMPARE(ModelConfig::fromJson(j).clusterBalance, 1.0);
        Json old = Json::object();
        for (const auto &[key, value] : j.members())
            if (key != "cluster_balance")
                old.set(key, value);
        QCOMPARE(ModelConfig::fromJson(old).clusterBalance, 0.0);
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
    }
};

QTEST_GUILESS_MAIN(TestJson)
#include "tst_json.moc"
