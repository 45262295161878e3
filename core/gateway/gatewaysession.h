#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

namespace portcullis {

// Where the messages for one downstream request go: things related to it (progress, a
// server's sampling request) and then exactly one final response.
class ReplySink {
public:
    virtual ~ReplySink();
    virtual void related(const nlohmann::json& message) = 0;
    virtual void finish(const nlohmann::json& response) = 0;
    // finish() with a response already written as one line of JSON.
    virtual void finishText(const std::string& response) = 0;
    // False once the client has gone (connection closed): work for it can stop.
    virtual bool alive() const = 0;
    // The answer will take a while (the call is held for a person): a sink that can stream
    // should tell the client now that the request was taken in.
    virtual void waiting() {}
};

// One downstream MCP session (an agent connected over HTTP or stdio).
struct GatewaySession {
    std::string id;
    std::string grant;      // which credential it authenticated with
    std::string clientName; // clientInfo.name
    std::string protocolVersion;
    nlohmann::json clientCapabilities = nlohmann::json::object();
    bool initialized = false;
    // Messages not tied to a request (tools/list_changed): the GET stream, or stdout.
    std::function<void(const nlohmann::json&)> push;
};

} // namespace portcullis
