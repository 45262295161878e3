#include "bridge/httpbridge.h"

#include "mcp/jsonrpc.h"
#include "transport/sseparser.h"
#include "util/log.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <poll.h>
#include <unistd.h>
#include <utility>

namespace portcullis {

using nlohmann::json;

namespace {

constexpr qsizetype kMaxLineBytes = 4 * 1024 * 1024;
// The gateway passes on upstream messages of up to 16 MiB and wraps some of them.
constexpr std::size_t kMaxGatewayMessageBytes = 32 * 1024 * 1024;
constexpr int kMaxGatewayDepth = 128;
constexpr int kConnectionsPerManager = 6; // Qt's fixed per-host channel count for HTTP/1.1
constexpr std::size_t kMaxManagers = 32;
constexpr int kFirstStreamDelayMs = 1000;
constexpr int kMaxStreamDelayMs = 30'000;
constexpr int kDeleteTimeoutMs = 2000;

const QByteArray kSessionHeader = QByteArrayLiteral("Mcp-Session-Id");
const QByteArray kVersionHeader = QByteArrayLiteral("MCP-Protocol-Version");

// Header values that came from the network go back into our headers; anything but visible
// ASCII could split them.
bool isVisibleAscii(const QByteArray& value, qsizetype maxSize) {
    return !value.isEmpty() && value.size() <= maxSize &&
           std::all_of(value.begin(), value.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::optional<int> httpStatus(const QNetworkReply& reply) {
    const QVariant status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return std::nullopt;
    return status.toInt();
}

// What an HTTP error body says, for a message a person reads: the gateway sends
// {"error":"..."} or a JSON-RPC error.
std::string errorDetail(const QByteArray& body) {
    const json parsed = json::parse(body.begin(), body.end(), nullptr, false);
    if (parsed.is_object()) {
        const auto error = parsed.find("error");
        if (error != parsed.end() && error->is_string())
            return error->get<std::string>();
        if (error != parsed.end() && error->is_object() && error->contains("message") &&
            (*error)["message"].is_string())
            return (*error)["message"].get<std::string>();
    }
    return body.left(200).simplified().toStdString();
}

} // namespace

struct HttpBridge::Post {
    json id; // the request's id; null for notifications and responses
    bool isRequest = false;
    bool isInitialize = false;
    bool isInitialized = false; // notifications/initialized: the server stream may open after it
    bool withSession = false;   // a 404 then means the session is gone, not a wrong URL
    std::size_t manager = 0;
    bool classified = false;
    bool sse = false;
    bool answered = false;
    transport::SseParser parser{kMaxGatewayMessageBytes};
    QByteArray body;
};

struct HttpBridge::Manager {
    std::unique_ptr<QNetworkAccessManager> nam;
    int inFlight = 0;
};

namespace {

std::unique_ptr<QNetworkAccessManager> makeManager() {
    auto nam = std::make_unique<QNetworkAccessManager>();
    // The token must not travel through a proxy or follow a redirect to another host.
    nam->setProxy(QNetworkProxy::NoProxy);
    nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    // Approval holds last minutes: no transfer timeout.
    nam->setTransferTimeout(0);
    return nam;
}

} // namespace

HttpBridge::HttpBridge(Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_authorization("Bearer " + m_options.token.toUtf8())
    , m_notifier(m_options.inputFd, QSocketNotifier::Read)
    , m_streamManager(makeManager()) {
    connect(&m_notifier, &QSocketNotifier::activated, this, &HttpBridge::onReadable);
    m_streamRetry.setSingleShot(true);
    connect(&m_streamRetry, &QTimer::timeout, this, &HttpBridge::openStream);
    m_deleteDeadline.setSingleShot(true);
    connect(&m_deleteDeadline, &QTimer::timeout, this, [this] {
        log::logger()->warn("portcullis-bridge: the gateway did not confirm the end of the "
                            "session within {} ms",
                            kDeleteTimeoutMs);
        finish(0);
    });
}

HttpBridge::~HttpBridge() {
    // Replies die with their managers after this body; none may call back into a half-destroyed
    // bridge.
    for (const auto& m : m_managers) {
        const auto replies = m.nam->findChildren<QNetworkReply*>();
        for (QNetworkReply* r : replies)
            r->disconnect(this);
    }
    if (m_stream)
        m_stream->disconnect(this);
}

void HttpBridge::onReadable() {
    char chunk[65536];
    const ssize_t n = ::read(m_options.inputFd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        onInputEnded();
        return;
    }
    const auto status = m_lines.feed(QByteArrayView(chunk, n), [this](const QByteArray& line) {
        handleLine(line);
        return !m_done;
    });
    if (status == LineSplitter::Status::Overflow)
        writeError(nullptr, mcp::ErrorCode::InvalidRequest,
                   "portcullis-bridge: message is larger than the 4 MiB limit");
}

void HttpBridge::handleLine(const QByteArray& line) {
    if (line.size() > kMaxLineBytes) {
        writeError(nullptr, mcp::ErrorCode::InvalidRequest,
                   "portcullis-bridge: message is larger than the 4 MiB limit");
        return;
    }
    if (m_initializing) {
        m_queued.push_back(line);
        return;
    }
    const auto outcome = mcp::parseMessage(
        std::string_view(line.constData(), static_cast<std::size_t>(line.size())));
    if (const auto* error = std::get_if<mcp::MessageError>(&outcome)) {
        // The gateway would refuse it the same way; answering here saves the round trip.
        if (error->replyExpected)
            writeLine(mcp::serialize(mcp::makeError(*error)));
        return;
    }
    const mcp::Message& m = std::get<mcp::Message>(outcome);
    const bool isRequest = m.kind == mcp::MessageKind::Request;
    send(isRequest ? m.id() : json(nullptr), isRequest,
         m.kind == mcp::MessageKind::Response ? std::string() : m.method(), line);
}

QNetworkRequest HttpBridge::baseRequest() const {
    QNetworkRequest r(m_options.endpoint);
    // The gateway speaks HTTP/1.1 only; no upgrade attempt.
    r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    r.setRawHeader("Authorization", m_authorization);
    if (!m_sessionId.isEmpty())
        r.setRawHeader(kSessionHeader, m_sessionId);
    if (!m_protocolVersion.isEmpty())
        r.setRawHeader(kVersionHeader, m_protocolVersion);
    return r;
}

QNetworkAccessManager& HttpBridge::pickManager(std::size_t& index) {
    for (std::size_t i = 0; i < m_managers.size(); ++i) {
        if (m_managers[i].inFlight < kConnectionsPerManager) {
            index = i;
            ++m_managers[i].inFlight;
            return *m_managers[i].nam;
        }
    }
    if (m_managers.size() < kMaxManagers) {
        m_managers.push_back(Manager{makeManager(), 0});
    }
    // Past the cap Qt queues the request on the least busy manager.
    const auto least = std::min_element(
        m_managers.begin(), m_managers.end(),
        [](const Manager& a, const Manager& b) { return a.inFlight < b.inFlight; });
    index = static_cast<std::size_t>(least - m_managers.begin());
    ++least->inFlight;
    return *least->nam;
}

void HttpBridge::send(const json& id, bool isRequest, const std::string& method,
                      const QByteArray& body) {
    auto post = std::make_unique<Post>();
    post->id = id;
    post->isRequest = isRequest;
    post->isInitialize = isRequest && method == "initialize";
    post->isInitialized = !isRequest && method == "notifications/initialized";

    QNetworkRequest r = baseRequest();
    if (post->isInitialize) {
        // A new initialize starts a new session; the old one's headers would get it refused.
        r.setRawHeader(kSessionHeader, QByteArray());
        r.setRawHeader(kVersionHeader, QByteArray());
    }
    post->withSession = !r.rawHeader(kSessionHeader).isEmpty();
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    r.setRawHeader("Accept", "application/json, text/event-stream");

    QNetworkReply* reply = pickManager(post->manager).post(r, body);
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] { onPostReadyRead(reply); });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPostFinished(reply); });
    if (post->isInitialize)
        m_initializing = true;
    m_posts.emplace(reply, std::move(post));
}

