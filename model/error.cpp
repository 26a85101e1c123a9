#include "model/error.h"

#include <c10/util/Exception.h>

namespace latentlab {

std::string oneLine(const std::exception &e, bool lastLine) {
    const auto *c10 = dynamic_cast<const c10::Error *>(&e);
    const std::string text = c10 ? c10->what_without_backtrace() : e.what();
    if (c10 || !lastLine)
        return text.substr(0, text.find('\n'));
    const size_t end = text.find_last_not_of(" \n");
    if (end == std::string::npos)
        return "no reason given";
    const size_t newline = text.rfind('\n', end);
    const size_t begin = newline == std::string::npos ? 0 : newline + 1;
    return text.substr(begin, end + 1 - begin);
}

} // namespace latentlab
