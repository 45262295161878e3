#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

// Byte-level pieces shared by the JSON readers (the validator, the document builder, the span
// reader) and the writer, so they agree on what whitespace, a byte order mark and plain string
// content are.
namespace portcullis::jsonbytes {

// JSON's four whitespace characters (RFC 8259); nothing else counts between tokens.
inline bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The length of the UTF-8 byte order mark that starts `text`, if it does: parsers accept one
// before the value (nlohmann does), so every reader skips it the same way.
inline std::size_t bomLength(std::string_view text) {
    return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

// Bytes a JSON string may hold as they are and that need no further look: printable ASCII
// other than '"' and '\\'. Control characters, escapes, the closing quote and UTF-8
// sequences stop a scan.
inline constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c)
        plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return plain;
}();

// How many of the `n` bytes at `p` are plain (see kPlain) before the first that is not. Most
// of an MCP message is string content, so eight bytes are tested at once: a block's flags mark
// each byte that is '"' or '\\', below 0x20 or above 0x7F, and the lowest flag is the first
// such byte (the tricks below can also flag bytes above a flagged one, never below).
inline std::size_t plainPrefix(const char* p, std::size_t n) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t x = 0;
        std::memcpy(&x, p + i, 8);
        const std::uint64_t quote = x ^ (ones * '"');
        const std::uint64_t backslash = x ^ (ones * '\\');
        // (v - ones) & ~v sets a byte's high bit where v has a zero byte; (x - 0x20 ones) & ~x
        // where x has a byte below 0x20; x itself where a byte is above 0x7F.
        const std::uint64_t special =
            (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
             ((x - ones * 0x20) & ~x) | x) &
            highs;
        if (special != 0) {
            // Little-endian: the first byte in memory is the lowest.
            if constexpr (std::endian::native == std::endian::little)
                return i + static_cast<std::size_t>(std::countr_zero(special) / 8);
            break;
        }
    }
    while (i < n && kPlain[static_cast<unsigned char>(p[i])])
        ++i;
    return i;
}

// The character a one-letter escape stands for: '\\n' for 'n' and so on; '"', '\\' and '/'
// stand for themselves. (\u escapes are the caller's business.)
inline char unescaped(char kind) {
    switch (kind) {
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return kind;
    }
}

} // namespace portcullis::jsonbytes
