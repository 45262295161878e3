#include "util/jsondocument.h"

#include "util/hexdigit.h"
#include "util/jsonbytes.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

namespace portcullis {

using nlohmann::json;

namespace {

// Reads values from text known to be valid JSON, so it never has to report an error of
// grammar; nesting is followed with an explicit stack, never recursion.
class DocumentBuilder {
public:
    explicit DocumentBuilder(std::string_view text)
        : m_text(text) {}

    std::optional<json> build();

private:
    char at(std::size_t i) const { return i < m_text.size() ? m_text[i] : '\0'; }
    void skipSpace() {
        while (m_pos < m_text.size() && jsonbytes::isSpace(m_text[m_pos]))
            ++m_pos;
    }
    unsigned hex4() { // valid text: four hex digits
        unsigned value = 0;
        for (int k = 0; k < 4; ++k)
            value = (value << 4) | static_cast<unsigned>(hexDigit(m_text[m_pos++]));
        return value;
    }
    static void appendUtf8(std::string& out, unsigned codePoint);
    std::string string();
    std::optional<json> number();
    json* place(json&& value);

    std::string_view m_text;
    std::size_t m_pos = 0;
    json m_root;
    std::vector<json*> m_open; // the containers being filled, innermost last
    std::string m_key;         // the key of the member whose value comes next
};

void DocumentBuilder::appendUtf8(std::string& out, unsigned codePoint) {
    if (codePoint < 0x80) {
        out += static_cast<char>(codePoint);
    } else if (codePoint < 0x800) {
        out += static_cast<char>(0xC0 | (codePoint >> 6));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
        out += static_cast<char>(0xE0 | (codePoint >> 12));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (codePoint >> 18));
        out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    }
}

// m_pos is on the opening quote. Raw bytes are copied a run at a time: the text's UTF-8 is
// already known to be valid.
std::string DocumentBuilder::string() {
    std::string out;
    ++m_pos;
    for (;;) {
        const std::size_t run =
            jsonbytes::plainPrefix(m_text.data() + m_pos, m_text.size() - m_pos);
        out.append(m_text.data() + m_pos, run);
        m_pos += run;
        const char c = m_text[m_pos];
        if (c == '"') {
            ++m_pos;
            return out;
        }
        if (c != '\\') {
            out += c; // a byte of a UTF-8 sequence
            ++m_pos;
            continue;
        }
        const char kind = m_text[m_pos + 1];
        m_pos += 2;
        if (kind != 'u') {
            out += jsonbytes::unescaped(kind);
            continue;
        }
        unsigned unit = hex4();
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            m_pos += 2; // the "\u" of the low surrogate that must follow
            const unsigned low = hex4();
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        }
        appendUtf8(out, unit);
    }
}

// Integers as nlohmann stores them; anything else (fractions, exponents, integers beyond 64
// bits) is read by nlohmann itself, so doubles come out exactly as it rounds them.
std::optional<json> DocumentBuilder::number() {
    const std::size_t begin = m_pos;
    bool integer = true;
    for (;; ++m_pos) {
        const char c = at(m_pos);
        if (c >= '0' && c <= '9')
            continue;
        if (c == '.' || c == 'e' || c == 'E' || c == '+')
            integer = false;
        else if (c != '-')
            break;
    }
    const char* first = m_text.data() + begin;
    const char* last = m_text.data() + m_pos;
    if (integer) {
        if (*first == '-') {
            std::int64_t value = 0;
            if (const auto r = std::from_chars(first, last, value); r.ec == std::errc())
                return json(static_cast<json::number_integer_t>(value));
        } else {
            std::uint64_t value = 0;
            if (const auto r = std::from_chars(first, last, value); r.ec == std::errc())
                return json(static_cast<json::number_unsigned_t>(value));
        }
    }
    json value = json::parse(std::string_view(first, m_pos - begin), nullptr, false);
    if (value.is_discarded())
        return std::nullopt; // too large for a double
    return value;
}

// Puts a value where the text has it: the document itself, the next element of the array
// being filled, or the value of the member whose key was just read (replacing an earlier one
// of the same key, as nlohmann does). Returns where it now lives.
json* DocumentBuilder::place(json&& value) {
    if (m_open.empty()) {
        m_root = std::move(value);
        return &m_root;
    }
    json& container = *m_open.back();
    if (container.is_array()) {
        auto& elements = container.get_ref<json::array_t&>();
        elements.push_back(std::move(value));
        return &elements.back();
    }
    auto& members = container.get_ref<json::object_t&>();
    return &members.insert_or_assign(std::move(m_key), std::move(value)).first->second;
}

std::optional<json> DocumentBuilder::build() {
    m_pos = jsonbytes::bomLength(m_text);
    enum class Expect { Value, Key, AfterValue };
    Expect expect = Expect::Value;
    for (;;) {
        skipSpace();
        const char c = at(m_pos);
        switch (expect) {
        case Expect::Value:
            if (c == '{' || c == '[') {
                // Elements of an array that holds this container are not added to while it is
                // open, so the pointer stays good until it is closed.
                m_open.push_back(
                    place(json(c == '{' ? json::value_t::object : json::value_t::array)));
                ++m_pos;
                skipSpace();
                if (at(m_pos) == (c == '{' ? '}' : ']')) {
                    ++m_pos;
                    m_open.pop_back();
                    expect = Expect::AfterValue;
                } else {
                    expect = c == '{' ? Expect::Key : Expect::Value;
                }
                break;
            }
            if (c == '"') {
                place(json(string()));
            } else if (c == 't') {
                place(json(true));
                m_pos += 4;
            } else if (c == 'f') {
                place(json(false));
                m_pos += 5;
            } else if (c == 'n') {
                place(json(nullptr));
                m_pos += 4;
            } else {
                auto value = number();
                if (!value)
                    return std::nullopt;
                place(std::move(*value));
            }
            expect = Expect::AfterValue;
            break;
        case Expect::Key:
            m_key = string();
            skipSpace();
            ++m_pos; // ':'
            expect = Expect::Value;
            break;
        case Expect::AfterValue:
            if (m_open.empty())
                return std::move(m_root);
            ++m_pos; // ',' or the container's end
            if (c == ',') {
                expect = m_open.back()->is_object() ? Expect::Key : Expect::Value;
            } else {
                m_open.pop_back();
            }
            break;
        }
    }
}

} // namespace

std::optional<json> documentOfValidJson(std::string_view validJson) {
    return DocumentBuilder(validJson).build();
}

} // namespace portcullis
