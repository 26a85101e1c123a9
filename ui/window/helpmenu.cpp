#include "ui/window/helpmenu.h"

#include "ui/window/about.h"

#include <QAbstractTextDocumentLayout>
#include <QAction>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QMainWindow>
#include <QMenu>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextBrowser>
#include <QVBoxLayout>

// Outside any namespace, as Q_INIT_RESOURCE must be: the guide lives in this static library.
static void initGuideResource() {
    Q_INIT_RESOURCE(guide);
}

namespace latentlab {

namespace {

// The README without its pictures (they are files of the source tree, not of the program).
QString guideMarkdown() {
    initGuideResource();
    QFile file(QStringLiteral(":/guide/README.md"));
    if (!file.open(QIODevice::ReadOnly))
        return QObject::tr("The guide is missing from this build.");
    QString text = QString::fromUtf8(file.readAll());
    text.remove(QRegularExpression(QStringLiteral(R"(^!\[[^\]]*\]\([^)]*\)\s*$)"),
                                   QRegularExpression::MultilineOption));
    return text;
}

// What the mouse does, which no action's shortcut says.
const char *const kMouse[][2] = {
    {"Hover a point", "its image, reconstruction and nearest neighbours in the Inspector"},
    {"Click a point", "make it end A of the interpolation, then B, then A again"},
    {"Shift+click a point", "make it end B"},
    {"Drag A or B", "move that end through the code space"},
    {"Ctrl+drag", "select the items in a rectangle (for the Directions dock)"},
    {"Wheel, drag", "zoom, pan (F fits the view again)"},
    {"Left, Right on the slider", "one frame of the strip back or on"},
    {"Home, End on the slider", "end A, end B"},
};

void showGuide(QMainWindow *window, const QString &section) {
    auto *dialog = window->findChild<QDialog *>(QStringLiteral("guide"));
    QTextBrowser *browser = nullptr;
    if (!dialog) {
        dialog = new QDialog(window);
        dialog->setObjectName(QStringLiteral("guide"));
        dialog->setWindowTitle(QObject::tr("LatentLab guide"));
        dialog->resize(760, 620);
        browser = new QTextBrowser;
        browser->setOpenLinks(false);
        QObject::connect(browser, &QTextBrowser::anchorClicked, dialog, [](const QUrl &url) {
            if (url.scheme().startsWith(QLatin1String("http")))
                QDesktopServices::openUrl(url);
        });
        browser->setMarkdown(guideMarkdown());
        auto *layout = new QVBoxLayout(dialog);
        layout->addWidget(browser);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
        QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
        layout->addWidget(buttons);
    } else {
        browser = dialog->findChild<QTextBrowser *>();
    }
    dialog->show();
    dialog->raise();
    // The section's heading at the top of the reader.
    for (QTextBlock block = browser->document()->begin(); block.isValid(); block = block.next())
        if (block.blockFormat().headingLevel() > 0 && block.text() == section) {
            browser->verticalScrollBar()->setValue(
                int(browser->document()->documentLayout()->blockBoundingRect(block).top()));
            break;
        }
}

void showShortcuts(QMainWindow *window) {
    QString html = QStringLiteral("<table cellspacing=6>");
    for (const QString &line : shortcutLines(window)) {
        const QStringList parts = line.split(QLatin1Char('\t'));
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(parts.value(0).toHtmlEscaped(), parts.value(1).toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    QDialog dialog(window);
    dialog.setWindowTitle(QObject::tr("Keys and mouse"));
    auto *browser = new QTextBrowser;
    browser->setHtml(html);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(browser);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(620, 560);
    dialog.exec();
}

} // namespace

QStringList guideSections() {
    QStringList sections;
    const QRegularExpression heading(QStringLiteral(R"(^#{2,3} (.+)$)"),
                                     QRegularExpression::MultilineOption);
    auto it = heading.globalMatch(guideMarkdown());
    while (it.hasNext())
        sections << it.next().captured(1).trimmed();
    return sections;
}

QStringList shortcutLines(QMainWindow *window) {
    QStringList lines;
    for (QAction *action : window->findChildren<QAction *>()) {
        if (action->shortcut().isEmpty() || action->text().isEmpty())
            continue;
        const QString line = action->shortcut().toString(QKeySequence::NativeText) +
                             QLatin1Char('\t') + QString(action->text()).remove(QLatin1Char('&'));
        if (!lines.contains(line))
            lines << line;
    }
    for (const auto &[what, does] : kMouse)
        lines << QObject::tr(what) + QLatin1Char('\t') + QObject::tr(does);
    return lines;
}

void fillHelpMenu(QMenu *help, QMainWindow *window) {
    help->addAction(QObject::tr("&Keys and mouse…"), QKeySequence(Qt::Key_F1), window,
                    [window] { showShortcuts(window); });
    QMenu *guide = help->addMenu(QObject::tr("&Guide"));
    for (const QString &section : guideSections())
        guide->addAction(section, window, [window, section] { showGuide(window, section); });
    help->addSeparator();
    help->addAction(QObject::tr("&About LatentLab"), window, [window] { showAbout(window); });
}

} // namespace latentlab
