#pragma once
// Application: the window's QApplication and its last line of defence. Every entry into model/
// is guarded where it starts (ui/threads/failure.h); an exception that still reaches the event loop
// is caught in notify(), reported through unexpectedFailure(), and the program goes on. It also
// keeps the C library's numbers in the "C" locale (Qt sets them from the environment), so no code
// path can write "0,001" into a file, whatever the person's language.

#include <QApplication>

namespace latentlab {

class Application : public QApplication {
    Q_OBJECT
public:
    Application(int &argc, char **argv);
    bool notify(QObject *receiver, QEvent *event) override;

Q_SIGNALS:
    void unexpectedFailure(const QString &message);
};

} // namespace latentlab
