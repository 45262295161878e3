#include "util/jsontext.h"

#include "util/jsonbytes.h"

#include <unordered_set>

namespace portcullis {

TextPosition positionOfOffset(std::string_view text, std::size_t offset) {
    TextPosition pos;
    const std::size_t end = offset < text.size() ? offset : text.size();
    for (std::size_t i = 0; i < end; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((c & 0xC0) != 0x80) { // continuation bytes belong to the previous character
            ++pos.column;
        }
    }
    return pos;
}

std::optional<std::size_t> firstOffsetDeeperThan(std::string_view text, int maxDepth) {
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > maxDepth)
                return i;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return std::nullopt;
}

std::string childPath(const std::string& parent, std::string_view key) {
    if (parent.empty())
        return std::string(key);
    std::string out;
    out.reserve(parent.size() + 1 + key.size());
    out += parent;
    out += '.';
    out += key;
    return out;
}

std::string indexPath(const std::string& parent, std::size_t index) {
    return parent + '[' + std::to_string(index) + ']';
}

namespace {

// A recursive-descent walk that trusts its input to be valid JSON (it was parsed before).
// Depth is bounded by the caller's parser, which rejects deep documents first.
class Indexer {
public:
    explicit Indexer(std::string_view text)
        : m_text(text) {}

    // positions may be null: then only duplicates are collected.
    void run(std::unordered_map<std::string, TextPosition>* positions,
             std::vector<std::string>& duplicates) {
        m_positions = positions;
        m_duplicates = &duplicates;
        skipSpace();
        value(std::string());
    }

private:
    void skipSpace() {
        while (m_at < m_text.size()) {
            const char c = m_text[m_at];
            if (c == '\n') {
                ++m_line;
                m_column = 1;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                ++m_column;
            } else {
                return;
            }
            ++m_at;
        }
    }

    void advance() {
        if ((static_cast<unsigned char>(m_text[m_at]) & 0xC0) != 0x80)
            ++m_column;
        ++m_at;
    }

    TextPosition here() const { return {m_line, m_column}; }

    std::string stringToken() {
        std::string raw;
        advance(); // opening quote
        while (m_at < m_text.size() && m_text[m_at] != '"') {
            if (m_text[m_at] == '\\') {
                raw += m_text[m_at];
                advance();
            }
            if (m_at < m_text.size()) {
                raw += m_text[m_at];
                advance();
            }
        }
        if (m_at < m_text.size())
            advance(); // closing quote
        return unescapeSimple(raw);
    }

    // Keys in policies are plain names; escapes other than \uXXXX are decoded, \uXXXX is left
    // as written, which only affects where an error is pointed, never whether it is found.
    static std::string unescapeSimple(const std::string& raw) {
        if (raw.find('\\') == std::string::npos)
            return raw;
        std::string out;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '\\' || i + 1 >= raw.size()) {
                out += raw[i];
                continue;
            }
            const char e = raw[++i];
            if (e == 'u')
                out += "\\u";
            else
                out += jsonbytes::unescaped(e);
        }
        return out;
    }

    void value(const std::string& path) {
        if (m_at >= m_text.size())
            return;
        if (m_positions)
            m_positions->try_emplace(path, here());
        const char c = m_text[m_at];
        if (c == '{') {
            object(path);
        } else if (c == '[') {
            array(path);
        } else if (c == '"') {
            stringToken();
        } else {
            while (m_at < m_text.size() && m_text[m_at] != ',' && m_text[m_at] != '}' &&
                   m_text[m_at] != ']' && m_text[m_at] != ' ' && m_text[m_at] != '\n' &&
                   m_text[m_at] != '\t' && m_text[m_at] != '\r')
                advance();
        }
    }

    void object(const std::string& path) {
        advance(); // {
        std::unordered_set<std::string> seen;
        skipSpace();
        while (m_at < m_text.size() && m_text[m_at] != '}') {
            const TextPosition keyPos = here();
            const std::string key = stringToken();
            const std::string member = childPath(path, key);
            if (!seen.insert(key).second)
                m_duplicates->push_back(member);
            // The key's own position is the useful one for "unknown key" and for any value error.
            if (m_positions)
                (*m_positions)[member] = keyPos;
            skipSpace();
            if (m_at < m_text.size())
                advance(); // :
            skipSpace();
            valueKeepingKeyPosition(member);
            skipSpace();
            if (m_at < m_text.size() && m_text[m_at] == ',') {
                advance();
                skipSpace();
            }
        }
        if (m_at < m_text.size())
            advance(); // }
    }

    void valueKeepingKeyPosition(const std::string& member) {
        // value() would record the value's position under the same path; the key's wins.
        if (!m_positions) {
            value(member);
            return;
        }
        const TextPosition keyPos = (*m_positions)[member];
        value(member);
        (*m_positions)[member] = keyPos;
    }

    void array(const std::string& path) {
        advance(); // [
        skipSpace();
        std::size_t index = 0;
        while (m_at < m_text.size() && m_text[m_at] != ']') {
            value(indexPath(path, index++));
            skipSpace();
            if (m_at < m_text.size() && m_text[m_at] == ',') {
                advance();
                skipSpace();
            }
        }
        if (m_at < m_text.size())
            advance(); // ]
    }

    std::string_view m_text;
    std::size_t m_at = 0;
    int m_line = 1;
    int m_column = 1;
    std::unordered_map<std::string, TextPosition>* m_positions = nullptr;
    std::vector<std::string>* m_duplicates = nullptr;
};

} // namespace

JsonLocations JsonLocations::index(std::string_view validJson, Detail detail) {
    JsonLocations out;
    Indexer(validJson).run(detail == Detail::Positions ? &out.m_positions : nullptr,
                           out.m_duplicates);
    return out;
}

TextPosition JsonLocations::locate(const std::string& path) const {
    std::string p = path;
    while (true) {
        if (auto it = m_positions.find(p); it != m_positions.end())
            return it->second;
        if (p.empty())
            return {};
        const auto cut = p.find_last_of(".[");
        p = cut == std::string::npos ? std::string() : p.substr(0, cut);
    }
}

} // namespace portcullis
