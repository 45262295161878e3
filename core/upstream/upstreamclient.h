#pragma once

#include "upstream/upstreamtransport.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

// The gateway's MCP client session with one upstream server: the initialize handshake, the
// tool list (pagination followed), requests with fresh ids and a deadline, and restart with
// backoff when the server goes away. Transport-neutral: stdio and HTTP both fit under it.
class UpstreamClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamClient)

public:
    enum class State { Stopped, Starting, Up, Restarting };
    Q_ENUM(State)

    using TransportFactory = std::function<std::unique_ptr<UpstreamTransport>()>;
    // Receives the upstream's response object (with "result" or "error"); the id in it is the
    // upstream id, which the caller maps back.
    using ResponseHandler = std::function<void(const nlohmann::json& response)>;

    struct Options {
        QString name;
        int requestTimeoutMs = 120'000;
        int initializeTimeoutMs = 30'000;
        nlohmann::json clientCapabilities = nlohmann::json::object();
        nlohmann::json clientInfo = {{"name", "portcullis"}, {"version", "0.1.0"}};
        int restartMinMs = 1000;
        int restartMaxMs = 30'000;
        bool restart = true;
    };

    UpstreamClient(Options options, TransportFactory factory, QObject* parent = nullptr);
    ~UpstreamClient() override;

    void start();
    void stop();

    State state() const { return m_state; }
    QString lastError() const { return m_lastError; }
    QString name() const { return m_options.name; }
    QString describe() const;
    const std::vector<nlohmann::json>& tools() const { return m_tools; }
    // Each tool's definition as the server wrote it (minified), parallel to tools().
    const std::vector<std::string>& toolsText() const { return m_toolsText; }
    const nlohmann::json& serverInfo() const { return m_serverInfo; }
    const nlohmann::json& serverCapabilities() const { return m_serverCapabilities; }
    const std::string& protocolVersion() const { return m_protocolVersion; }
    std::size_t inFlight() const { return m_pending.size(); }
    // While a ResponseHandler runs for a message received from the server: that message's
    // text. Empty otherwise (timeouts, failures made up here).
    const ReceivedText& rawMessage() const { return m_rawInFlight; }

    // Sends a request with a fresh upstream id and returns that id. While the upstream is
    // starting the request waits for it (its deadline runs meanwhile); when it is down or
    // restarting, -1 is returned and the handler is called at once with a -32603 error.
    // Exactly one call of the handler follows: the response, a timeout, or the upstream's end.
    // With summaryIsEnough the handler may get, instead of the whole response, a summary (id,
    // error, result.isError; see mcp::summarizeResponse) with rawMessage() holding the text.
    std::int64_t request(const std::string& method, nlohmann::json params, ResponseHandler handler,
                         int timeoutMs = -1, bool summaryIsEnough = false);
    // Tells the upstream to stop work on a request and forgets it; no handler call follows.
    void cancel(std::int64_t upstreamId, const std::string& reason);
    void notify(const std::string& method, nlohmann::json params = nullptr);
    // Answers a request the server sent us (sampling, elicitation, roots).
    void respond(const nlohmann::json& serverRequestId, const nlohmann::json& resultOrError);

Q_SIGNALS:
    void stateChanged(portcullis::UpstreamClient::State state);
    void toolsChanged();
    // Notifications other than the ones handled here (progress, logging, resources, ...).
    void notificationReceived(const nlohmann::json& message);
    // A request from the server to the client: sampling/createMessage, elicitation/create,
    // roots/list. Whoever handles it must call respond() with the same id.
    void serverRequestReceived(const nlohmann::json& message);

private:
    struct Pending {
        ResponseHandler handler;
        std::int64_t deadlineMs;
        nlohmann::json unsent; // a request made while starting, sent once the upstream is up
        bool summaryIsEnough = false;
    };

    void setState(State s);
    void onOpened();
    void onMessage(const nlohmann::json& message, ReceivedText raw);
    void onClosed(const QString& reason);
    struct ToolPages {
        std::vector<nlohmann::json> tools;
        std::vector<std::string> text;
    };
    void fetchTools(const nlohmann::json& cursor, std::shared_ptr<ToolPages> acc);
    void failAll(const QString& reason);
    void sendQueued();
    void checkDeadlines();
    void armDeadlineTimer();
    std::int64_t nowMs() const;

    Options m_options;
    TransportFactory m_factory;
    std::unique_ptr<UpstreamTransport> m_transport;
    State m_state = State::Stopped;
    QString m_lastError;
    std::int64_t m_nextId = 1;
    std::map<std::int64_t, Pending> m_pending;
    QTimer m_deadlineTimer;
    QTimer m_restartTimer;
    int m_restartDelayMs = 0;
    bool m_autoRestart = false; // options.restart, until stop() is asked for
    std::vector<nlohmann::json> m_tools;
    std::vector<std::string> m_toolsText;
    ReceivedText m_rawInFlight; // the text of the message being handled, during onMessage
    nlohmann::json m_serverInfo = nlohmann::json::object();
    nlohmann::json m_serverCapabilities = nlohmann::json::object();
    std::string m_protocolVersion;
    std::uint64_t m_toolsGeneration = 0; // a newer fetch makes older ones moot
    bool m_ready = false;
};

} // namespace portcullis
