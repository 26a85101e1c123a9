#pragma once
// Numbers as text for everything a program reads back (configurations, CSV, JSON, prior specs,
// command-line values). Never through the C library's locale: Qt sets it from the environment,
// and printf / strtod then write and expect "0,001" under a German or French locale.

#include <optional>
#include <string>
#include <string_view>

namespace latentlab {

// The shortest text that reads back to exactly `value` ("0.001", "1e-05", "100"); "nan",
// "inf" and "-inf" for the non-finite.
std::string formatNumber(double value);
// `significant` digits in the style of printf's %g ("0.00123", "1.5e+07").
std::string formatNumber(double value, int significant);

// `decimals` digits after the point, in the style of printf's %.Nf ("0.1235", "97.31").
std::string formatFixed(double value, int decimals);

// The whole of `text` as a number in C syntax (no locale, no surrounding space, no leading
// '+'), or nothing. Non-finite values ("nan", "inf", "1e999") give nothing.
std::optional<double> parseNumber(std::string_view text);
// The whole of `text` as a base-10 integer, or nothing (also when out of range).
std::optional<long long> parseInteger(std::string_view text);

} // namespace latentlab
