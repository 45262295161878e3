#pragma once

#include "mcp/jsonrpc.h"
#include "util/jsonspans.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace portcullis::mcp {

// A response whose text goes on as it is (a tools/call result on its way to the agent) needs no
// document of its own: the gateway reads its id, whether it is an error (and which), and the
// result's isError. Building the whole document of a large result for that was the biggest
// single cost of a proxied call.
struct ResponseSummary {
    std::int64_t id = 0;
    jsonspans::Span idSpan; // where the id's value is written in the text
    // {"jsonrpc":"2.0","id":ID} plus "error" (the whole error object) or "result" holding only
    // "isError" when the result has it: enough for anything that reads a response's outcome.
    nlohmann::json skeleton;
};

// The summary of `text` when it is a valid JSON-RPC response with an integer id, within the
// limits; std::nullopt for anything else (requests, notifications, invalid text), which the
// caller then parses in full to report or handle.
std::optional<ResponseSummary> summarizeResponse(std::string_view text,
                                                 const MessageLimits& limits = {});

} // namespace portcullis::mcp
