#pragma once
// A small JSON value type for the files LatentLab writes itself (config.json, the checkpoint
// header, results.json): objects keep their keys in insertion order so output reads naturally.
// Parsing throws latentlab::Error with the offset of the first problem.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace latentlab {

class Json {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    Json() = default;
    Json(bool value);
    Json(int value);
    Json(int64_t value);
    Json(double value);
    Json(const char *value);
    Json(std::string value);

    static Json array();
    static Json object();

    Type type() const { return type_; }
    bool isNull() const { return type_ == Type::Null; }
    bool isObject() const { return type_ == Type::Object; }

    bool toBool() const;
    double toDouble() const;
    int64_t toInt() const;
    const std::string &toString() const;

    // Arrays.
    void append(Json value);
    const std::vector<Json> &items() const { return items_; }

    // Objects. set() replaces an existing key in place.
    void set(const std::string &key, Json value);
    bool contains(const std::string &key) const;
    const Json &operator[](const std::string &key) const; // a Null value when absent
    const std::vector<std::pair<std::string, Json>> &members() const { return members_; }

    std::string dump(int indent = 2) const;
    static Json parse(const std::string &text); // throws Error

private:
    void dumpTo(std::string &out, int indent, int depth) const;

    Type type_ = Type::Null;
    bool bool_ = false;
    double number_ = 0;
    std::string string_;
    std::vector<Json> items_;
    std::vector<std::pair<std::string, Json>> members_;
};

} // namespace latentlab
