#include "util/jsonvalidation.h"

#include "util/hexdigit.h"
#include "util/jsonbytes.h"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace portcullis {

namespace {

class Validator {
public:
    explicit Validator(std::string_view text)
        : m_text(text) {}

    // Members of objects at most `depth` deep go to `onMember`.
    void reportMembers(int depth, const std::function<void(const JsonMember&)>& onMember) {
        m_memberDepth = static_cast<std::size_t>(depth < 0 ? 0 : depth);
        m_onMember = &onMember;
        m_open.resize(m_memberDepth);
    }
    bool run(int maxDepth);

private:
    unsigned char at(std::size_t i) const {
        return i < m_text.size() ? static_cast<unsigned char>(m_text[i]) : 0;
    }
    void skipSpace() {
        while (m_pos < m_text.size() && jsonbytes::isSpace(m_text[m_pos]))
            ++m_pos;
    }
    bool literal(std::string_view word) {
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }
    bool digits() {
        const std::size_t start = m_pos;
        while (at(m_pos) >= '0' && at(m_pos) <= '9')
            ++m_pos;
        return m_pos > start;
    }
    bool number();
    bool string();
    bool escape();
    bool hex4(unsigned& out);
    bool utf8Sequence();
    bool scalar();

    // The member being read in each reported object: its key, then where its value starts.
    struct OpenMember {
        std::size_t keyBegin = 0;
        std::size_t keyEnd = 0;
        std::size_t valueBegin = 0;
    };

    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_memberDepth = 0;
    const std::function<void(const JsonMember&)>* m_onMember = nullptr;
    std::vector<OpenMember> m_open;
};

bool Validator::number() {
    if (at(m_pos) == '-')
        ++m_pos;
    if (at(m_pos) == '0')
        ++m_pos; // a leading zero stands alone: "01" is two tokens, and so invalid
    else if (!digits())
        return false;
    if (at(m_pos) == '.') {
        ++m_pos;
        if (!digits())
            return false;
    }
    if (at(m_pos) == 'e' || at(m_pos) == 'E') {
        ++m_pos;
        if (at(m_pos) == '+' || at(m_pos) == '-')
            ++m_pos;
        if (!digits())
            return false;
    }
    return true;
}

bool Validator::hex4(unsigned& out) {
    out = 0;
    for (int k = 0; k < 4; ++k) {
        const int digit = m_pos < m_text.size() ? hexDigit(m_text[m_pos]) : -1;
        ++m_pos;
        if (digit < 0)
            return false;
        out = (out << 4) | static_cast<unsigned>(digit);
    }
    return true;
}

// m_pos is on the backslash.
bool Validator::escape() {
    ++m_pos;
    switch (at(m_pos++)) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return true;
    case 'u': {
        unsigned unit = 0;
        if (!hex4(unit))
            return false;
        if (unit >= 0xDC00 && unit <= 0xDFFF)
            return false; // a low surrogate with no high one before it
        if (unit < 0xD800 || unit > 0xDBFF)
            return true;
        // A high surrogate names a character only with a low one right after it.
        if (at(m_pos) != '\\' || at(m_pos + 1) != 'u')
            return false;
        m_pos += 2;
        unsigned low = 0;
        return hex4(low) && low >= 0xDC00 && low <= 0xDFFF;
    }
    default:
        return false;
    }
}

// One UTF-8 encoded character of two to four bytes (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF); m_pos is on its first byte.
bool Validator::utf8Sequence() {
    const unsigned char lead = at(m_pos);
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    int continuation = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        continuation = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuation = 2;
        if (lead == 0xE0)
            low = 0xA0;
        else if (lead == 0xED)
            high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuation = 3;
        if (lead == 0xF0)
            low = 0x90;
        else if (lead == 0xF4)
            high = 0x8F;
    } else {
        return false;
    }
    // Only the first continuation byte has a narrowed range; the others are 80..BF.
    const unsigned char first = at(m_pos + 1);
    if (first < low || first > high)
        return false;
    for (int k = 2; k <= continuation; ++k) {
        const unsigned char c = at(m_pos + static_cast<std::size_t>(k));
        if (c < 0x80 || c > 0xBF)
            return false;
    }
    m_pos += static_cast<std::size_t>(continuation) + 1;
    return true;
}

