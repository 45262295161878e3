#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace portcullis {

struct TextPosition {
    int line = 1;   // 1-based
    int column = 1; // 1-based, in characters (UTF-8 code points), as editors count
};

// Line and column of a byte offset in UTF-8 text.
TextPosition positionOfOffset(std::string_view text, std::size_t offset);

// The offset of the first '{' or '[' that opens nesting level maxDepth + 1, skipping strings, or
// std::nullopt. A byte scan that runs before any DOM is built, so a 100 000-deep document is
// refused without ever becoming one (recursive walks and dump() would overflow the stack).
std::optional<std::size_t> firstOffsetDeeperThan(std::string_view text, int maxDepth);

// Where each value of a JSON document starts, keyed by its path ("tools.x.limits[0].window").
// For object members the position is that of the key, which is what a reader looks for.
// nlohmann/json keeps no positions, so this is a second, cheap pass over text already known to
// be valid JSON; it also finds duplicate keys, which a DOM silently collapses.
class JsonLocations final {
public:
    // Positions cost a map entry per value; a document without problems needs only the
    // duplicate check.
    enum class Detail { DuplicatesOnly, Positions };
    static JsonLocations index(std::string_view validJson, Detail detail = Detail::Positions);

    // The position of path, or of its nearest ancestor that exists.
    TextPosition locate(const std::string& path) const;
    // Paths of keys that occur more than once in the same object, in document order.
    const std::vector<std::string>& duplicateKeys() const { return m_duplicates; }

private:
    std::unordered_map<std::string, TextPosition> m_positions;
    std::vector<std::string> m_duplicates;
};

// Appends a member or index to a JSON path the way problems are reported.
std::string childPath(const std::string& parent, std::string_view key);
std::string indexPath(const std::string& parent, std::size_t index);

} // namespace portcullis
