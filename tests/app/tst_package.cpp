// The Debian package (packaging/package.sh): CPack makes the .deb from this build tree; it
// holds both programs, the desktop entry, the AppStream metainfo, the icons, the Python module
// and the man page; it declares its run-time dependencies (OpenBLAS included); the desktop entry
// and the metainfo validate; and the programs run from an unpacked copy.

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest/QtTest>

namespace {

struct Result {
    int code = -1;
    QString out;
};

Result run(const QString &program, const QStringList &args, const QString &dir = {},
           int timeoutMs = 600000) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (!dir.isEmpty())
        p.setWorkingDirectory(dir);
    p.start(program, args);
    Result r;
    if (!p.waitForStarted() || !p.waitForFinished(timeoutMs))
        return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAll());
    return r;
}

} // namespace

class TestPackage : public QObject {
    Q_OBJECT
    QTemporaryDir work_;
    QString deb_, root_;

private Q_SLOTS:
    void initTestCase() {
        for (const char *tool : {"cpack", "dpkg-deb", "dpkg-shlibdeps", "help2man",
                                 "desktop-file-validate", "appstreamcli"})
            if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1 is not installed (packaging/deps.sh installs "
                                                "it)")
                                     .arg(QString::fromLatin1(tool))));
        const Result r = run(QStringLiteral("cpack"),
                             {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"),
                              work_.filePath(QStringLiteral("out"))},
                             QStringLiteral(LATENTLAB_BUILD_DIR));
        QVERIFY2(r.code == 0, qPrintable(r.out));
        const QStringList debs = QDir(work_.filePath(QStringLiteral("out")))
                                     .entryList({QStringLiteral("*.deb")}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        deb_ = work_.filePath(QStringLiteral("out/") + debs.first());
        root_ = work_.filePath(QStringLiteral("root"));
        QCOMPARE(run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), deb_, root_}).code, 0);
    }

    void holdsEverything() {
        const Result r = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-c"), deb_});
        QCOMPARE(r.code, 0);
        for (const char *path :
             {"./usr/bin/latentlab", "./usr/bin/latentlab-cli",
              "./usr/share/applications/io.github.latentlab.LatentLab.desktop",
              "./usr/share/metainfo/io.github.latentlab.LatentLab.metainfo.xml",
              "./usr/share/icons/hicolor/scalable/apps/io.github.latentlab.LatentLab.svg",
              "./usr/share/icons/hicolor/16x16/apps/io.github.latentlab.LatentLab.png",
              "./usr/share/icons/hicolor/256x256/apps/io.github.latentlab.LatentLab.png",
              "./usr/share/latentlab/python/latentlab_models.py",
              "./usr/share/man/man1/latentlab-cli.1.gz"})
            QVERIFY2(r.out.contains(QLatin1String(path) + QLatin1Char('\n')), path);
    }

    void declaresItsDependencies() {
        const Result r = run(QStringLiteral("dpkg-deb"),
                             {QStringLiteral("-f"), deb_, QStringLiteral("Depends")});
        QCOMPARE(r.code, 0);
        for (const char *package :
             {"libtorch", "libqt6widgets6", "libopencv-core", "libqcustomplot", "libopenblas0"})
            QVERIFY2(r.out.contains(QLatin1String(package)),
                     qPrintable(QStringLiteral("%1 not in: %2").arg(package, r.out)));
    }

    void desktopEntryAndMetainfoValidate() {
        Result r = run(QStringLiteral("desktop-file-validate"),
                       {root_ + "/usr/share/applications/io.github.latentlab.LatentLab.desktop"});
        QVERIFY2(r.code == 0 && r.out.trimmed().isEmpty(), qPrintable(r.out));
        r = run(QStringLiteral("appstreamcli"),
                {QStringLiteral("validate"), QStringLiteral("--no-net"),
                 root_ + "/usr/share/metainfo/io.github.latentlab.LatentLab.metainfo.xml"});
        QVERIFY2(r.code == 0, qPrintable(r.out));
    }

    void programsRunFromAnUnpackedCopy() {
        const QString cli = root_ + "/usr/bin/latentlab-cli";
        Result r = run(cli, {QStringLiteral("--version")});
        QVERIFY2(r.code == 0 && r.out.startsWith("latentlab-cli "), qPrintable(r.out));
        const QString out = work_.filePath(QStringLiteral("run"));
        r = run(cli, {"train", "--data", "lines:200", "--model", "ae", "--hidden", "32", "--steps",
                      "20", "--threads", "1", "--out", out});
        QVERIFY2(r.code == 0, qPrintable(r.out));
        QVERIFY(QFileInfo(out + "/model.pt").size() > 0);
        r = run(root_ + "/usr/bin/latentlab", {QStringLiteral("--version")});
        QVERIFY2(r.code == 0 && r.out.startsWith("LatentLab "), qPrintable(r.out));
    }

    void manPageDescribesEveryCommand() {
        const Result r = run(
            QStringLiteral("sh"),
            {QStringLiteral("-c"), "zcat '" + root_ + "/usr/share/man/man1/latentlab-cli.1.gz'"});
        QCOMPARE(r.code, 0);
        for (const char *command :
             {"train", "encode", "decode", "interpolate", "eval", "compare", "bench", "export"})
            QVERIFY2(r.out.contains(QStringLiteral(".SS %1").arg(QLatin1String(command))), command);
    }
};

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
