#pragma once
// The window's Help menu: the keyboard and mouse shortcuts (the keys read from the window's own
// actions, so the list says what the keys do today), the user guide (README.md, compiled in,
// one entry per section, shown in a reader inside the window: no browser, no network) and
// About.

#include <QString>
#include <QStringList>

class QMainWindow;
class QMenu;

namespace latentlab {

// Adds the entries to `help`; the dialogs they open belong to `window`.
void fillHelpMenu(QMenu *help, QMainWindow *window);

// The guide's section titles, in order ("The explorer", "latentlab-cli", ...).
QStringList guideSections();
// The shortcuts as shown: one "keys<TAB>what they do" line each.
QStringList shortcutLines(QMainWindow *window);

} // namespace latentlab
