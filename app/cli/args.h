#pragma once
// A small command-line option parser for latentlab-cli: "--name value" or "--name=value"
// options and "--flag" switches, with typed getters that answer bad values in one sentence.

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace latentlab::cli {

// A mistake in how the command was called: printed on one line, exit status 2.
class UsageError : public std::runtime_error {
public:
    explicit UsageError(const std::string &message)
        : std::runtime_error(message) {}
};

class Args {
public:
    Args(std::string command, std::string synopsis, std::string description);

    void option(const std::string &name, const std::string &valueName, const std::string &help,
                const std::string &defaultValue = {});
    void flag(const std::string &name, const std::string &help);

    // Returns false when --help was asked for (the help is printed then). Throws UsageError.
    bool parse(int argc, char **argv);

    bool has(const std::string &name) const;         // given on the command line
    std::string text(const std::string &name) const; // given value or the default
    std::string required(const std::string &name) const;
    long long integer(const std::string &name, long long min, long long max) const;
    double number(const std::string &name, double min, double max) const;

    std::string help() const;

private:
    struct Spec {
        std::string name, valueName, help, defaultValue;
        bool isFlag = false;
    };
    const Spec *find(const std::string &name) const;

    std::string command_, synopsis_, description_;
    std::vector<Spec> specs_;
    std::map<std::string, std::string> values_;
};

} // namespace latentlab::cli
