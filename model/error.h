#pragma once
// The one exception type model/ throws for problems a person can act on (a bad file, a bad
// option, a checkpoint of another model). Its message is a complete sentence that names the
// file or option at fault; callers show it as it is.

#include <stdexcept>
#include <string>

namespace latentlab {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string &message)
        : std::runtime_error(message) {}
};

} // namespace latentlab