void HttpBridge::classify(QNetworkReply& reply, Post& post) {
    post.classified = true;
    const int status = httpStatus(reply).value_or(0);
    post.sse = status == 200 &&
               reply.rawHeader("Content-Type").trimmed().toLower().startsWith("text/event-stream");
    if (!post.isInitialize || status / 100 != 2)
        return;
    const QByteArray session = reply.rawHeader(kSessionHeader);
    if (session.isEmpty())
        return;
    if (!isVisibleAscii(session, 1024)) {
        log::logger()->warn(
            "portcullis-bridge: ignored a malformed Mcp-Session-Id from the gateway");
        return;
    }
    m_sessionId = session;
    m_protocolVersion.clear(); // negotiated anew by this initialize
}

void HttpBridge::onPostReadyRead(QNetworkReply* reply) {
    const auto it = m_posts.find(reply);
    if (it == m_posts.end())
        return;
    Post& post = *it->second;
    if (!post.classified)
        classify(*reply, post);
    const QByteArray bytes = reply->readAll();
    if (!post.sse) {
        if (post.body.size() + bytes.size() <= static_cast<qsizetype>(kMaxGatewayMessageBytes)) {
            post.body += bytes;
            return;
        }
        log::logger()->warn("portcullis-bridge: an answer from the gateway exceeds {} bytes",
                            kMaxGatewayMessageBytes);
        post.body.clear();
        reply->abort(); // last: finished() runs inside and drops `post`
        return;
    }
    for (const auto& event : post.parser.feed(
             std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size()))))
        if (!event.data.empty())
            relay(&post, event.data);
    if (post.parser.failed()) {
        log::logger()->warn("portcullis-bridge: broken event stream from the gateway: {}",
                            post.parser.error());
        reply->abort(); // last: finished() runs inside and drops `post`
    }
}

