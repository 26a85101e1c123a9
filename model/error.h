#pragma once
// The one exception type model/ throws for problems a person can act on (a bad file, a bad
// option, a checkpoint of another model). Its message is a complete sentence that names the
// file or option at fault; callers show it as it is.

#include <exception>
#include <stdexcept>
#include <string>

namespace latentlab {

// One line of why LibTorch (or anything else) failed, without a c10::Error's C++ backtrace or
// TorchScript's traceback: the first line; with `lastLine`, for a method that failed in the
// TorchScript interpreter, the last non-empty line ("RuntimeError: ...", after the traceback).
std::string oneLine(const std::exception &e, bool lastLine = false);

class Error : public std::runtime_error {
public:
    explicit Error(const std::string &message)
        : std::runtime_error(message) {}
};

} // namespace latentlab
