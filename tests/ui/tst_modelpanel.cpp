// The Data & Model dock's device chooser: "auto", the CPU and each GPU by name, and the chosen
// one in the configuration that creates the model.

#include "model/device.h"
#include "ui/window/modelpanel.h"

#include <QComboBox>
#include <QtTest/QtTest>
#include <torch/cuda.h>

using namespace latentlab;

class TestModelPanel : public QObject {
    Q_OBJECT

    static QComboBox *deviceBox(ModelPanel &panel) {
        return panel.findChild<QComboBox *>(QStringLiteral("device"));
    }

private Q_SLOTS:
    void thisMachinesDevicesAreOffered() {
        const std::vector<DeviceChoice> devices = availableDevices();
        const int gpus = torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0;
        QCOMPARE(int(devices.size()), 1 + gpus);
        QCOMPARE(devices[0].name, std::string("cpu"));
        for (int i = 0; i < gpus; ++i)
            QCOMPARE(devices[size_t(1 + i)].name, "cuda:" + std::to_string(i));
        ModelPanel panel;
        QComboBox *box = deviceBox(panel);
        QVERIFY(box);
        QCOMPARE(box->count(), 2 + gpus);
        QCOMPARE(box->itemData(0).toString(), QStringLiteral("auto"));
        QCOMPARE(panel.config().device, std::string("auto"));
    }

    void gpusAreListedByNameAndChosenByNumber() {
        ModelPanel panel;
        panel.setDevices({{"cpu", "CPU, 2 threads"},
                          {"cuda:0", "NVIDIA H200, 139.8 GiB"},
                          {"cuda:1", "NVIDIA A100-SXM4-80GB, 79.2 GiB"}});
        QComboBox *box = deviceBox(panel);
        QCOMPARE(box->count(), 4);
        QCOMPARE(box->itemText(2), QStringLiteral("cuda:0: NVIDIA H200, 139.8 GiB"));
        box->setCurrentIndex(3);
        QCOMPARE(panel.config().device, std::string("cuda:1"));

        // A loaded model trained on "cuda" (this process's GPU) shows the first one.
        ModelConfig c = panel.config();
        c.device = "cuda";
        panel.showConfig(c);
        QCOMPARE(panel.config().device, std::string("cuda:0"));

        // On a machine without that GPU the choice falls back to "auto".
        box->setCurrentIndex(3);
        panel.setDevices({{"cpu", "CPU, 2 threads"}});
        QCOMPARE(panel.config().device, std::string("auto"));
        box->setCurrentIndex(1);
        panel.setDevices({{"cpu", "CPU, 2 threads"}, {"cuda:0", "NVIDIA H200, 139.8 GiB"}});
        QCOMPARE(panel.config().device, std::string("cpu"));
    }
};

QTEST_MAIN(TestModelPanel)
#include "tst_modelpanel.moc"