void HttpBridge::onPostFinished(QNetworkReply* reply) {
    auto node = m_posts.extract(reply);
    if (node.empty())
        return;
    const std::unique_ptr<Post> post = std::move(node.mapped());
    reply->deleteLater();
    --m_managers[post->manager].inFlight;
    if (m_done)
        return;

    const std::optional<int> status = httpStatus(*reply);
    if (status && !post->classified)
        classify(*reply, *post);
    if (!status) {
        if (!m_closing) {
            log::logger()->warn("portcullis-bridge: cannot reach the gateway at {}: {}",
                                m_options.endpoint.toDisplayString().toStdString(),
                                reply->errorString().toStdString());
            if (post->isRequest)
                writeError(post->id, mcp::ErrorCode::InternalError,
                           unreachable(reply->errorString()));
        }
    } else if (*status == 401) {
        log::logger()->error("portcullis-bridge: the gateway refused the token (401); check "
                             "--token-file or PORTCULLIS_TOKEN");
        if (post->isRequest)
            writeError(post->id, mcp::ErrorCode::InternalError,
                       "portcullis-bridge: the gateway refused the token (401)");
    } else if (*status == 404 && post->withSession) {
        sessionGone(post.get());
        return;
    } else if (*status / 100 == 2) {
        const QByteArray rest = reply->readAll();
        if (post->sse) {
            for (const auto& event : post->parser.feed(
                     std::string_view(rest.constData(), static_cast<std::size_t>(rest.size()))))
                if (!event.data.empty())
                    relay(post.get(), event.data);
            if (!post->answered)
                failRequest(*post, reply->error() != QNetworkReply::NoError
                                       ? "the gateway's answer was cut off: " +
                                             reply->errorString().toStdString()
                                       : std::string("the gateway ended the stream without an "
                                                     "answer"));
        } else {
            post->body += rest;
            if (!post->body.trimmed().isEmpty() && reply->error() == QNetworkReply::NoError)
                relay(post.get(), std::string_view(post->body.constData(),
                                                   static_cast<std::size_t>(post->body.size())));
            if (!post->answered)
                failRequest(*post,
                            "the gateway sent no answer (HTTP " + std::to_string(*status) + ")");
        }
    } else {
        post->body += reply->readAll();
        const std::string detail = errorDetail(post->body);
        log::logger()->warn("portcullis-bridge: the gateway answered HTTP {}: {}", *status, detail);
        failRequest(*post, "the gateway answered HTTP " + std::to_string(*status) + ": " + detail);
    }

    if (post->isInitialize) {
        m_initializing = false;
        flushQueue();
    }
    if (post->isInitialized)
        openStream();
}

