#pragma once
// QCustomPlot's header uses Qt's lower-case keywords (signals, slots, emit, foreach), which
// LatentLab turns off (QT_NO_KEYWORDS) because they clash with LibTorch. Include QCustomPlot
// through this header: it lends the keywords for the include only.

#ifdef QT_NO_KEYWORDS
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h> // IWYU pragma: export
#undef signals
#undef slots
#undef emit
#undef foreach
#else
#include <qcustomplot.h> // IWYU pragma: export
#endif
