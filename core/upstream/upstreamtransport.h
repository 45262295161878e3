#pragma once

#include "util/jsonspans.h"

#include <QObject>
#include <QString>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace portcullis {

// A message's text as received (empty when the transport made the message up), valid only
// while it is delivered: tool definitions and tool results are passed on from it byte for
// byte. `id` is where the value of its "id" lies in it, when the transport already found that
// (a summarised response), so that no one searches the text for it again.
struct ReceivedText {
    std::string_view text;
    std::optional<jsonspans::Span> id;
};

// One connection to an upstream MCP server, carrying whole JSON-RPC messages. The MCP session
// on top of it (initialize, ids, timeouts) is UpstreamClient's business.
class UpstreamTransport : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamTransport)

public:
    using QObject::QObject;
    ~UpstreamTransport() override;

    virtual void start() = 0;
    // Ends the connection politely; `closed` follows.
    virtual void stop() = 0;
    virtual void send(const nlohmann::json& message) = 0;
    virtual bool isOpen() const = 0;
    // What a person needs to recognise this upstream: a command line or a URL.
    virtual QString describe() const = 0;

    // Says, for a response id, whether its reader needs only the text and a summary
    // (mcp::summarizeResponse) rather than the whole document. A transport may use it to skip
    // building documents of results that are passed on as text; it need not.
    void setSummaryIsEnough(std::function<bool(std::int64_t id)> predicate) {
        m_summaryIsEnough = std::move(predicate);
    }

Q_SIGNALS:
    void opened();
    void messageReceived(const nlohmann::json& message, portcullis::ReceivedText raw);
    // The connection ended; `reason` is empty after stop(), else what went wrong.
    void closed(const QString& reason);

protected:
    std::function<bool(std::int64_t id)> m_summaryIsEnough;
};

} // namespace portcullis
