#pragma once
// For the tests that meet PyTorch: a python3 that imports torch, and the TorchScript models that
// tests/python/make_torchscript.py trains and writes. Tests skip when no such python3 is here
// (Debian's python3-torch; packaging/deps.sh installs it).

#include <QProcess>
#include <QString>
#include <QStringList>

// $LATENTLAB_PYTHON, else Debian's python3, else the first on PATH: the first that imports torch.
inline QString pythonWithTorch() {
    QStringList candidates;
    if (qEnvironmentVariableIsSet("LATENTLAB_PYTHON"))
        candidates << qEnvironmentVariable("LATENTLAB_PYTHON");
    candidates << QStringLiteral("/usr/bin/python3") << QStringLiteral("python3");
    for (const QString &python : candidates) {
        QProcess p;
        p.start(python, {QStringLiteral("-c"), QStringLiteral("import torch")});
        if (p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit &&
            p.exitCode() == 0)
            return python;
    }
    return {};
}

// Writes aae.ts, traced.ts, expected.pt, no_decode.ts, wrong_shape.ts, probe_only.ts and
// state_dict.pt into `dir` (see the script). Returns an empty string, or what the script said when
// it failed.
inline QString makeTorchScriptModels(const QString &python, const QString &dir) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(python,
            {QStringLiteral(LATENTLAB_SOURCE_DIR "/tests/python/make_torchscript.py"), dir});
    if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QStringLiteral("make_torchscript.py failed: ") + QString::fromUtf8(p.readAll());
    return {};
}