void HttpBridge::relay(Post* post, std::string_view data) {
    const auto outcome = mcp::parseMessage(data, {kMaxGatewayMessageBytes, kMaxGatewayDepth});
    if (const auto* error = std::get_if<mcp::MessageError>(&outcome)) {
        // The client's stdout may carry only JSON-RPC; anything else would break its reader.
        log::logger()->warn("portcullis-bridge: dropped a message from the gateway: {}",
                            error->message);
        return;
    }
    const mcp::Message& m = std::get<mcp::Message>(outcome);
    if (post && post->isRequest && m.kind == mcp::MessageKind::Response && m.id() == post->id) {
        post->answered = true;
        const auto result = m.body.find("result");
        if (post->isInitialize && result != m.body.end() && result->is_object()) {
            const auto version = result->find("protocolVersion");
            if (version != result->end() && version->is_string()) {
                const QByteArray v = QByteArray::fromStdString(version->get<std::string>());
                if (isVisibleAscii(v, 64))
                    m_protocolVersion = v;
            }
        }
    }
    writeLine(std::string(data));
}

void HttpBridge::failRequest(const Post& post, const std::string& message) {
    if (post.isRequest)
        writeError(post.id, mcp::ErrorCode::InternalError, "portcullis-bridge: " + message);
}

void HttpBridge::sessionGone(const Post* post) {
    if (m_closing)
        return; // our own DELETE ended it
    log::logger()->error("portcullis-bridge: the gateway no longer knows session {} (404); the "
                         "client must restart the bridge",
                         m_sessionId.toStdString());
    if (post && post->isRequest)
        writeError(post->id, mcp::ErrorCode::InternalError,
                   "portcullis-bridge: the gateway ended this session (404); restart the client");
    finish(1);
}

void HttpBridge::flushQueue() {
    // A queued initialize queues what follows it again, in order.
    std::vector<QByteArray> queued = std::exchange(m_queued, {});
    for (const QByteArray& line : queued) {
        if (m_done)
            return;
        handleLine(line);
    }
}

void HttpBridge::openStream() {
    if (m_closing || m_done || m_sessionId.isEmpty() || m_stream)
        return;
    m_streamRetry.stop();
    QNetworkRequest r = baseRequest();
    r.setRawHeader("Accept", "text/event-stream");
    if (m_streamParser && !m_streamParser->lastEventId().empty())
        r.setRawHeader("Last-Event-ID", QByteArray::fromStdString(m_streamParser->lastEventId()));
    m_streamParser = std::make_unique<transport::SseParser>(kMaxGatewayMessageBytes);
    m_stream = m_streamManager->get(r);
    m_streamAge.start();
    connect(m_stream, &QNetworkReply::readyRead, this, &HttpBridge::onStreamReadyRead);
    connect(m_stream, &QNetworkReply::finished, this, &HttpBridge::onStreamFinished);
}

