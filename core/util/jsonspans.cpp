#include "util/jsonspans.h"

#include "util/jsonbytes.h"

#include <nlohmann/json.hpp>

namespace portcullis::jsonspans {

namespace {

using jsonbytes::isSpace;

std::size_t skipSpace(std::string_view t, std::size_t i) {
    while (i < t.size() && isSpace(t[i]))
        ++i;
    return i;
}

// t[i] is the opening quote; returns one past the closing quote.
std::size_t skipString(std::string_view t, std::size_t i) {
    for (++i; i < t.size(); ++i) {
        i += jsonbytes::plainPrefix(t.data() + i, t.size() - i);
        if (i >= t.size())
            break;
        if (t[i] == '\\')
            ++i;
        else if (t[i] == '"')
            return i + 1;
    }
    return t.size();
}

// t[i] starts a value; returns one past its end. Containers are skipped by counting brackets
// outside strings, without recursion.
std::size_t skipValue(std::string_view t, std::size_t i) {
    if (i >= t.size())
        return i;
    if (t[i] == '"')
        return skipString(t, i);
    if (t[i] != '{' && t[i] != '[') {
        while (i < t.size() && !isSpace(t[i]) && t[i] != ',' && t[i] != '}' && t[i] != ']')
            ++i;
        return i;
    }
    int depth = 0;
    while (i < t.size()) {
        const char c = t[i];
        if (c == '"') {
            i = skipString(t, i);
            continue;
        }
        if (c == '{' || c == '[')
            ++depth;
        else if ((c == '}' || c == ']') && --depth == 0)
            return i + 1;
        ++i;
    }
    return i;
}

// The decoded text of the string token t[begin, end).
std::string keyText(std::string_view token) {
    if (token.find('\\') == std::string_view::npos)
        return std::string(token.substr(1, token.size() - 2));
    const auto decoded = nlohmann::json::parse(token, nullptr, false);
    return decoded.is_string() ? decoded.get<std::string>() : std::string();
}

std::optional<Span> memberValueAt(std::string_view t, std::size_t i, std::string_view key) {
    i = skipSpace(t, i);
    if (i >= t.size() || t[i] != '{')
        return std::nullopt;
    std::optional<Span> found;
    i = skipSpace(t, i + 1);
    while (i < t.size() && t[i] == '"') {
        const std::size_t keyEnd = skipString(t, i);
        const bool match = keyText(t.substr(i, keyEnd - i)) == key;
        i = skipSpace(t, keyEnd);
        if (i >= t.size() || t[i] != ':')
            return std::nullopt;
        const std::size_t valueBegin = skipSpace(t, i + 1);
        const std::size_t valueEnd = skipValue(t, valueBegin);
        if (match)
            found = Span{valueBegin, valueEnd}; // the last one wins, as in the DOM
        i = skipSpace(t, valueEnd);
        if (i < t.size() && t[i] == ',')
            i = skipSpace(t, i + 1);
    }
    return found;
}

// A parser accepts a UTF-8 byte order mark before the value; so must the spans.
std::size_t valueStart(std::string_view t) {
    return skipSpace(t, jsonbytes::bomLength(t));
}

} // namespace

std::optional<Span> memberValue(std::string_view validObject, std::string_view key) {
    return memberValueAt(validObject, valueStart(validObject), key);
}

std::optional<std::vector<std::string_view>>
arrayElements(std::string_view validJson, const std::vector<std::string_view>& path) {
    std::size_t at = valueStart(validJson);
    for (std::string_view key : path) {
        const auto span = memberValueAt(validJson, at, key);
        if (!span)
            return std::nullopt;
        at = span->begin;
    }
    if (at >= validJson.size() || validJson[at] != '[')
        return std::nullopt;
    std::vector<std::string_view> out;
    std::size_t i = skipSpace(validJson, at + 1);
    while (i < validJson.size() && validJson[i] != ']') {
        const std::size_t end = skipValue(validJson, i);
        out.push_back(validJson.substr(i, end - i));
        i = skipSpace(validJson, end);
        if (i < validJson.size() && validJson[i] == ',')
            i = skipSpace(validJson, i + 1);
        else
            break;
    }
    return out;
}

std::string minify(std::string_view validJson) {
    std::string out;
    out.reserve(validJson.size());
    for (std::size_t i = 0; i < validJson.size();) {
        if (validJson[i] == '"') {
            const std::size_t end = skipString(validJson, i);
            out.append(validJson.substr(i, end - i));
            i = end;
        } else {
            if (!isSpace(validJson[i]))
                out.push_back(validJson[i]);
            ++i;
        }
    }
    return out;
}

} // namespace portcullis::jsonspans
