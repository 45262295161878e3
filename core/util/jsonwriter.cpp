#include "util/jsonwriter.h"

#include "util/jsonbytes.h"

#include <charconv>

namespace portcullis {

using nlohmann::json;

namespace {

// nlohmann's own output for what the fast paths do not cover.
void appendByNlohmann(std::string& out, const json& value) {
    out += value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void appendString(std::string& out, const std::string& s) {
    if (jsonbytes::plainPrefix(s.data(), s.size()) != s.size()) {
        appendByNlohmann(out, json(s)); // escapes, control characters, UTF-8 to check
        return;
    }
    out += '"';
    out += s;
    out += '"';
}

template <typename Integer> void appendInteger(std::string& out, Integer n) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    out.append(digits, static_cast<std::size_t>(end - digits));
}

} // namespace

void appendCompactJson(std::string& out, const json& value) {
    switch (value.type()) {
    case json::value_t::null:
        out += "null";
        return;
    case json::value_t::boolean:
        out += value.get<bool>() ? "true" : "false";
        return;
    case json::value_t::number_integer:
        appendInteger(out, value.get<json::number_integer_t>());
        return;
    case json::value_t::number_unsigned:
        appendInteger(out, value.get<json::number_unsigned_t>());
        return;
    case json::value_t::string:
        appendString(out, value.get_ref<const json::string_t&>());
        return;
    case json::value_t::object: {
        out += '{';
        bool first = true;
        for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
            if (!first)
                out += ',';
            first = false;
            appendString(out, key);
            out += ':';
            appendCompactJson(out, member);
        }
        out += '}';
        return;
    }
    case json::value_t::array: {
        out += '[';
        bool first = true;
        for (const json& element : value.get_ref<const json::array_t&>()) {
            if (!first)
                out += ',';
            first = false;
            appendCompactJson(out, element);
        }
        out += ']';
        return;
    }
    case json::value_t::number_float: // shortest round-trip digits: nlohmann's algorithm
    case json::value_t::binary:
    case json::value_t::discarded:
        appendByNlohmann(out, value);
        return;
    }
}

} // namespace portcullis
