// The explorer on whole data sets: every item shown, a live sample while training with the
// rest filled in when paused, and the selection exported and seen as pictures (issue 34).

#include "model/data/lines.h"
#include "model/error.h"
#include "tests/support/smallconfig.h"
#include "ui/explorer/explorer.h"
#include "ui/explorer/inspectorcontroller.h"
#include "ui/explorer/interpolationcontroller.h"
#include "ui/figures/imageconvert.h"
#include "ui/session/sessionhost.h"
#include "ui/threads/backgroundtasks.h"
#include "ui/window/selectiongrid.h"
#include "widgets/imagegrid.h"
#include "widgets/imagepairview.h"
#include "widgets/interpolationpanel.h"
#include "widgets/lossplot.h"
#include "widgets/scatter/latentplot.h"

#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace latentlab;

// The views and an explorer showing an untrained small autoencoder on `items` lines, every
// item shown (the default), its first snapshot on show.
struct UntrainedOnLines {
    LatentPlot plot;
    LossPlot losses;
    ImagePairView inspector;
    InterpolationPanel panel;
    Explorer explorer{{&plot, &losses, &inspector, &panel}};
    explicit UntrainedOnLines(int64_t items) {
        auto trainer = std::make_unique<Trainer>(smallTrainingConfig(ModelKind::Autoencoder, 16));
        trainer->setData(makeLinesDataset(items, 4));
        explorer.start(std::move(trainer));
        QTRY_VERIFY(explorer.shownSnapshot());
    }
    ~UntrainedOnLines() { explorer.host()->stop(); }
};

