#include "demo/demoserver.h"

#include "mcp/jsonrpc.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <variant>

namespace portcullis::demo {

using nlohmann::json;
namespace rpc = portcullis::mcp;

namespace {

constexpr std::string_view kLatestProtocolVersion = "2025-11-25";
constexpr std::int64_t kMaxSleepMs = 60'000; // keeps a typo from parking a test for hours
constexpr int kUpstreamFailure = -32000;     // what SDK peers use for server-side failures

json emptyObjectSchema() {
    return json{{"type", "object"}, {"properties", json::object()}};
}

json extraToolDefinitions() {
    const json quiet{{"readOnlyHint", true},
                     {"destructiveHint", false},
                     {"idempotentHint", true},
                     {"openWorldHint", false}};
    return json::array({
        {{"name", "demo_sleep"},
         {"description", "Waits the given number of milliseconds, then answers. For exercising "
                         "slow upstreams, timeouts and cancellation."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"ms",
              {{"type", "integer"},
               {"minimum", 0},
               {"maximum", kMaxSleepMs},
               {"description", "How long to wait before answering, in milliseconds"}}}}},
           {"required", {"ms"}}}},
         {"annotations", quiet}},
        {{"name", "demo_fail"},
         {"description", "Always fails with JSON-RPC error -32000. For exercising failing "
                         "upstreams."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"message",
              {{"type", "string"}, {"description", "The error message to answer with"}}}}}}},
         {"annotations", quiet}},
    });
}

