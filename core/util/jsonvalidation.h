#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace portcullis {

// Whether `text` is exactly one JSON value (RFC 8259, UTF-8) nested at most `maxDepth` objects
// and arrays deep, with whitespace around it and an optional byte order mark first, as
// nlohmann/json's parser accepts. It builds nothing and allocates only for nesting beyond 64
// levels, so text that is passed on unchanged (an upstream's answer) can be checked for a
// fraction of what json::accept costs: that lexer copies every string and number it reads.
//
// Two differences, on purpose: a number too large for a double (1e400) is valid JSON and valid
// here, while nlohmann refuses it because it cannot store it; and a NUL byte is refused
// wherever it stands, while nlohmann takes one outside a string for the end of the text.
bool isValidJson(std::string_view text, int maxDepth);

// A member of an object as written: its key's token (quotes and escapes included) and where
// its value's text starts and ends.
struct JsonMember {
    int depth = 0; // 1 for a member of the top-level object, 2 for one of its members' members
    std::string_view keyToken;
    std::size_t valueBegin = 0;
    std::size_t valueEnd = 0; // one past the value's last byte
};

// isValidJson() that also reports, in the order written and while it validates, every member
// of the objects at most `memberDepth` deep; what it reported counts only when it returns
// true. One pass instead of a validation and then a search.
bool isValidJson(std::string_view text, int maxDepth, int memberDepth,
                 const std::function<void(const JsonMember&)>& onMember);

} // namespace portcullis
