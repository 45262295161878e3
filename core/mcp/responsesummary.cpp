#include "mcp/responsesummary.h"

#include "util/jsonspans.h"
#include "util/jsonvalidation.h"

#include <array>
#include <charconv>
#include <vector>

namespace portcullis::mcp {

using nlohmann::json;

namespace {

std::optional<json> parseSpan(std::string_view text, const jsonspans::Span& span) {
    json value = json::parse(text.substr(span.begin, span.end - span.begin), nullptr, false);
    if (value.is_discarded())
        return std::nullopt;
    return value;
}

// The two members every response has, read as written when they are written plainly (as they
// nearly always are) and through the parser otherwise.
bool isVersion2(std::string_view text, const jsonspans::Span& span) {
    if (text.substr(span.begin, span.end - span.begin) == R"("2.0")")
        return true;
    const auto version = parseSpan(text, span);
    return version && *version == "2.0";
}

std::optional<std::int64_t> integerAt(std::string_view text, const jsonspans::Span& span) {
    const char* begin = text.data() + span.begin;
    const char* end = text.data() + span.end;
    std::int64_t value = 0;
    if (const auto [ptr, ec] = std::from_chars(begin, end, value); ec == std::errc() && ptr == end)
        return value;
    const auto id = parseSpan(text, span);
    if (!id || !id->is_number_integer())
        return std::nullopt;
    return id->get<std::int64_t>();
}

// Whether a key's token (quotes and escapes included) spells `name`.
bool keyIs(std::string_view token, std::string_view name) {
    if (token.find('\\') == std::string_view::npos)
        return token.substr(1, token.size() - 2) == name;
    const json decoded = json::parse(token, nullptr, false);
    return decoded.is_string() && decoded.get_ref<const std::string&>() == name;
}

// The members a summary reads, noted while the text is validated. The last of a repeated key
// counts, as in the DOM.
struct ReadMembers {
    enum Top { Method, Version, Id, Error, Result, TopCount };
    std::array<std::optional<jsonspans::Span>, TopCount> top;
    // "isError" members one level down: the result's is the one inside its span.
    std::vector<jsonspans::Span> isErrors;

    void note(const JsonMember& m) {
        static constexpr std::array<std::string_view, TopCount> kNames{"method", "jsonrpc", "id",
                                                                       "error", "result"};
        const jsonspans::Span span{m.valueBegin, m.valueEnd};
        if (m.depth == 1) {
            for (std::size_t k = 0; k < kNames.size(); ++k) {
                if (keyIs(m.keyToken, kNames[k]))
                    top[k] = span;
            }
        } else if (keyIs(m.keyToken, "isError")) {
            isErrors.push_back(span);
        }
    }
    std::optional<jsonspans::Span> resultMember(const jsonspans::Span& result) const {
        for (auto it = isErrors.rbegin(); it != isErrors.rend(); ++it) {
            if (it->begin > result.begin && it->end < result.end)
                return *it;
        }
        return std::nullopt;
    }
};

} // namespace

std::optional<ResponseSummary> summarizeResponse(std::string_view text,
                                                 const MessageLimits& limits) {
    // Validated without building anything; the members it reads are noted on the way.
    ReadMembers found;
    const auto note = [&found](const JsonMember& m) { found.note(m); };
    if (text.size() > limits.maxBytes || !isValidJson(text, limits.maxDepth, 2, note))
        return std::nullopt;
    // Not an object (an array, a scalar): no members, so no id below.
    const auto& versionSpan = found.top[ReadMembers::Version];
    const auto& idSpan = found.top[ReadMembers::Id];
    const auto& errorSpan = found.top[ReadMembers::Error];
    const auto& resultSpan = found.top[ReadMembers::Result];
    if (found.top[ReadMembers::Method]) // a request or a notification
        return std::nullopt;
    if (!versionSpan || !idSpan)
        return std::nullopt;
    if (!isVersion2(text, *versionSpan))
        return std::nullopt;
    const auto id = integerAt(text, *idSpan);
    if (!id)
        return std::nullopt;

    if (errorSpan.has_value() == resultSpan.has_value())
        return std::nullopt; // exactly one of them, or it is not a response

    ResponseSummary summary;
    summary.id = *id;
    summary.idSpan = *idSpan;
    summary.skeleton = json{{"jsonrpc", "2.0"}, {"id", *id}};
    if (errorSpan) {
        auto error = parseSpan(text, *errorSpan);
        if (!error)
            return std::nullopt;
        summary.skeleton["error"] = std::move(*error);
        return summary;
    }
    json result = json::object();
    const std::string_view resultText =
        text.substr(resultSpan->begin, resultSpan->end - resultSpan->begin);
    if (!resultText.empty() && resultText.front() == '{') {
        if (const auto isError = found.resultMember(*resultSpan)) {
            auto value = parseSpan(text, *isError);
            if (!value)
                return std::nullopt;
            result["isError"] = std::move(*value);
        }
    } else {
        // Not an object: rare enough to keep whole, so readers see what was sent.
        auto whole = parseSpan(text, *resultSpan);
        if (!whole)
            return std::nullopt;
        result = std::move(*whole);
    }
    summary.skeleton["result"] = std::move(result);
    return summary;
}

} // namespace portcullis::mcp
