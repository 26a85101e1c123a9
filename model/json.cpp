#include "model/json.h"

#include "model/error.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace latentlab {

Json::Json(bool value)
    : type_(Type::Bool)
    , bool_(value) {}
Json::Json(int value)
    : type_(Type::Number)
    , number_(value) {}
Json::Json(int64_t value)
    : type_(Type::Number)
    , number_(static_cast<double>(value)) {}
Json::Json(double value)
    : type_(Type::Number)
    , number_(value) {}
Json::Json(const char *value)
    : type_(Type::String)
    , string_(value) {}
Json::Json(std::string value)
    : type_(Type::String)
    , string_(std::move(value)) {}

Json Json::array() {
    Json j;
    j.type_ = Type::Array;
    return j;
}

Json Json::object() {
    Json j;
    j.type_ = Type::Object;
    return j;
}

bool Json::toBool() const {
    return type_ == Type::Bool ? bool_ : number_ != 0;
}
double Json::toDouble() const {
    return type_ == Type::Number ? number_ : (bool_ ? 1.0 : 0.0);
}
int64_t Json::toInt() const {
    return static_cast<int64_t>(std::llround(toDouble()));
}
const std::string &Json::toString() const {
    return string_;
}

void Json::append(Json value) {
    type_ = Type::Array;
    items_.push_back(std::move(value));
}

void Json::set(const std::string &key, Json value) {
    type_ = Type::Object;
    for (auto &member : members_) {
        if (member.first == key) {
            member.second = std::move(value);
            return;
        }
    }
    members_.emplace_back(key, std::move(value));
}

bool Json::contains(const std::string &key) const {
    for (const auto &member : members_)
        if (member.first == key)
            return true;
    return false;
}

const Json &Json::operator[](const std::string &key) const {
    static const Json null;
    for (const auto &member : members_)
        if (member.first == key)
            return member.second;
    return null;
}

namespace {

void appendEscaped(std::string &out, const std::string &s) {
    out += '"';
    for (char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

std::string formatNumber(double v) {
    if (!std::isfinite(v))
        return "null"; // JSON has no NaN or infinity
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.0f", v);
        return buf;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

class Parser {
public:
    explicit Parser(const std::string &text)
        : s_(text) {}

    Json parseDocument() {
        Json value = parseValue();
        skipSpace();
        if (pos_ != s_.size())
            fail("unexpected text after the end of the document");
        return value;
    }

private:
    [[noreturn]] void fail(const std::string &what) const {
        throw Error("JSON: " + what + " at offset " + std::to_string(pos_) + ".");
    }

    void skipSpace() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r'))
            ++pos_;
    }

    bool consume(const char *word) {
        size_t n = std::char_traits<char>::length(word);
        if (s_.compare(pos_, n, word) == 0) {
            pos_ += n;
            return true;
        }
        return false;
    }

    Json parseValue() {
        skipSpace();
        if (pos_ >= s_.size())
            fail("unexpected end of text");
        char c = s_[pos_];
        if (c == '{')
            return parseObject();
        if (c == '[')
            return parseArray();
        if (c == '"')
            return Json(parseString());
        if (consume("true"))
            return Json(true);
        if (consume("false"))
            return Json(false);
        if (consume("null"))
            return Json();
        return parseNumber();
    }

    Json parseNumber() {
        const char *begin = s_.c_str() + pos_;
        char *end = nullptr;
        double v = std::strtod(begin, &end);
        if (end == begin)
            fail("expected a value");
        pos_ += static_cast<size_t>(end - begin);
        return Json(v);
    }

    std::string parseString() {
        ++pos_; // opening quote
        std::string out;
        while (pos_ < s_.size() && s_[pos_] != '"') {
            char c = s_[pos_++];
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= s_.size())
                break;
            char e = s_[pos_++];
            switch (e) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u': {
                if (pos_ + 4 > s_.size())
                    fail("truncated \\u escape");
                unsigned code = std::stoul(s_.substr(pos_, 4), nullptr, 16);
                pos_ += 4;
                if (code < 0x80) {
                    out += static_cast<char>(code);
                } else if (code < 0x800) {
                    out += static_cast<char>(0xC0 | (code >> 6));
                    out += static_cast<char>(0x80 | (code & 0x3F));
                } else {
                    out += static_cast<char>(0xE0 | (code >> 12));
                    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
                    out += static_cast<char>(0x80 | (code & 0x3F));
                }
                break;
            }
            default:
                out += e;
            }
        }
        if (pos_ >= s_.size())
            fail("unterminated string");
        ++pos_; // closing quote
        return out;
    }

    Json parseArray() {
        ++pos_;
        Json arr = Json::array();
        skipSpace();
        if (pos_ < s_.size() && s_[pos_] == ']') {
            ++pos_;
            return arr;
        }
        while (true) {
            arr.append(parseValue());
            skipSpace();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < s_.size() && s_[pos_] == ']') {
                ++pos_;
                return arr;
            }
            fail("expected ',' or ']'");
        }
    }

    Json parseObject() {
        ++pos_;
        Json obj = Json::object();
        skipSpace();
        if (pos_ < s_.size() && s_[pos_] == '}') {
            ++pos_;
            return obj;
        }
        while (true) {
            skipSpace();
            if (pos_ >= s_.size() || s_[pos_] != '"')
                fail("expected a key in quotes");
            std::string key = parseString();
            skipSpace();
            if (pos_ >= s_.size() || s_[pos_] != ':')
                fail("expected ':'");
            ++pos_;
            obj.set(key, parseValue());
            skipSpace();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < s_.size() && s_[pos_] == '}') {
                ++pos_;
                return obj;
            }
            fail("expected ',' or '}'");
        }
    }

    const std::string &s_;
    size_t pos_ = 0;
};

} // namespace

void Json::dumpTo(std::string &out, int indent, int depth) const {
    auto newline = [&](int d) {
        if (indent <= 0)
            return;
        out += '\n';
        out.append(static_cast<size_t>(indent * d), ' ');
    };
    switch (type_) {
    case Type::Null:
        out += "null";
        break;
    case Type::Bool:
        out += bool_ ? "true" : "false";
        break;
    case Type::Number:
        out += formatNumber(number_);
        break;
    case Type::String:
        appendEscaped(out, string_);
        break;
    case Type::Array:
        out += '[';
        for (size_t i = 0; i < items_.size(); ++i) {
            if (i)
                out += indent > 0 ? ", " : ",";
            items_[i].dumpTo(out, indent, depth + 1);
        }
        out += ']';
        break;
    case Type::Object:
        out += '{';
        for (size_t i = 0; i < members_.size(); ++i) {
            if (i)
                out += ',';
            newline(depth + 1);
            appendEscaped(out, members_[i].first);
            out += indent > 0 ? ": " : ":";
            members_[i].second.dumpTo(out, indent, depth + 1);
        }
        if (!members_.empty())
            newline(depth);
        out += '}';
        break;
    }
}

std::string Json::dump(int indent) const {
    std::string out;
    dumpTo(out, indent, 0);
    return out;
}

Json Json::parse(const std::string &text) {
    return Parser(text).parseDocument();
}

} // namespace latentlab
