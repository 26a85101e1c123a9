// The window's command line (issue 32): --help and -h print the usage and exit 0 instead of
// being opened as a file, --version prints the version line, and a mistake prints the usage
// and exits 2, all before any window (or display) is needed.

#include <QProcess>
#include <QRegularExpression>
#include <QtTest/QtTest>

namespace {

struct Result {
    int code = -1;
    QString out, err;
};

Result run(const QStringList &args) {
    QProcess p;
    p.setProgram(QStringLiteral(LATENTLAB_GUI));
    p.setArguments(args);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY")); // nothing here may need one
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start();
    Result r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestGuiArgs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void helpPrintsTheUsage_data() {
        QTest::addColumn<QString>("option");
        QTest::newRow("--help") << QStringLiteral("--help");
        QTest::newRow("-h") << QStringLiteral("-h");
    }
    void helpPrintsTheUsage() {
        QFETCH(QString, option);
        const Result r = run({option});
        QCOMPARE(r.code, 0);
        QVERIFY2(
            QRegularExpression(QStringLiteral(R"(^Usage: \S*latentlab \[options\] \[FILE\.\.\.\])"))
                .match(r.out)
                .hasMatch(),
            qPrintable(r.out + r.err));
        for (const char *word : {"--follow <DIR>", "--version", "FILE"})
            QVERIFY2(r.out.contains(QLatin1String(word)), word);
    }

    void versionPrintsTheVersionLine() {
        const Result r = run({QStringLiteral("--version")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith(QLatin1String("LatentLab 0.")) && r.out.contains("LibTorch"),
                 qPrintable(r.out));
    }

    void mistakesPrintTheUsageAndExit2() {
        Result r = run({QStringLiteral("--colour-me")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QLatin1String("colour-me")) && r.err.contains("Usage:"),
                 qPrintable(r.err));
        r = run({QStringLiteral("--follow")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QLatin1String("follow")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestGuiArgs)
#include "tst_guiargs.moc"
