#include "model/numbers.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace latentlab {

std::string formatNumber(double value) {
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, result.ptr);
}

std::string formatNumber(double value, int significant) {
    char buf[64];
    const auto result =
        std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, significant);
    return std::string(buf, result.ptr);
}

std::string formatFixed(double value, int decimals) {
    if (!std::isfinite(value))
        return formatNumber(value);
    char buf[352]; // the longest double in fixed notation: 309 digits, sign, point, decimals
    const auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed,
                                      std::min(decimals, 17));
    return std::string(buf, result.ptr);
}

std::optional<double> parseNumber(std::string_view text) {
    double value = 0;
    const char *end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value);
    if (text.empty() || result.ec != std::errc() || result.ptr != end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<long long> parseInteger(std::string_view text) {
    long long value = 0;
    const char *end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value, 10);
    if (text.empty() || result.ec != std::errc() || result.ptr != end)
        return std::nullopt;
    return value;
}

} // namespace latentlab