class TestWholeData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The scatter shows every item of the data set, not the first 10,000 (issue 34), and the
    // last one is as much an item as the first: it can be an interpolation end.
    void everyItemIsShown() {
        UntrainedOnLines views(12500);
        Explorer &explorer = views.explorer;
        LatentPlot &plot = views.plot;
        QCOMPARE(explorer.shownSnapshot()->codes.size(0), int64_t(12500));
        QCOMPARE(plot.pointCount(), 12500);
        explorer.interpolation()->pickItem(12499);
        QCOMPARE(explorer.interpolation()->endItem(0), 12499);
    }

    // With more items than the live sample, training draws the sample only, the status says
    // so, and an export writes the sample's codes; paused, every item fills in again.
    void aLargeSetShowsItsSampleWhileTraining() {
        LatentPlot plot;
        LossPlot losses;
        ImagePairView inspector;
        InterpolationPanel panel;
        Explorer explorer({&plot, &losses, &inspector, &panel});
        explorer.setLiveSample(100);
        QSignalSpy coverage(&explorer, &Explorer::coverageChanged);
        auto trainer = std::make_unique<Trainer>(smallTrainingConfig(ModelKind::Autoencoder, 16));
        trainer->setData(makeLinesDataset(600, 4));
        explorer.start(std::move(trainer));
        const QRectF everywhere(-1e9, -1e9, 2e9, 2e9);
        QCOMPARE(coverage.value(0).value(0).toString(), QStringLiteral("Encoded 100 of 600 items"));
        QTRY_VERIFY_WITH_TIMEOUT(explorer.shownSnapshot()->complete(), 30000);
        QCOMPARE(coverage.last().value(0).toString(), QString());
        QCOMPARE(plot.pointsIn(everywhere).size(), 600);

        QTemporaryDir dir;
        const QString path = dir.filePath("codes.csv");
        auto rowsIn = [](const QString &file) {
            QFile f(file);
            return f.open(QIODevice::ReadOnly)
                       ? QString::fromUtf8(f.readAll()).trimmed().split('\n').size() - 1
                       : -1;
        };
        explorer.host()->togglePlay();
        QTRY_VERIFY_WITH_TIMEOUT(
            explorer.shownSnapshot()->playing && explorer.shownSnapshot()->step > 2, 60000);
        QCOMPARE(coverage.last().value(0).toString(),
                 QStringLiteral("Training shows a sample of 100 of 600 items"));
        QCOMPARE(plot.pointsIn(everywhere).size(), 100);
        explorer.exportCodes(path);
        QCOMPARE(rowsIn(path), 100);

        explorer.host()->togglePlay();
        QTRY_VERIFY_WITH_TIMEOUT(explorer.shownSnapshot()->settled, 30000);
        QCOMPARE(coverage.last().value(0).toString(), QString());
        QCOMPARE(plot.pointsIn(everywhere).size(), 600);
        explorer.exportCodes(path);
        QCOMPARE(rowsIn(path), 600);
        explorer.host()->stop();
    }

    // The Selection dock shows the selected items' pictures a page at a time; a click on one
    // inspects it, and Save PNG writes them all as one grid, each picture where it belongs.
    void theSelectionsPicturesArePagedAndSaved() {
        UntrainedOnLines views(300);
        SelectionGrid grid(&views.plot, &views.explorer);
        grid.resize(700, 500);
        grid.show();
        QVERIFY(QTest::qWaitForWindowExposed(&grid));
        QCOMPARE(grid.grid()->count(), 0);
        QVector<int> odd;
        for (int i = 1; i < 300; i += 2)
            odd << i; // 150 items
        views.plot.setSelected(odd);
        const torch::Tensor images = views.explorer.session()->data().images;
        auto label = grid.findChild<QLabel *>(QStringLiteral("selectionPage"));
        QCOMPARE(grid.pages(), 2);
        QCOMPARE(grid.grid()->count(), 100);
        QCOMPARE(label->text(), QStringLiteral("1–100 of 150"));
        QCOMPARE(grid.grid()->images()[3], toQImage(images[7]));
        grid.showPage(1);
        QCOMPARE(grid.grid()->count(), 50);
        QCOMPARE(label->text(), QStringLiteral("101–150 of 150"));
        QCOMPARE(grid.pageItems().first(), 201);
        QCOMPARE(grid.grid()->images()[0], toQImage(images[201]));
        grid.showPage(7); // clamped to the last
        QCOMPARE(grid.page(), 1);

        QTest::mouseClick(grid.grid(), Qt::LeftButton, {}, grid.grid()->tileRect(2).center());
        QTRY_VERIFY(!views.explorer.decoding());
        QVERIFY2(views.inspector.caption().startsWith(QStringLiteral("item 205,")),
                 qPrintable(views.inspector.caption()));

        // 150 pictures of 32 x 32 in 13 columns and 12 rows, rows first.
        QTemporaryDir dir;
        const QString path = dir.filePath("selection.png");
        grid.savePng(path);
        QTRY_VERIFY(!views.explorer.tasks()->busy());
        const QImage png(path);
        QCOMPARE(png.size(), QSize(13 * 32, 12 * 32));
        for (int k : {0, 1, 13, 149}) {
            const QImage tile = png.copy(k % 13 * 32, k / 13 * 32, 32, 32);
            QCOMPARE(tile.convertToFormat(QImage::Format_RGB32),
                     toQImage(images[odd[k]]).convertToFormat(QImage::Format_RGB32));
        }
        views.plot.setSelected({});
        QVERIFY_THROWS_EXCEPTION(Error, grid.savePng(path));
    }

    // A selection's export names each item by its index in the data set, with its label and
    // its code in the model (not the view), whatever rows the selection happens to be.
    void theSelectionIsExportedByItem() {
        UntrainedOnLines views(300);
        Explorer &explorer = views.explorer;
        LatentPlot &plot = views.plot;
        QTemporaryDir dir;
        const QString path = dir.filePath("selection.csv");
        QVERIFY_THROWS_EXCEPTION(Error, explorer.exportSelection(path)); // nothing selected
        plot.setSelected({7, 42, 299});
        explorer.exportSelection(path);
        QTRY_VERIFY(!explorer.tasks()->busy());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], QStringLiteral("index,label,z0,z1"));
        const torch::Tensor codes = explorer.shownSnapshot()->codes;
        const QVector<int> items = {7, 42, 299};
        for (int r = 0; r < 3; ++r) {
            const QStringList cells = lines[r + 1].split(',');
            QCOMPARE(cells[0].toInt(), items[r]);
            QVERIFY(std::abs(cells[2].toDouble() - codes[items[r]][0].item<double>()) < 1e-4);
            QVERIFY(std::abs(cells[3].toDouble() - codes[items[r]][1].item<double>()) < 1e-4);
        }
    }
};

QTEST_MAIN(TestWholeData)
#include "tst_wholedata.moc"
