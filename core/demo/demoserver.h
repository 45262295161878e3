#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace portcullis::demo {

// Declared outside DemoServer so it can be a default argument of the constructor (a nested
// struct's member initializers are not usable until the enclosing class is complete).
struct DemoServerOptions {
    std::size_t pageSize = 0; // tools per tools/list page; 0 = all in one page
    std::string serverName = "portcullis-demo";
    std::string serverVersion = "dev";
    bool extraTools = false; // adds demo_sleep and demo_fail, for slow and failing upstreams
};

// The answer to one input line.
struct DemoReply {
    std::vector<std::string> lines; // wire lines, without the trailing '\n'
    // How long to hold `lines` back (demo_sleep). The server itself never sleeps, so the caller
    // can keep answering other requests and honour a cancellation meanwhile.
    std::chrono::milliseconds delay{0};
    nlohmann::json requestId;          // the request `lines` answers; null when none
    nlohmann::json cancelledRequestId; // from notifications/cancelled; null when none
};

// An MCP server over any line transport, serving the tools of a tools/list result with fake,
// deterministic results. It holds no session state and does no I/O.
class DemoServer {
public:
    using Options = DemoServerOptions;

    // Throws std::invalid_argument if `toolsListResult` has no "tools" array, a tool has no
    // valid name, or a name repeats.
    explicit DemoServer(nlohmann::json toolsListResult, Options options = {});

    DemoReply handle(std::string_view line) const;
    std::vector<std::string> handleLine(std::string_view line) const { return handle(line).lines; }

    const nlohmann::json& tools() const { return m_tools; }

    static const std::vector<std::string>& supportedProtocolVersions();

    // The `result` member of structuredContent for a successful call of `toolName`.
    static nlohmann::json fakeResult(std::string_view toolName);

private:
    nlohmann::json dispatch(const nlohmann::json& request, DemoReply& reply) const;
    nlohmann::json initialize(const nlohmann::json& id, const nlohmann::json& params) const;
    nlohmann::json listTools(const nlohmann::json& id, const nlohmann::json& params) const;
    nlohmann::json callTool(const nlohmann::json& id, const nlohmann::json& params,
                            DemoReply& reply) const;

    nlohmann::json m_tools; // array, in serving order
    std::unordered_map<std::string, std::size_t> m_index;
    Options m_options;
};

} // namespace portcullis::demo
