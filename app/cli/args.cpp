#include "args.h"

#include "model/numbers.h"

#include <iostream>
#include <sstream>

namespace latentlab::cli {

Args::Args(std::string command, std::string synopsis, std::string description)
    : command_(std::move(command))
    , synopsis_(std::move(synopsis))
    , description_(std::move(description)) {}

void Args::option(const std::string &name, const std::string &valueName, const std::string &help,
                  const std::string &defaultValue) {
    specs_.push_back({name, valueName, help, defaultValue, false});
}

void Args::flag(const std::string &name, const std::string &help) {
    specs_.push_back({name, "", help, "", true});
}

const Args::Spec *Args::find(const std::string &name) const {
    for (const auto &s : specs_)
        if (s.name == name)
            return &s;
    return nullptr;
}

bool Args::parse(int argc, char **argv) {
    for (int i = 0; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << help();
            return false;
        }
        if (arg.rfind("--", 0) != 0)
            throw UsageError("unexpected argument '" + arg + "'");
        std::string name = arg.substr(2), value;
        bool inlineValue = false;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inlineValue = true;
        }
        const Spec *spec = find(name);
        if (!spec)
            throw UsageError("unknown option --" + name);
        if (spec->isFlag) {
            if (inlineValue)
                throw UsageError("--" + name + " takes no value");
            value = "1";
        } else if (!inlineValue) {
            if (i + 1 >= argc)
                throw UsageError("--" + name + " needs a value (" + spec->valueName + ")");
            value = argv[++i];
        }
        if (values_.count(name))
            throw UsageError("--" + name + " is given twice");
        values_[name] = value;
    }
    return true;
}

bool Args::has(const std::string &name) const {
    return values_.count(name) > 0;
}

std::string Args::text(const std::string &name) const {
    if (auto it = values_.find(name); it != values_.end())
        return it->second;
    const Spec *spec = find(name);
    return spec ? spec->defaultValue : std::string();
}

std::string Args::required(const std::string &name) const {
    if (!has(name))
        throw UsageError("--" + name + " is required");
    return text(name);
}

long long Args::integer(const std::string &name, long long min, long long max) const {
    const std::string s = text(name);
    const std::optional<long long> parsed = parseInteger(s);
    if (!parsed)
        throw UsageError("--" + name + ": '" + s + "' is not a whole number");
    const long long v = *parsed;
    if (v < min || v > max)
        throw UsageError("--" + name + ": " + s + " is out of range (" + std::to_string(min) +
                         " to " + std::to_string(max) + ")");
    return v;
}

double Args::number(const std::string &name, double min, double max) const {
    const std::string s = text(name);
    const std::optional<double> v = parseNumber(s);
    if (!v)
        throw UsageError("--" + name + ": '" + s +
                         "' is not a number (write decimals with a point)");
    if (*v < min || *v > max)
        throw UsageError("--" + name + ": " + s + " is out of range (" + formatNumber(min) +
                         " to " + formatNumber(max) + ")");
    return *v;
}

std::string Args::help() const {
    std::ostringstream out;
    out << "Usage: latentlab-cli " << command_ << ' ' << synopsis_ << "\n\n"
        << description_ << "\n\nOptions:\n";
    for (const auto &s : specs_) {
        std::string left = "  --" + s.name + (s.isFlag ? "" : " " + s.valueName);
        out << left;
        out << std::string(left.size() < 30 ? 30 - left.size() : 1, ' ') << s.help;
        if (!s.defaultValue.empty())
            out << " (default: " << s.defaultValue << ")";
        out << '\n';
    }
    out << "  --help                      show this help\n";
    return out.str();
}

} // namespace latentlab::cli
