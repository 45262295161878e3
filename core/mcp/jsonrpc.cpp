#include "mcp/jsonrpc.h"

#include "util/jsondocument.h"
#include "util/jsontext.h"
#include "util/jsonvalidation.h"
#include "util/jsonwriter.h"

namespace portcullis::mcp {

using nlohmann::json;

const char* toString(MessageKind kind) {
    switch (kind) {
    case MessageKind::Request:
        return "request";
    case MessageKind::Notification:
        return "notification";
    case MessageKind::Response:
        return "response";
    }
    return "?";
}

namespace {

// JSON-RPC ids are strings or integers; MCP forbids null for requests. Floats and booleans
// are rejected rather than guessed at.
bool isValidRequestId(const json& id) {
    return id.is_string() || id.is_number_integer();
}

MessageError invalid(std::string message, json id = nullptr, bool replyExpected = true) {
    return MessageError{ErrorCode::InvalidRequest, std::move(message), std::move(id),
                        replyExpected};
}

// {"jsonrpc":"2.0","id":id}, built member by member: a braced list builds a temporary array for
// each pair first, and every message the gateway sends starts here.
json envelope(const json* id) {
    json out(json::value_t::object);
    auto& members = out.get_ref<json::object_t&>();
    members.emplace("jsonrpc", "2.0");
    if (id)
        members.emplace("id", *id);
    return out;
}

} // namespace

ParseOutcome parseMessage(std::string_view bytes, const MessageLimits& limits) {
    if (bytes.size() > limits.maxBytes)
        return invalid("message is " + std::to_string(bytes.size()) + " bytes; the limit is " +
                       std::to_string(limits.maxBytes));
    // One pass decides whether the text is fine; only text that is not is looked at again, to
    // say what is wrong with it.
    std::optional<json> parsed;
    if (isValidJson(bytes, limits.maxDepth)) {
        parsed = documentOfValidJson(bytes); // std::nullopt for a number beyond a double
    } else {
        if (auto at = firstOffsetDeeperThan(bytes, limits.maxDepth))
            return MessageError{ErrorCode::InvalidRequest,
                                "nesting deeper than " + std::to_string(limits.maxDepth) +
                                    " levels at byte " + std::to_string(*at),
                                nullptr, true};
        // JSON has no place for a raw NUL anywhere (nlohmann's parser would take one for the
        // end of the text and accept what comes before it).
        if (const auto nul = bytes.find('\0'); nul != std::string_view::npos)
            return MessageError{ErrorCode::ParseError,
                                "Parse error: a NUL byte at offset " + std::to_string(nul), nullptr,
                                true};
    }
    if (!parsed)
        return MessageError{ErrorCode::ParseError, "Parse error: not valid JSON", nullptr, true};
    json body = std::move(*parsed);
    if (body.is_array())
        return invalid("batch requests are not supported");
    if (!body.is_object())
        return invalid("a JSON-RPC message must be an object");

    const auto version = body.find("jsonrpc");
    const auto method = body.find("method");
    const auto id = body.find("id");
    const bool hasResult = body.contains("result");
    const bool hasError = body.contains("error");
    const json idOrNull = id != body.end() && isValidRequestId(*id) ? *id : json(nullptr);

    if (version == body.end() || *version != "2.0")
        return invalid("\"jsonrpc\" must be \"2.0\"", idOrNull, method != body.end());

    if (method != body.end()) {
        if (!method->is_string() || method->get_ref<const std::string&>().empty())
            return invalid("\"method\" must be a non-empty string", idOrNull);
        if (hasResult || hasError)
            return invalid("a request cannot carry \"result\" or \"error\"", idOrNull);
        if (auto params = body.find("params");
            params != body.end() && !params->is_object() && !params->is_array())
            return invalid("\"params\" must be an object", idOrNull, id != body.end());
        if (id == body.end())
            return Message{MessageKind::Notification, std::move(body)};
        if (!isValidRequestId(*id))
            return invalid("\"id\" must be a string or an integer", nullptr);
        return Message{MessageKind::Request, std::move(body)};
    }

    // A response: exactly one of result and error, and an id (null only for errors).
    if (id == body.end())
        return invalid("message has neither \"method\" nor \"id\"", nullptr, false);
    if (hasResult == hasError)
        return invalid("a response needs exactly one of \"result\" and \"error\"", nullptr, false);
    if (!isValidRequestId(*id) && !(hasError && id->is_null()))
        return invalid("\"id\" must be a string or an integer", nullptr, false);
    if (hasError) {
        const json& error = body["error"];
        if (!error.is_object() || !error.contains("code") || !error["code"].is_number_integer() ||
            !error.contains("message") || !error["message"].is_string())
            return invalid("\"error\" needs an integer \"code\" and a string \"message\"", nullptr,
                           false);
    }
    return Message{MessageKind::Response, std::move(body)};
}

json makeResult(const json& id, json result) {
    json out = envelope(&id);
    out.get_ref<json::object_t&>().emplace("result", std::move(result));
    return out;
}

json makeError(const json& id, int code, std::string message, json data) {
    json error(json::value_t::object);
    error["code"] = code;
    error["message"] = std::move(message);
    if (!data.is_null())
        error["data"] = std::move(data);
    json out = envelope(&id);
    out.get_ref<json::object_t&>().emplace("error", std::move(error));
    return out;
}

json makeError(const MessageError& error) {
    return makeError(error.id, error.code, error.message);
}

json makeRequest(const json& id, std::string method, json params) {
    json out = envelope(&id);
    auto& members = out.get_ref<json::object_t&>();
    members.emplace("method", std::move(method));
    if (!params.is_null())
        members.emplace("params", std::move(params));
    return out;
}

json makeNotification(std::string method, json params) {
    json out = envelope(nullptr);
    auto& members = out.get_ref<json::object_t&>();
    members.emplace("method", std::move(method));
    if (!params.is_null())
        members.emplace("params", std::move(params));
    return out;
}

std::string serialize(const json& message) {
    std::string out;
    if (message.is_structured())
        out.reserve(256); // a message: room for most, and for the line end its sender adds
    appendCompactJson(out, message);
    return out;
}

} // namespace portcullis::mcp
