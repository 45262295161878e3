#include "mcp/responsesummary.h"

#include "util/jsonspans.h"
#include "util/jsonvalidation.h"

namespace portcullis::mcp {

using nlohmann::json;

namespace {

std::optional<json> parseSpan(std::string_view text, const jsonspans::Span& span) {
    json value = json::parse(text.substr(span.begin, span.end - span.begin), nullptr, false);
    if (value.is_discarded())
        return std::nullopt;
    return value;
}

} // namespace

std::optional<ResponseSummary> summarizeResponse(std::string_view text,
                                                 const MessageLimits& limits) {
    // Validates without building anything: the spans below may then trust the text.
    if (text.size() > limits.maxBytes || !isValidJson(text, limits.maxDepth))
        return std::nullopt;
    // Not an object (an array, a scalar): memberValues finds nothing, so no id below.
    const auto members =
        jsonspans::memberValues(text, {"method", "jsonrpc", "id", "error", "result"});
    const auto& versionSpan = members[1];
    const auto& idSpan = members[2];
    const auto& errorSpan = members[3];
    const auto& resultSpan = members[4];
    if (members[0]) // "method": a request or a notification
        return std::nullopt;
    if (!versionSpan || !idSpan)
        return std::nullopt;
    const auto version = parseSpan(text, *versionSpan);
    const auto id = parseSpan(text, *idSpan);
    if (!version || *version != "2.0" || !id || !id->is_number_integer())
        return std::nullopt;

    if (errorSpan.has_value() == resultSpan.has_value())
        return std::nullopt; // exactly one of them, or it is not a response

    ResponseSummary summary;
    summary.id = id->get<std::int64_t>();
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
        if (const auto isError = jsonspans::memberValue(resultText, "isError")) {
            auto value = parseSpan(resultText, *isError);
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