// m_pos is on the opening quote.
bool Validator::string() {
    ++m_pos;
    for (;;) {
        m_pos += jsonbytes::plainPrefix(m_text.data() + m_pos, m_text.size() - m_pos);
        const unsigned char c = at(m_pos);
        if (m_pos >= m_text.size() || c < 0x20)
            return false; // unterminated, or a control character written raw
        if (c == '"') {
            ++m_pos;
            return true;
        }
        if (c == '\\') {
            if (!escape())
                return false;
        } else if (!utf8Sequence()) {
            return false;
        }
    }
}

// Any value but an object or an array.
bool Validator::scalar() {
    switch (at(m_pos)) {
    case '"':
        return string();
    case 't':
        return literal("true");
    case 'f':
        return literal("false");
    case 'n':
        return literal("null");
    default:
        return m_pos < m_text.size() && number();
    }
}

bool Validator::run(int maxDepth) {
    m_pos = jsonbytes::bomLength(m_text);
    // The open containers, innermost last; a fixed buffer covers every ordinary document.
    std::array<char, 64> shallow{};
    std::string deep;
    std::size_t depth = 0;
    const auto push = [&](char open) {
        if (depth < shallow.size()) {
            shallow[depth] = open;
        } else {
            if (deep.size() < depth - shallow.size() + 1)
                deep.resize(depth - shallow.size() + 1);
            deep[depth - shallow.size()] = open;
        }
        ++depth;
    };
    const auto innermost = [&] {
        return depth <= shallow.size() ? shallow[depth - 1] : deep[depth - 1 - shallow.size()];
    };

    // Whether the value being read, or just read, is a member of an object that is reported.
    const auto inReportedObject = [&] {
        return depth >= 1 && depth <= m_memberDepth && innermost() == '{';
    };
    const auto valueDone = [&] {
        if (!inReportedObject())
            return;
        const OpenMember& open = m_open[depth - 1];
        (*m_onMember)(JsonMember{static_cast<int>(depth),
                                 m_text.substr(open.keyBegin, open.keyEnd - open.keyBegin),
                                 open.valueBegin, m_pos});
    };

    enum class Expect { Value, Key, AfterValue };
    Expect expect = Expect::Value;
    for (;;) {
        skipSpace();
        const unsigned char c = at(m_pos);
        switch (expect) {
        case Expect::Value:
            if (inReportedObject())
                m_open[depth - 1].valueBegin = m_pos;
            if (c == '{' || c == '[') {
                if (maxDepth < 0 || depth >= static_cast<std::size_t>(maxDepth))
                    return false;
                push(static_cast<char>(c));
                ++m_pos;
                skipSpace();
                if (at(m_pos) == (c == '{' ? '}' : ']')) {
                    ++m_pos;
                    --depth;
                    valueDone();
                    expect = Expect::AfterValue;
                } else {
                    expect = c == '{' ? Expect::Key : Expect::Value;
                }
            } else {
                if (!scalar())
                    return false;
                valueDone();
                expect = Expect::AfterValue;
            }
            break;
        case Expect::Key: {
            const std::size_t keyBegin = m_pos;
            if (c != '"' || !string())
                return false;
            if (depth <= m_memberDepth)
                m_open[depth - 1] = OpenMember{keyBegin, m_pos, 0};
            skipSpace();
            if (at(m_pos) != ':')
                return false;
            ++m_pos;
            expect = Expect::Value;
            break;
        }
        case Expect::AfterValue:
            if (depth == 0)
                return m_pos == m_text.size();
            if (c == ',') {
                ++m_pos;
                expect = innermost() == '{' ? Expect::Key : Expect::Value;
            } else if (c == (innermost() == '{' ? '}' : ']')) {
                ++m_pos;
                --depth;
                valueDone();
            } else {
                return false;
            }
            break;
        }
    }
}

} // namespace

bool isValidJson(std::string_view text, int maxDepth) {
    return Validator(text).run(maxDepth);
}

bool isValidJson(std::string_view text, int maxDepth, int memberDepth,
                 const std::function<void(const JsonMember&)>& onMember) {
    Validator validator(text);
    validator.reportMembers(memberDepth, onMember);
    return validator.run(maxDepth);
}

} // namespace portcullis
