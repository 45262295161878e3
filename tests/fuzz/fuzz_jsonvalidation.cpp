#include "support/samejsontypes.h"
#include "util/jsondocument.h"
#include "util/jsonvalidation.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

using nlohmann::json;
using portcullis::isValidJson;
using portcullis::JsonMember;

namespace {

// The members reported while validating a top-level object are the DOM's: the last of each
// key, with the same value.
void membersMatchTheDocument(std::string_view text, const json& document) {
    std::map<std::string, std::string_view> last;
    const bool valid = isValidJson(text, 5000, 1, [&](const JsonMember& m) {
        const json key = json::parse(m.keyToken, nullptr, false);
        if (!key.is_string() || m.depth != 1 || m.valueEnd <= m.valueBegin)
            __builtin_trap();
        last[key.get<std::string>()] = text.substr(m.valueBegin, m.valueEnd - m.valueBegin);
    });
    if (!valid || last.size() != document.size())
        __builtin_trap();
    for (const auto& [key, value] : document.items()) {
        const auto it = last.find(key);
        if (it == last.end() || json::parse(it->second, nullptr, false) != value)
            __builtin_trap();
    }
}

} // namespace

// Any bytes: isValidJson agrees with nlohmann's parser, and documentOfValidJson builds what
// that parser builds. The allowed differences: a number that a double cannot hold (the
// parser's error 406), which is valid JSON but has no document; and a NUL byte, which the
// parser takes for the end of the text.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // Deep enough that nesting is never the reason at -max_len=4096.
    const bool mine = isValidJson(text, 5000);
    const bool parser = json::accept(text);
    if (mine && parser) {
        const json document = json::parse(text);
        if (document.is_object())
            membersMatchTheDocument(text, document);
        const auto built = portcullis::documentOfValidJson(text);
        if (!built || *built != document || !sameJsonTypes(*built, document))
            __builtin_trap();
        return 0;
    }
    if (mine == parser)
        return 0;
    if (!mine) {
        // The parser stops at a NUL byte outside a string as if the text ended there.
        const auto nul = text.find('\0');
        if (nul == std::string_view::npos || !isValidJson(text.substr(0, nul), 5000))
            __builtin_trap(); // refused something the parser takes
        return 0;
    }
    try {
        (void)json::parse(text);
    } catch (const json::out_of_range& e) {
        if (e.id != 406)
            __builtin_trap();
        // A number overflowed: valid JSON, but no document can hold it.
        if (portcullis::documentOfValidJson(text))
            __builtin_trap();
        return 0;
    } catch (const json::exception&) {
    }
    __builtin_trap(); // took something the parser refuses for another reason
}
