#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::jsonspans {

// Byte-level reading of JSON text that has already been parsed successfully, so values can be
// passed on exactly as they were written: key order, number spelling and string escapes are
// kept, which a round trip through a DOM (nlohmann sorts keys) would change.

struct Span {
    std::size_t begin = 0;
    std::size_t end = 0; // one past the last byte
};

// The raw text of each element of the array reached from the top-level object by following
// the member names in `path`; std::nullopt when something on the way is missing or not of
// the expected kind. With a key written twice, the last one counts, as in the DOM.
std::optional<std::vector<std::string_view>>
arrayElements(std::string_view validJson, const std::vector<std::string_view>& path);

// Where the value of member `key` of the top-level object starts and ends.
std::optional<Span> memberValue(std::string_view validObject, std::string_view key);

// The text without whitespace outside strings (one line, fit for an SSE data field).
std::string minify(std::string_view validJson);

} // namespace portcullis::jsonspans
