#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace portcullis::mcp {

// JSON-RPC 2.0 as MCP uses it: one message per frame, no batches (removed in 2025-06-18).

namespace ErrorCode {
inline constexpr int ParseError = -32700;
inline constexpr int InvalidRequest = -32600;
inline constexpr int MethodNotFound = -32601;
inline constexpr int InvalidParams = -32602;
inline constexpr int InternalError = -32603;
} // namespace ErrorCode

enum class MessageKind { Request, Notification, Response };
const char* toString(MessageKind kind);

struct MessageLimits {
    std::size_t maxBytes = 4 * 1024 * 1024;
    int maxDepth = 64;
};

struct Message {
    MessageKind kind = MessageKind::Request;
    nlohmann::json body; // the whole object, as received

    // The id exactly as sent: a string stays a string, a number a number ("1" is not 1).
    const nlohmann::json& id() const { return body["id"]; }
    const std::string& method() const { return body["method"].get_ref<const std::string&>(); }
    bool isError() const { return kind == MessageKind::Response && body.contains("error"); }
};

// A message that cannot be processed, with the error to send back. `id` is null when the id
// could not be read (parse errors), as JSON-RPC requires.
struct MessageError {
    int code = ErrorCode::InvalidRequest;
    std::string message;
    nlohmann::json id = nullptr;
    bool replyExpected = true; // false for broken notifications and responses: nothing to answer
};

using ParseOutcome = std::variant<Message, MessageError>;

// Checks size and nesting before any DOM exists, then classifies the message.
ParseOutcome parseMessage(std::string_view bytes, const MessageLimits& limits = {});

// Builders for replies. ids are copied as they are, keeping their type.
nlohmann::json makeResult(const nlohmann::json& id, nlohmann::json result);
nlohmann::json makeError(const nlohmann::json& id, int code, std::string message,
                         nlohmann::json data = nullptr);
nlohmann::json makeError(const MessageError& error);
nlohmann::json makeRequest(const nlohmann::json& id, std::string method,
                           nlohmann::json params = nullptr);
nlohmann::json makeNotification(std::string method, nlohmann::json params = nullptr);

// One line of wire JSON. Invalid UTF-8 that slipped into a string is replaced, never thrown.
std::string serialize(const nlohmann::json& message);

} // namespace portcullis::mcp
