#include "risk/namewords.h"

namespace portcullis {

namespace {

// ASCII only on purpose: std::isupper and friends depend on the C locale and are undefined for
// the negative chars of UTF-8 bytes. Non-ASCII bytes are treated as lower-case letters so a
// multi-byte character is never cut in half.
bool isUpper(char c) {
    return c >= 'A' && c <= 'Z';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isLower(char c) {
    return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
}
bool isWordChar(char c) {
    return isUpper(c) || isLower(c) || isDigit(c);
}
char toLower(char c) {
    return isUpper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

// True where a new word starts inside a run of letters and digits.
bool startsWord(std::string_view s, std::size_t i) {
    if (i == 0 || !isUpper(s[i]))
        return false;
    const char prev = s[i - 1];
    if (isLower(prev) || isDigit(prev))
        return true; // getUser, S3Bucket
    if (!isUpper(prev) || i + 1 >= s.size() || !isLower(s[i + 1]))
        return false;
    // HTTPServer splits before the S, but getUserIDs keeps "IDs" whole.
    const bool pluralOfAcronym = s[i + 1] == 's' && (i + 2 >= s.size() || !isLower(s[i + 2]));
    return !pluralOfAcronym;
}

} // namespace

std::vector<std::string> splitNameWords(std::string_view name) {
    std::vector<std::string> words;
    std::string current;
    auto flush = [&] {
        if (!current.empty())
            words.push_back(std::move(current));
        current.clear();
    };
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (!isWordChar(c)) {
            flush();
            continue;
        }
        if (startsWord(name, i))
            flush();
        current.push_back(toLower(c));
    }
    flush();
    return words;
}

std::vector<std::string> splitProseWords(std::string_view text) {
    std::vector<std::string> words;
    std::string current;
    auto flush = [&] {
        if (!current.empty())
            words.push_back(std::move(current));
        current.clear();
    };
    for (const char c : text) {
        if (isWordChar(c) || (c == '\'' && !current.empty())) {
            current.push_back(toLower(c));
            continue;
        }
        flush();
        if (c == '/')
            words.emplace_back("or");
    }
    flush();
    return words;
}

bool isCamelCase(std::string_view word) {
    if (word.size() < 4 || !isUpper(word[0]))
        return false;
    bool lowerSeen = false;
    for (std::size_t i = 1; i < word.size(); ++i) {
        if (isLower(word[i]))
            lowerSeen = true;
        else if (isUpper(word[i]) && lowerSeen)
            return true;
    }
    return false;
}

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = toLower(c);
    return out;
}

} // namespace portcullis