void HttpBridge::onStreamReadyRead() {
    if (!m_stream)
        return;
    const QByteArray bytes = m_stream->readAll();
    if (httpStatus(*m_stream).value_or(0) != 200)
        return; // an error body; the status decides in onStreamFinished
    for (const auto& event : m_streamParser->feed(
             std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size()))))
        if (!event.data.empty())
            relay(nullptr, event.data);
    if (m_streamParser->failed()) {
        log::logger()->warn("portcullis-bridge: broken server stream from the gateway: {}",
                            m_streamParser->error());
        m_stream->abort(); // last: finished() runs inside and clears m_stream
    }
}

void HttpBridge::onStreamFinished() {
    QNetworkReply* reply = std::exchange(m_stream, nullptr);
    if (!reply)
        return;
    reply->deleteLater();
    if (m_closing || m_done)
        return;
    const std::optional<int> status = httpStatus(*reply);
    if (status == 404) {
        sessionGone(nullptr);
        return;
    }
    if (status == 405) {
        log::logger()->info("portcullis-bridge: the gateway offers no server stream (405)");
        return;
    }
    // A stream that lived long ended for an ordinary reason (a restart, an idle proxy): start
    // over at the shortest delay. One that keeps failing backs off.
    if (status == 200 && m_streamAge.elapsed() >= kMaxStreamDelayMs)
        m_streamDelayMs = kFirstStreamDelayMs;
    const int delay = m_streamDelayMs;
    m_streamDelayMs = std::min(delay * 2, kMaxStreamDelayMs);
    const std::string why = !status          ? reply->errorString().toStdString()
                            : *status == 200 ? std::string("it ended")
                                             : "HTTP " + std::to_string(*status);
    log::logger()->warn("portcullis-bridge: server stream: {}; reopening in {} ms", why, delay);
    m_streamRetry.start(delay);
}

void HttpBridge::onInputEnded() {
    m_notifier.setEnabled(false);
    m_closing = true;
    m_streamRetry.stop();
    if (m_stream)
        m_stream->abort();
    if (m_sessionId.isEmpty()) {
        finish(0);
        return;
    }
    // Best effort: the gateway would otherwise keep the session and its held calls until they
    // expire.
    QNetworkRequest r = baseRequest();
    r.setTransferTimeout(kDeleteTimeoutMs);
    std::size_t index = 0;
    QNetworkReply* reply = pickManager(index).sendCustomRequest(r, "DELETE");
    connect(reply, &QNetworkReply::finished, this, [this, reply, index] {
        reply->deleteLater();
        --m_managers[index].inFlight;
        finish(0);
    });
    m_deleteDeadline.start(kDeleteTimeoutMs + 200);
}

void HttpBridge::finish(int exitCode) {
    if (m_done)
        return;
    m_done = true;
    m_notifier.setEnabled(false);
    m_deleteDeadline.stop();
    m_streamRetry.stop();
    Q_EMIT finished(exitCode);
}

void HttpBridge::writeLine(std::string line) {
    // Valid JSON holds CR and LF only as whitespace between tokens: blanking them keeps the
    // message one line without changing it.
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::replace(line.begin(), line.end(), '\r', ' ');
    line += '\n';
    const char* data = line.data();
    std::size_t left = line.size();
    // Blocking until the whole line is out keeps concurrent answers from interleaving.
    while (left > 0) {
        const ssize_t n = ::write(m_options.outputFd, data, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            pollfd p{m_options.outputFd, POLLOUT, 0};
            ::poll(&p, 1, -1);
            continue;
        }
        if (n <= 0)
            return; // the client closed its end; stdin's end follows and finishes us
        data += n;
        left -= static_cast<std::size_t>(n);
    }
}

void HttpBridge::writeError(const json& id, int code, const std::string& message) {
    writeLine(mcp::serialize(mcp::makeError(id, code, message)));
}

std::string HttpBridge::unreachable(const QString& reason) const {
    return "portcullis-bridge: cannot reach the gateway at " +
           m_options.endpoint.toDisplayString(QUrl::RemoveUserInfo).toStdString() + ": " +
           reason.toStdString();
}

} // namespace portcullis
