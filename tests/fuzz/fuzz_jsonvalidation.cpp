#include "util/jsonvalidation.h"

using portcullis::isValidJson;

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

// Any bytes: isValidJson agrees with nlohmann's parser, which the gateway used before it and
// still uses wherever it builds a document. The one allowed difference is a number that a
// double cannot hold (the parser's error 406), which is valid JSON; and a NUL byte, which the
// parser takes for the end of the text.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // Deep enough that nesting is never the reason at -max_len=4096.
    const bool mine = isValidJson(text, 5000);
    if (mine == nlohmann::json::accept(text))
        return 0;
    if (!mine) {
        // The parser stops at a NUL byte outside a string as if the text ended there.
        const auto nul = text.find('\0');
        if (nul == std::string_view::npos || !isValidJson(text.substr(0, nul), 5000))
            __builtin_trap(); // refused something the parser takes
        return 0;
    }
    try {
        (void)nlohmann::json::parse(text);
    } catch (const nlohmann::json::out_of_range& e) {
        if (e.id == 406)
            return 0; // number overflow
    } catch (const nlohmann::json::exception&) {
    }
    __builtin_trap(); // took something the parser refuses for another reason
}
