#pragma once

#include "util/linesplitter.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QSocketNotifier>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <nlohmann/json.hpp>

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace portcullis {

namespace transport {
class SseParser;
}

// `portcullis-bridge`: serves an MCP client that can only launch stdio servers by relaying its
// newline-delimited JSON-RPC to a running gateway's Streamable HTTP endpoint. Every client
// message is its own POST, so a call held for approval never delays the others; whatever the
// gateway sends back (JSON bodies, SSE events on POST responses and on the session's GET
// stream) goes to the output one whole line per message.
class HttpBridge final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpBridge)

public:
    struct Options {
        QUrl endpoint;
        QString token;
        int inputFd = 0;
        int outputFd = 1;
    };

    explicit HttpBridge(Options options, QObject* parent = nullptr);
    ~HttpBridge() override;

Q_SIGNALS:
    // Emitted once: 0 after the input ended (and the session was ended), 1 when the gateway
    // forgot the session, which only a restarted client can recover from.
    void finished(int exitCode);

private:
    struct Post;
    struct Manager;

    void onReadable();
    void handleLine(const QByteArray& line);
    void send(const nlohmann::json& id, bool isRequest, const std::string& method,
              const QByteArray& body);
    QNetworkAccessManager& pickManager(std::size_t& index);
    QNetworkRequest baseRequest() const;

    void onPostReadyRead(QNetworkReply* reply);
    void onPostFinished(QNetworkReply* reply);
    void classify(QNetworkReply& reply, Post& post);
    void relay(Post* post, std::string_view data);
    void failRequest(const Post& post, const std::string& message);
    void sessionGone(const Post* post);
    void flushQueue();

    void openStream();
    void onStreamReadyRead();
    void onStreamFinished();

    void onInputEnded();
    void finish(int exitCode);

    void writeLine(std::string line);
    void writeError(const nlohmann::json& id, int code, const std::string& message);
    std::string unreachable(const QString& reason) const;

    Options m_options;
    QByteArray m_authorization;
    QByteArray m_sessionId;
    QByteArray m_protocolVersion;

    QSocketNotifier m_notifier;
    LineSplitter m_lines{4 * 1024 * 1024};

    // Qt opens at most six connections per host and manager, and held calls keep theirs busy
    // for minutes, so POSTs spread over as many managers as the concurrency needs.
    std::vector<Manager> m_managers;
    std::unordered_map<QNetworkReply*, std::unique_ptr<Post>> m_posts;
    // Until the initialize response names the session, later messages could only be refused.
    bool m_initializing = false;
    std::vector<QByteArray> m_queued;

    std::unique_ptr<QNetworkAccessManager> m_streamManager;
    QNetworkReply* m_stream = nullptr;
    std::unique_ptr<transport::SseParser> m_streamParser;
    QTimer m_streamRetry;
    QElapsedTimer m_streamAge;
    int m_streamDelayMs = 1000;

    QTimer m_deleteDeadline;
    bool m_closing = false;
    bool m_done = false;
};

} // namespace portcullis
