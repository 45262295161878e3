#pragma once

#include "transport/sseparser.h"
#include "upstream/upstreamtransport.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string_view>
#include <vector>

namespace portcullis {

// An upstream MCP server reached over Streamable HTTP (2025-03-26 and later), falling back to
// the legacy HTTP+SSE transport (2024-11-05) when the server refuses a POSTed initialize.
//
// Every message is its own POST; answers come back as JSON or as an SSE stream on that POST.
// Messages the server starts on its own come on a long-lived GET stream, which is opened right
// after `notifications/initialized` and which requests wait for (briefly), because a server may
// need it to ask for sampling or elicitation while handling them.
class HttpTransport final : public UpstreamTransport {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpTransport)

public:
    struct Options {
        QString name; // key in servers.json, for log lines and error messages
        QUrl url;
        // Sent on every request: the upstream's own credentials. The agent's Authorization
        // header belongs to the gateway and is never forwarded.
        std::map<QString, QString> headers;
        bool legacySse = false; // skip the Streamable HTTP attempt
        std::size_t maxMessageBytes = 16 * 1024 * 1024;
        int streamWaitMs = 2000; // how long requests wait for the GET stream
        std::size_t maxHeldMessages = 1000;
        int streamRetryMinMs = 1000;
        int streamRetryMaxMs = 30'000;
        int endpointWaitMs = 10'000; // legacy: for the `endpoint` event after the GET
    };

    explicit HttpTransport(Options options, QObject* parent = nullptr);
    ~HttpTransport() override;

    void start() override;
    void stop() override;
    void send(const nlohmann::json& message) override;
    bool isOpen() const override;
    QString describe() const override;

    bool legacyMode() const { return m_legacy; }
    QByteArray sessionId() const { return m_sessionId; }

private:
    enum class BodyKind { Unknown, Json, Sse, Ignored, Error };

    // One POSTed message and what has come back for it so far.
    struct Post {
        nlohmann::json id; // null unless the message is a request
        bool initialize = false;
        bool initializedNotification = false;
        bool carriedSession = false;
        bool headersSeen = false;
        bool answered = false;
        bool tooLarge = false;
        bool legacy = false;     // posted to a legacy endpoint, where answers come on the stream
        std::size_t manager = 0; // which of m_nams carries it
        BodyKind kind = BodyKind::Unknown;
        QByteArray body; // JSON or error bodies; SSE goes through the parser
        std::unique_ptr<transport::SseParser> sse;
    };

    QNetworkRequest makeRequest(const QUrl& url, const QByteArray& accept) const;
    void post(const nlohmann::json& message);
    void onPostHeaders(QNetworkReply* reply, Post& p);
    void onPostReadyRead(QNetworkReply* reply);
    void onPostFinished(QNetworkReply* reply);
    void failRequest(const Post& p, const QString& why);

    void openStream();
    void onStreamHeaders();
    void onStreamReadyRead();
    void onStreamFinished();
    void retryStream();

    void switchToLegacy();
    void openLegacyStream();
    void onEndpoint(const std::string& data);

    void hold(const nlohmann::json& message);
    void releaseHeld();

    struct Received {
        nlohmann::json message;
        std::string raw; // empty for messages made up here
    };
    std::vector<Received> decode(std::string_view bytes) const;
    // Emits each message; false when a receiver closed us meanwhile, so callers stop at once.
    bool deliver(std::vector<Received> messages, Post* post);
    bool sessionExpired(int status, const QByteArray& body, bool carriedSession) const;
    QString cannotConnect(const QString& why) const;
    void shutdown(const QString& reason);
    void abortAll();

    Options m_options;
    // Two managers: Qt allows six connections per host and manager, and a GET stream that never
    // ends would otherwise take one of the slots that concurrent calls need.
    // Qt opens at most 6 HTTP/1.1 connections per host and manager and queues the rest, so
    // calls that run long (or wait on a person upstream) would hold up the 7th: each manager
    // takes 6 requests, and more managers are added when all are busy.
    QNetworkAccessManager& pickManager(std::size_t& index);
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_nams;
    std::vector<int> m_namLoad;
    std::unique_ptr<QNetworkAccessManager> m_streamNam;
    std::map<QNetworkReply*, Post> m_posts;

    QNetworkReply* m_stream = nullptr;
    std::unique_ptr<transport::SseParser> m_streamParser;
    bool m_streamHeadersSeen = false;
    bool m_streamUsable = false; // a 2xx text/event-stream answer
    QByteArray m_streamErrorBody;
    QElapsedTimer m_streamAge;
    int m_streamRetryMs = 0;
    QTimer m_streamRetryTimer;
    std::string m_lastEventId;

    bool m_started = false;
    bool m_closed = false;
    bool m_initialized = false; // the initialize result has passed through
    bool m_legacy = false;
    nlohmann::json m_initializeMessage; // kept for a re-send over the legacy transport
    QByteArray m_sessionId;
    QByteArray m_protocolVersion;

    // Messages that wait: for the GET stream (Streamable HTTP) or for the endpoint (legacy).
    std::deque<nlohmann::json> m_held;
    bool m_holding = false;
    QTimer m_holdTimer;

    QList<QUrl> m_legacyUrls; // candidates for the legacy SSE stream, tried in order
    qsizetype m_legacyIndex = 0;
    QUrl m_postUrl;               // legacy: from the endpoint event
    QStringList m_legacyFailures; // one line per candidate, for the final error
    bool m_endpointTimedOut = false;
    QTimer m_endpointTimer;
};

} // namespace portcullis
