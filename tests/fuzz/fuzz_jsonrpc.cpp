#include "mcp/jsonrpc.h"
#include "util/jsonspans.h"

#include <cstddef>
#include <cstdint>

using namespace portcullis::mcp;

// Any bytes: classification either yields a message whose shape matches its kind, or an error
// that can be sent back; a reply built from either serialises to one line of valid JSON. The
// byte-level spans of an accepted message agree with its DOM (tool definitions pass on that way),
// and it is written as nlohmann would write it.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    MessageLimits limits;
    limits.maxBytes = 2048;
    const ParseOutcome outcome = parseMessage(text, limits);
    nlohmann::json reply;
    if (const auto* m = std::get_if<Message>(&outcome)) {
        // Our writer and nlohmann's dump agree on every document a peer can send.
        if (serialize(m->body) !=
            m->body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
            __builtin_trap();
        const bool hasId = m->body.contains("id");
        if ((m->kind == MessageKind::Notification) == hasId)
            __builtin_trap();
        if (m->kind != MessageKind::Response && !m->body["method"].is_string())
            __builtin_trap();
        const auto spans = portcullis::jsonspans::arrayElements(text, {"params"});
        const auto it = m->body.find("params");
        if (spans.has_value() != (it != m->body.end() && it->is_array()))
            __builtin_trap();
        for (std::size_t i = 0; spans && i < spans->size(); ++i) {
            const auto element =
                nlohmann::json::parse(portcullis::jsonspans::minify((*spans)[i]), nullptr, false);
            if (spans->size() != it->size() || element != (*it)[i])
                __builtin_trap();
        }
        reply = m->kind == MessageKind::Request ? makeResult(m->id(), m->body)
                                                : makeNotification("x", m->body);
    } else {
        const auto& e = std::get<MessageError>(outcome);
        if (e.message.empty())
            __builtin_trap();
        reply = makeError(e);
    }
    const std::string line = serialize(reply);
    if (line.find('\n') != std::string::npos || !nlohmann::json::accept(line))
        __builtin_trap();
    return 0;
}