bool isBlank(std::string_view line) {
    return std::all_of(line.begin(), line.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// FNV-1a: stable across platforms and runs, unlike std::hash, so fake results never change.
std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::vector<std::string> nameWords(std::string_view name) {
    std::vector<std::string> words;
    std::string word;
    for (const char c : name) {
        if (c == '_' || c == '-' || c == '.') {
            if (!word.empty())
                words.push_back(std::move(word));
            word.clear();
        } else {
            word += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
    }
    if (!word.empty())
        words.push_back(std::move(word));
    return words;
}

// "clusters" names the same resource as "cluster".
bool hasWord(const std::vector<std::string>& words, std::string_view wanted) {
    return std::any_of(words.begin(), words.end(), [wanted](const std::string& word) {
        return word == wanted || (word.size() == wanted.size() + 1 && word.back() == 's' &&
                                  std::string_view(word).substr(0, wanted.size()) == wanted);
    });
}

std::string hex(std::uint64_t value, int digits) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(static_cast<std::size_t>(digits), '0');
    for (int i = digits - 1; i >= 0 && value != 0; --i) {
        out[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
        value >>= 4;
    }
    return out;
}

struct ResourceKind {
    std::string_view keyword;
    std::string_view service;
    std::string_view type;
};

// Checked in order, so "detach_user_policy" is about a policy rather than a user.
constexpr std::array kResourceKinds{
    ResourceKind{"policy", "iam", "policy"},       ResourceKind{"user", "iam", "user"},
    ResourceKind{"ecr", "ecr", "repository"},      ResourceKind{"image", "ecr", "repository"},
    ResourceKind{"cluster", "ecs", "cluster"},     ResourceKind{"service", "ecs", "service"},
    ResourceKind{"ecs", "ecs", "cluster"},         ResourceKind{"app", "ecs", "service"},
    ResourceKind{"documentation", "docs", "page"},
};

struct VerbStatus {
    std::string_view verb;
    std::string_view status;
};

constexpr std::array kVerbStatuses{
    VerbStatus{"delete", "DELETED"}, VerbStatus{"detach", "DETACHED"},
    VerbStatus{"remove", "REMOVED"}, VerbStatus{"create", "CREATED"},
    VerbStatus{"put", "UPDATED"},    VerbStatus{"update", "UPDATED"},
    VerbStatus{"build", "BUILT"},    VerbStatus{"validate", "VALID"},
    VerbStatus{"wait", "READY"},
};

constexpr std::array<std::string_view, 8> kListingVerbs{"list", "describe", "get",       "search",
                                                        "read", "fetch",    "recommend", "find"};

std::string cursorFor(std::size_t offset) {
    return "o" + std::to_string(offset);
}

// Accepts exactly the cursors this server could have issued for `pageSize` and `count`.
std::optional<std::size_t> offsetOf(const std::string& cursor, std::size_t pageSize,
                                    std::size_t count) {
    if (pageSize == 0 || cursor.size() < 2 || cursor.front() != 'o')
        return std::nullopt;
    std::size_t offset = 0;
    const char* end = cursor.data() + cursor.size();
    const auto [ptr, ec] = std::from_chars(cursor.data() + 1, end, offset);
    if (ec != std::errc() || ptr != end || cursorFor(offset) != cursor)
        return std::nullopt;
    if (offset == 0 || offset >= count || offset % pageSize != 0)
        return std::nullopt;
    return offset;
}

json invalidParams(const json& id, const std::string& why) {
    return rpc::makeError(id, rpc::ErrorCode::InvalidParams, "Invalid params: " + why);
}

json toolError(const std::string& text) {
    return json{{"content", json::array({{{"type", "text"}, {"text", text}}})}, {"isError", true}};
}

std::vector<std::string> missingRequired(const json& tool, const json& arguments) {
    std::vector<std::string> missing;
    const auto required = tool["inputSchema"].find("required");
    if (required == tool["inputSchema"].end() || !required->is_array())
        return missing;
    for (const json& key : *required) {
        if (key.is_string() && !arguments.contains(key.get_ref<const std::string&>()))
            missing.push_back(key.get<std::string>());
    }
    return missing;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& part : parts)
        out += (out.empty() ? "" : ", ") + part;
    return out;
}

} // namespace

DemoServer::DemoServer(json toolsListResult, Options options)
    : m_tools(json::array())
    , m_options(std::move(options)) {
    if (!toolsListResult.is_object() || !toolsListResult.contains("tools") ||
        !toolsListResult["tools"].is_array())
        throw std::invalid_argument("expected a tools/list result: {\"tools\":[...]}");
    json all = std::move(toolsListResult["tools"]);
    if (m_options.extraTools) {
        for (json& extra : extraToolDefinitions())
            all.push_back(std::move(extra));
    }
    for (json& tool : all) {
        if (!tool.is_object() || !tool.contains("name") || !tool["name"].is_string() ||
            tool["name"].get_ref<const std::string&>().empty())
            throw std::invalid_argument("tool " + std::to_string(m_tools.size()) + " has no name");
        // MCP requires an object schema; a fixture may carry null for a proxied tool.
        if (!tool.contains("inputSchema") || !tool["inputSchema"].is_object())
            tool["inputSchema"] = emptyObjectSchema();
        const std::string name = tool["name"].get<std::string>();
        if (!m_index.emplace(name, m_tools.size()).second)
            throw std::invalid_argument("tool name \"" + name + "\" appears twice");
        m_tools.push_back(std::move(tool));
    }
}

const std::vector<std::string>& DemoServer::supportedProtocolVersions() {
    static const std::vector<std::string> versions{std::string(kLatestProtocolVersion),
                                                   "2025-06-18", "2025-03-26"};
    return versions;
}

DemoReply DemoServer::handle(std::string_view line) const {
    DemoReply reply;
    // Blank lines are framing noise between messages, not malformed messages.
    if (isBlank(line))
        return reply;
    rpc::ParseOutcome outcome = rpc::parseMessage(line);
    if (const auto* error = std::get_if<rpc::MessageError>(&outcome)) {
        if (error->replyExpected) {
            reply.requestId = error->id;
            reply.lines.push_back(rpc::serialize(rpc::makeError(*error)));
        }
        return reply;
    }
    const rpc::Message& message = std::get<rpc::Message>(outcome);
    switch (message.kind) {
    case rpc::MessageKind::Response:
        // This server never sends requests, so no response can be for it.
        return reply;
    case rpc::MessageKind::Notification:
        if (message.method() == "notifications/cancelled") {
            const json params = message.body.value("params", json::object());
            if (params.is_object() && params.contains("requestId") &&
                (params["requestId"].is_string() || params["requestId"].is_number_integer()))
                reply.cancelledRequestId = params["requestId"];
        }
        return reply;
    case rpc::MessageKind::Request:
        break;
    }
    reply.requestId = message.id();
    reply.lines.push_back(rpc::serialize(dispatch(message.body, reply)));
    return reply;
}

json DemoServer::dispatch(const json& request, DemoReply& reply) const {
    const json& id = request["id"];
    const std::string& method = request["method"].get_ref<const std::string&>();
    const json params = request.value("params", json(nullptr));
    if (method == "initialize")
        return initialize(id, params);
    if (method == "ping")
        return rpc::makeResult(id, json::object());
    if (method == "tools/list")
        return listTools(id, params);
    if (method == "tools/call")
        return callTool(id, params, reply);
    // Not advertised, but some clients ask regardless; an empty list is the friendliest answer.
    if (method == "resources/list")
        return rpc::makeResult(id, json{{"resources", json::array()}});
    if (method == "prompts/list")
        return rpc::makeResult(id, json{{"prompts", json::array()}});
    return rpc::makeError(id, rpc::ErrorCode::MethodNotFound, "Method not found: " + method);
}

json DemoServer::initialize(const json& id, const json& params) const {
    if (!params.is_object())
        return invalidParams(id, "initialize needs an object");
    std::string version(kLatestProtocolVersion);
    if (const auto requested = params.find("protocolVersion");
        requested != params.end() && requested->is_string()) {
        const auto& supported = supportedProtocolVersions();
        if (std::find(supported.begin(), supported.end(), requested->get<std::string>()) !=
            supported.end())
            version = requested->get<std::string>();
    }
    return rpc::makeResult(
        id, json{{"protocolVersion", version},
                 {"capabilities", {{"tools", {{"listChanged", true}}}}},
                 {"serverInfo",
                  {{"name", m_options.serverName}, {"version", m_options.serverVersion}}}});
}

json DemoServer::listTools(const json& id, const json& params) const {
    if (!params.is_null() && !params.is_object())
        return invalidParams(id, "tools/list takes an object");
    std::size_t offset = 0;
    if (params.is_object() && params.contains("cursor") && !params["cursor"].is_null()) {
        const json& cursor = params["cursor"];
        const auto decoded = cursor.is_string() ? offsetOf(cursor.get_ref<const std::string&>(),
                                                           m_options.pageSize, m_tools.size())
                                                : std::nullopt;
        if (!decoded)
            return invalidParams(id, "unknown cursor");
        offset = *decoded;
    }
    const std::size_t count = m_tools.size();
    const std::size_t end =
        m_options.pageSize == 0 ? count : std::min(count, offset + m_options.pageSize);
    json page = json::array();
    for (std::size_t i = offset; i < end; ++i)
        page.push_back(m_tools[i]);
    json result{{"tools", std::move(page)}};
    if (end < count)
        result["nextCursor"] = cursorFor(end);
    return rpc::makeResult(id, std::move(result));
}

json DemoServer::callTool(const json& id, const json& params, DemoReply& reply) const {
    if (!params.is_object() || !params.contains("name") || !params["name"].is_string())
        return invalidParams(id, "tools/call needs a string \"name\"");
    const std::string& name = params["name"].get_ref<const std::string&>();
    const auto found = m_index.find(name);
    if (found == m_index.end())
        return rpc::makeError(id, rpc::ErrorCode::InvalidParams, "Unknown tool: " + name);
    json arguments = params.value("arguments", json(nullptr));
    if (arguments.is_null())
        arguments = json::object();
    if (!arguments.is_object())
        return invalidParams(id, "\"arguments\" must be an object");

    const json& tool = m_tools[found->second];
    // Since 2025-11-25 input validation failures are tool results the model can act on.
    if (const auto missing = missingRequired(tool, arguments); !missing.empty())
        return rpc::makeResult(
            id, toolError(std::string(missing.size() == 1 ? "Missing required argument"
                                                          : "Missing required arguments") +
                          " for " + name + ": " + joined(missing)));

    const bool extra = m_options.extraTools;
    if (extra && name == "demo_fail") {
        const json text = arguments.value("message", json(nullptr));
        return rpc::makeError(id, kUpstreamFailure,
                              text.is_string() ? text.get<std::string>()
                                               : "demo_fail: simulated upstream failure");
    }
    json result;
    if (extra && name == "demo_sleep") {
        const json ms = arguments.value("ms", json(nullptr));
        if (!ms.is_number_integer() || ms.get<std::int64_t>() < 0 ||
            ms.get<std::int64_t>() > kMaxSleepMs)
            return rpc::makeResult(id, toolError("Argument ms of demo_sleep must be an integer "
                                                 "from 0 to " +
                                                 std::to_string(kMaxSleepMs)));
        reply.delay = std::chrono::milliseconds(ms.get<std::int64_t>());
        result = json{{"sleptMs", ms}};
    } else {
        result = fakeResult(name);
    }

    json structured{
        {"tool", name}, {"ok", true}, {"arguments", arguments}, {"result", std::move(result)}};
    json content = json::array({{{"type", "text"}, {"text", rpc::serialize(structured)}}});
    return rpc::makeResult(
        id, json{{"content", std::move(content)}, {"structuredContent", std::move(structured)}});
}

json DemoServer::fakeResult(std::string_view toolName) {
    const std::vector<std::string> words = nameWords(toolName);
    const std::uint64_t hash = fnv1a(toolName);

    ResourceKind kind{"", "demo", "resource"};
    for (const ResourceKind& candidate : kResourceKinds) {
        if (hasWord(words, candidate.keyword)) {
            kind = candidate;
            break;
        }
    }
    std::string_view status = "SUCCEEDED";
    for (const std::string& word : words) {
        const auto verb = std::find_if(kVerbStatuses.begin(), kVerbStatuses.end(),
                                       [&](const VerbStatus& v) { return v.verb == word; });
        if (verb != kVerbStatuses.end()) {
            status = verb->status;
            break;
        }
    }
    const bool listing = std::any_of(words.begin(), words.end(), [](const std::string& word) {
        return std::find(kListingVerbs.begin(), kListingVerbs.end(), word) != kListingVerbs.end();
    });

    const std::string account = std::to_string(100'000'000'000ULL + hash % 900'000'000'000ULL);
    // IAM is global: its ARNs have an empty region field.
    const std::string region = kind.service == "iam" ? "" : "us-east-1";
    const std::string arnPrefix = "arn:aws:" + std::string(kind.service) + ":" + region + ":" +
                                  account + ":" + std::string(kind.type) + "/";
    std::string resourceName = "demo";
    for (const std::string& word : words)
        resourceName += "-" + word;

    const std::uint64_t salt = fnv1a(std::string(toolName) + "#request");
    const std::string requestId = hex(hash >> 32, 8) + "-" + hex(hash >> 16, 4) + "-" +
                                  hex(hash, 4) + "-" + hex(salt >> 48, 4) + "-" + hex(salt, 12);

    json out{{"arn", arnPrefix + resourceName},
             {"account", account},
             {"status", status},
             {"requestId", requestId}};
    if (!region.empty())
        out["region"] = region;
    if (listing) {
        json items = json::array();
        const std::size_t count = 2 + hash % 3;
        for (std::size_t i = 1; i <= count; ++i) {
            const std::string itemName = "demo-" + std::string(kind.type) + "-" + std::to_string(i);
            items.push_back({{"name", itemName}, {"arn", arnPrefix + itemName}});
        }
        out["items"] = std::move(items);
    }
    return out;
}

} // namespace portcullis::demo
