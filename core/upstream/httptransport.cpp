#include "upstream/httptransport.h"

#include "mcp/jsonrpc.h"
#include "util/log.h"

#include <QNetworkRequest>

#include <algorithm>
#include <utility>

namespace portcullis {

using nlohmann::json;

namespace {

constexpr qsizetype kMaxErrorBodyBytes = 64 * 1024;
// A stream that stayed up this long was healthy; its end does not count as a repeated failure.
constexpr qint64 kHealthyStreamMs = 10'000;

int httpStatus(const QNetworkReply* reply) {
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

bool isSuccess(int status) {
    return status >= 200 && status < 300;
}

QByteArray contentType(const QNetworkReply* reply) {
    return reply->rawHeader("Content-Type").trimmed().toLower();
}

bool validSessionId(const QByteArray& id) {
    return !id.isEmpty() && id.size() <= 1024 &&
           std::all_of(id.begin(), id.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

// The most useful short explanation of a failed HTTP exchange: the JSON-RPC error message the
// server put in the body if there is one, else the reason phrase.
QString errorDetail(const QNetworkReply* reply, const QByteArray& body) {
    const json parsed = json::parse(body.begin(), body.end(), nullptr, false);
    if (parsed.is_object()) {
        if (auto e = parsed.find("error"); e != parsed.end() && e->is_object()) {
            if (auto m = e->find("message"); m != e->end() && m->is_string())
                return QString::fromStdString(m->get<std::string>()).left(300);
        }
    }
    const QString reason =
        reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString().trimmed();
    if (!reason.isEmpty())
        return reason;
    return QString::fromUtf8(body.left(300)).simplified();
}

std::string_view view(const QByteArray& bytes) {
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

} // namespace

HttpTransport::HttpTransport(Options options, QObject* parent)
    : UpstreamTransport(parent)
    , m_options(std::move(options))
    , m_streamNam(std::make_unique<QNetworkAccessManager>()) {
    m_streamRetryTimer.setSingleShot(true);
    connect(&m_streamRetryTimer, &QTimer::timeout, this, &HttpTransport::openStream);
    m_holdTimer.setSingleShot(true);
    connect(&m_holdTimer, &QTimer::timeout, this, [this] {
        if (m_legacy)
            return; // legacy messages wait for the endpoint, which has its own deadline
        log::logger()->warn("upstream {}: no GET stream after {} ms; sending held requests anyway",
                            m_options.name.toStdString(), m_options.streamWaitMs);
        releaseHeld();
    });
    m_endpointTimer.setSingleShot(true);
    connect(&m_endpointTimer, &QTimer::timeout, this, [this] {
        if (m_stream && m_postUrl.isEmpty()) {
            m_endpointTimedOut = true;
            m_stream->abort();
        }
    });
}

HttpTransport::~HttpTransport() {
    m_closed = true;
    abortAll();
}

QString HttpTransport::describe() const {
    return m_options.url.toString(QUrl::RemoveUserInfo);
}

bool HttpTransport::isOpen() const {
    return m_started && !m_closed;
}

void HttpTransport::start() {
    if (m_started)
        return;
    m_started = true;
    if (m_options.legacySse) {
        switchToLegacy();
    }
    QTimer::singleShot(0, this, [this] {
        if (!m_closed)
            Q_EMIT opened();
    });
}

void HttpTransport::stop() {
    if (!isOpen())
        return;
    if (!m_legacy && !m_sessionId.isEmpty()) {
        // Lets the server free the session now rather than at its idle timeout. Nobody waits for
        // the answer: the reply lives until it finishes or the manager goes.
        std::size_t manager = 0;
        QNetworkReply* reply = pickManager(manager).deleteResource(
            makeRequest(m_options.url, QByteArrayLiteral("application/json, text/event-stream")));
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    }
    shutdown(QString());
}

QNetworkRequest HttpTransport::makeRequest(const QUrl& url, const QByteArray& accept) const {
    QNetworkRequest request(url);
    // Plain HTTP/1.1: an h2c upgrade attempt is something small MCP servers get wrong.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    // The configured headers carry credentials; a redirect must not take them to another host.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::SameOriginRedirectPolicy);
    for (const auto& [key, value] : m_options.headers)
        request.setRawHeader(key.toUtf8(), value.toUtf8());
    request.setRawHeader("Accept", accept);
    if (!m_legacy) {
        if (!m_sessionId.isEmpty())
            request.setRawHeader("Mcp-Session-Id", m_sessionId);
        if (!m_protocolVersion.isEmpty())
            request.setRawHeader("MCP-Protocol-Version", m_protocolVersion);
    }
    return request;
}

void HttpTransport::send(const json& message) {
    if (!isOpen())
        return;
    const bool isRequest = message.contains("method") && message.contains("id");
    const std::string method = message.contains("method") && message["method"].is_string()
                                   ? message["method"].get<std::string>()
                                   : std::string();
    if (method == "initialize")
        m_initializeMessage = message;
    if (m_legacy && m_postUrl.isEmpty()) {
        hold(message);
        return;
    }
    // Once anything waits, everything after it waits too, so messages keep their order.
    if (m_holding && (!m_held.empty() || (isRequest && method != "initialize"))) {
        hold(message);
        return;
    }
    if (!m_legacy && method == "notifications/initialized") {
        m_holding = true;
        m_holdTimer.start(m_options.streamWaitMs);
    }
    post(message);
}

void HttpTransport::hold(const json& message) {
    if (m_held.size() < m_options.maxHeldMessages) {
        m_held.push_back(message);
        return;
    }
    if (!m_legacy) {
        // Waiting for the GET stream is a courtesy; it must not cost unbounded memory.
        releaseHeld();
        post(message);
        return;
    }
    if (message.contains("method") && message.contains("id")) {
        // Later, not now: the sender is still inside send() and has not finished its books.
        QTimer::singleShot(0, this, [this, id = message["id"]] {
            if (m_closed)
                return;
            deliver({{mcp::makeError(id, mcp::ErrorCode::InternalError,
                                     QStringLiteral("upstream %1: too many messages wait for the "
                                                    "server's SSE endpoint")
                                         .arg(m_options.name)
                                         .toStdString()),
                      {}}},
                    nullptr);
        });
    }
}

void HttpTransport::releaseHeld() {
    m_holding = false;
    m_holdTimer.stop();
    std::deque<json> held = std::move(m_held);
    m_held.clear();
    for (const json& message : held) {
        if (m_closed)
            return;
        post(message);
    }
}

QNetworkAccessManager& HttpTransport::pickManager(std::size_t& index) {
    constexpr int kConnectionsPerManager = 6;
    constexpr std::size_t kMaxManagers = 16;
    for (std::size_t i = 0; i < m_nams.size(); ++i) {
        if (m_namLoad[i] < kConnectionsPerManager) {
            index = i;
            ++m_namLoad[i];
            return *m_nams[i];
        }
    }
    if (m_nams.size() < kMaxManagers) {
        m_nams.push_back(std::make_unique<QNetworkAccessManager>());
        m_namLoad.push_back(0);
    }
    // Past the cap, Qt queues the request on the least busy manager.
    index = static_cast<std::size_t>(std::min_element(m_namLoad.begin(), m_namLoad.end()) -
                                     m_namLoad.begin());
    ++m_namLoad[index];
    return *m_nams[index];
}

void HttpTransport::post(const json& message) {
    const QUrl url = m_legacy ? m_postUrl : m_options.url;
    QNetworkRequest request =
        makeRequest(url, QByteArrayLiteral("application/json, text/event-stream"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));

    Post p;
    const std::string method = message.contains("method") && message["method"].is_string()
                                   ? message["method"].get<std::string>()
                                   : std::string();
    if (!method.empty() && message.contains("id"))
        p.id = message["id"];
    p.initialize = method == "initialize";
    p.initializedNotification = method == "notifications/initialized";
    p.carriedSession = !m_legacy && !m_sessionId.isEmpty();
    p.legacy = m_legacy;

    QNetworkReply* reply =
        pickManager(p.manager).post(request, QByteArray::fromStdString(mcp::serialize(message)));
    m_posts.emplace(reply, std::move(p));
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] { onPostReadyRead(reply); });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPostFinished(reply); });
}

void HttpTransport::onPostHeaders(QNetworkReply* reply, Post& p) {
    if (p.headersSeen)
        return;
    p.headersSeen = true;
    const int status = httpStatus(reply);
    if (!isSuccess(status)) {
        p.kind = BodyKind::Error;
        return;
    }
    if (p.initialize && !p.legacy) {
        const QByteArray sessionId = reply->rawHeader("Mcp-Session-Id").trimmed();
        if (validSessionId(sessionId))
            m_sessionId = sessionId;
        else if (!sessionId.isEmpty())
            log::logger()->warn("upstream {}: ignored a malformed session id",
                                m_options.name.toStdString());
    }
    const QByteArray type = contentType(reply);
    if (type.startsWith("text/event-stream")) {
        p.kind = BodyKind::Sse;
        p.sse = std::make_unique<transport::SseParser>(m_options.maxMessageBytes);
    } else if (type.startsWith("application/json")) {
        p.kind = BodyKind::Json;
    } else {
        p.kind = BodyKind::Ignored; // "Accepted" and the like
    }
}

void HttpTransport::onPostReadyRead(QNetworkReply* reply) {
    auto it = m_posts.find(reply);
    if (it == m_posts.end() || m_closed)
        return;
    Post& p = it->second;
    onPostHeaders(reply, p);
    const QByteArray bytes = reply->readAll();
    switch (p.kind) {
    case BodyKind::Unknown:
    case BodyKind::Ignored:
        return;
    case BodyKind::Error:
        p.body += bytes.left(kMaxErrorBodyBytes - p.body.size());
        return;
    case BodyKind::Json:
        if (static_cast<std::size_t>(p.body.size() + bytes.size()) > m_options.maxMessageBytes) {
            p.tooLarge = true;
            reply->abort();
            return;
        }
        p.body += bytes;
        return;
    case BodyKind::Sse:
        break;
    }
    const std::vector<transport::SseEvent> events = p.sse->feed(view(bytes));
    for (const transport::SseEvent& e : events) {
        // The priming event has an id and no data; other event types are not MCP messages.
        if (e.data.empty() || e.event != "message")
            continue;
        if (!deliver(decode(e.data), &p))
            return;
    }
    if (p.sse->failed()) {
        log::logger()->warn("upstream {}: unusable SSE response: {}", m_options.name.toStdString(),
                            p.sse->error());
        p.tooLarge = true;
        reply->abort();
    }
}

void HttpTransport::onPostFinished(QNetworkReply* reply) {
    if (m_posts.find(reply) == m_posts.end())
        return;
    if (reply->error() != QNetworkReply::OperationCanceledError)
        onPostReadyRead(reply); // whatever arrived together with the end
    auto it = m_posts.find(reply);
    if (it == m_posts.end())
        return; // a receiver closed us
    Post p = std::move(it->second);
    m_posts.erase(it);
    if (p.manager < m_namLoad.size())
        --m_namLoad[p.manager];
    reply->deleteLater();
    if (m_closed)
        return;
    onPostHeaders(reply, p);

    const int status = httpStatus(reply);
    if (p.tooLarge) {
        failRequest(p, QStringLiteral("the response was too large or malformed"));
        return;
    }
    if (status == 0) {
        const QNetworkReply::NetworkError error = reply->error();
        // Refused means nobody listens any more, and with the server went its session.
        if (!m_initialized || error == QNetworkReply::ConnectionRefusedError ||
            error == QNetworkReply::HostNotFoundError) {
            shutdown(cannotConnect(reply->errorString()));
            return;
        }
        failRequest(p, reply->errorString());
        return;
    }
    if (isSuccess(status)) {
        if (p.kind == BodyKind::Json && !deliver(decode(view(p.body)), &p))
            return;
        if (p.initializedNotification && !p.legacy)
            openStream();
        if (!p.legacy && !p.answered && (p.kind == BodyKind::Json || p.kind == BodyKind::Sse)) {
            failRequest(
                p, reply->error() == QNetworkReply::NoError
                       ? QStringLiteral("the response ended without an answer")
                       : QStringLiteral("the response broke off: %1").arg(reply->errorString()));
        }
        return;
    }
    if (p.initialize && !p.legacy && (status == 400 || status == 404 || status == 405)) {
        log::logger()->info("upstream {}: initialize got HTTP {}; trying the legacy HTTP+SSE "
                            "transport",
                            m_options.name.toStdString(), status);
        switchToLegacy();
        return;
    }
    if (sessionExpired(status, p.body, p.carriedSession || p.legacy)) {
        shutdown(QStringLiteral("upstream %1: session expired").arg(m_options.name));
        return;
    }
    failRequest(p, QStringLiteral("HTTP %1 %2").arg(status).arg(errorDetail(reply, p.body)));
}

void HttpTransport::failRequest(const Post& p, const QString& why) {
    const QString message = QStringLiteral("upstream %1: %2").arg(m_options.name, why);
    if (p.id.is_null() || p.answered) {
        log::logger()->warn("{}", message.toStdString());
        return;
    }
    deliver({{mcp::makeError(p.id, mcp::ErrorCode::InternalError, message.toStdString()), {}}},
            nullptr);
}

std::vector<HttpTransport::Received> HttpTransport::decode(std::string_view bytes) const {
    std::vector<Received> out;
    const mcp::MessageLimits limits{m_options.maxMessageBytes, 64};
    auto one = [&](std::string_view text) {
        const auto outcome = mcp::parseMessage(text, limits);
        if (const auto* m = std::get_if<mcp::Message>(&outcome))
            out.push_back({m->body, std::string(text)});
        else
            log::logger()->warn("upstream {}: ignored a body that is not a JSON-RPC message: {}",
                                m_options.name.toStdString(),
                                std::get<mcp::MessageError>(outcome).message);
    };
    const auto first = bytes.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return out;
    if (bytes[first] != '[') {
        one(bytes);
        return out;
    }
    // Batches left JSON-RPC as MCP uses it in 2025-06-18, but older servers may still answer
    // with one. parseMessage checks each element; the size was bounded by the caller.
    const json batch = json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (!batch.is_array()) {
        log::logger()->warn("upstream {}: ignored a body that is not JSON",
                            m_options.name.toStdString());
        return out;
    }
    for (const json& element : batch)
        one(element.dump(-1, ' ', false, json::error_handler_t::replace));
    return out;
}

bool HttpTransport::deliver(std::vector<Received> messages, Post* post) {
    for (Received& received : messages) {
        const json& m = received.message;
        if (m.contains("id") && !m.contains("method")) {
            const json& id = m["id"];
            if (post && !post->id.is_null() && id == post->id)
                post->answered = true;
            if (m_initializeMessage.is_object() && id == m_initializeMessage["id"] &&
                m.contains("result")) {
                m_initialized = true;
                const json& result = m["result"];
                if (result.is_object() && result.contains("protocolVersion") &&
                    result["protocolVersion"].is_string())
                    m_protocolVersion =
                        QByteArray::fromStdString(result["protocolVersion"].get<std::string>());
            }
        }
        Q_EMIT messageReceived(m, ReceivedText{received.raw, std::nullopt});
        if (m_closed)
            return false;
    }
    return true;
}

bool HttpTransport::sessionExpired(int status, const QByteArray& body, bool carriedSession) const {
    if (!carriedSession)
        return false;
    if (status == 404)
        return true;
    // server-everything's own router answers an unknown session with 400, not the spec's 404.
    return status == 400 && body.toLower().contains("session");
}

QString HttpTransport::cannotConnect(const QString& why) const {
    return QStringLiteral("upstream %1: cannot connect to %2: %3")
        .arg(m_options.name, describe(), why);
}

void HttpTransport::openStream() {
    if (m_closed || m_stream)
        return;
    QNetworkRequest request = makeRequest(
        m_legacy ? m_legacyUrls.value(m_legacyIndex) : m_options.url, "text/event-stream");
    if (!m_legacy && !m_lastEventId.empty())
        request.setRawHeader("Last-Event-ID", QByteArray::fromStdString(m_lastEventId));
    m_streamParser = std::make_unique<transport::SseParser>(m_options.maxMessageBytes);
    m_streamHeadersSeen = false;
    m_streamUsable = false;
    m_streamErrorBody.clear();
    m_streamAge.start();
    m_endpointTimedOut = false;
    QNetworkReply* reply = m_streamNam->get(request);
    m_stream = reply;
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
        if (reply == m_stream)
            onStreamHeaders();
    });
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        if (reply == m_stream)
            onStreamReadyRead();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        if (reply == m_stream)
            onStreamFinished();
    });
    if (m_legacy)
        m_endpointTimer.start(m_options.endpointWaitMs);
}

void HttpTransport::onStreamHeaders() {
    if (m_streamHeadersSeen)
        return;
    const QVariant status = m_stream->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return; // not yet: metaDataChanged can come before the status line is known
    m_streamHeadersSeen = true;
    m_streamUsable =
        isSuccess(status.toInt()) && contentType(m_stream).startsWith("text/event-stream");
    if (m_streamUsable && !m_legacy) {
        log::logger()->info("upstream {}: GET stream open", m_options.name.toStdString());
        releaseHeld();
    }
}

void HttpTransport::onStreamReadyRead() {
    QNetworkReply* reply = m_stream;
    onStreamHeaders();
    const QByteArray bytes = reply->readAll();
    if (!m_streamUsable) {
        m_streamErrorBody += bytes.left(kMaxErrorBodyBytes - m_streamErrorBody.size());
        return;
    }
    const std::vector<transport::SseEvent> events = m_streamParser->feed(view(bytes));
    if (!m_legacy)
        m_lastEventId = m_streamParser->lastEventId();
    for (const transport::SseEvent& e : events) {
        if (m_legacy && e.event == "endpoint") {
            onEndpoint(e.data);
        } else if (!e.data.empty() && e.event == "message") {
            m_streamRetryMs = 0;
            if (!deliver(decode(e.data), nullptr))
                return;
        }
        if (m_closed || reply != m_stream)
            return;
    }
    if (m_streamParser->failed()) {
        log::logger()->warn("upstream {}: unusable SSE stream: {}", m_options.name.toStdString(),
                            m_streamParser->error());
        reply->abort();
    }
}

void HttpTransport::onStreamFinished() {
    QNetworkReply* reply = m_stream;
    if (reply->error() != QNetworkReply::OperationCanceledError) {
        onStreamReadyRead();
        if (m_closed || reply != m_stream)
            return;
    }
    onStreamHeaders();
    m_stream = nullptr;
    reply->deleteLater();
    m_endpointTimer.stop();
    if (m_closed)
        return;
    const int status = httpStatus(reply);
    const QString outcome =
        status == 0 || m_streamUsable
            ? (reply->error() == QNetworkReply::NoError ? QStringLiteral("closed by the server")
                                                        : reply->errorString())
            : QStringLiteral("HTTP %1 %2").arg(status).arg(errorDetail(reply, m_streamErrorBody));

    if (m_legacy) {
        if (!m_postUrl.isEmpty()) {
            // A legacy session lives exactly as long as its stream; there is nothing to resume.
            shutdown(QStringLiteral("upstream %1: the SSE stream ended (%2)")
                         .arg(m_options.name, status == 0 ? reply->errorString()
                                                          : QStringLiteral("HTTP %1").arg(status)));
            return;
        }
        const QString why =
            m_endpointTimedOut
                ? QStringLiteral("no endpoint event within %1 ms").arg(m_options.endpointWaitMs)
            : m_streamUsable ? QStringLiteral("the stream ended before the endpoint event")
                             : outcome;
        m_legacyFailures.append(m_legacyUrls.value(m_legacyIndex).toString(QUrl::RemoveUserInfo) %
                                u": " % why);
        if (++m_legacyIndex < m_legacyUrls.size()) {
            openStream();
            return;
        }
        shutdown(cannotConnect(QStringLiteral("no usable MCP endpoint (legacy SSE: %1)")
                                   .arg(m_legacyFailures.join(QLatin1String("; ")))));
        return;
    }

    if (status == 0 && (reply->error() == QNetworkReply::ConnectionRefusedError ||
                        reply->error() == QNetworkReply::HostNotFoundError)) {
        shutdown(cannotConnect(reply->errorString()));
        return;
    }
    if (sessionExpired(status, m_streamErrorBody, !m_sessionId.isEmpty())) {
        shutdown(QStringLiteral("upstream %1: session expired").arg(m_options.name));
        return;
    }
    // Requests waited for the stream; whatever became of it, they need not wait any longer.
    releaseHeld();
    if (status == 405 || status == 404) {
        log::logger()->info("upstream {}: the server offers no GET stream ({})",
                            m_options.name.toStdString(), outcome.toStdString());
        return;
    }
    log::logger()->warn("upstream {}: GET stream ended: {}", m_options.name.toStdString(),
                        outcome.toStdString());
    retryStream();
}

void HttpTransport::retryStream() {
    if (m_streamAge.isValid() && m_streamAge.elapsed() >= kHealthyStreamMs)
        m_streamRetryMs = 0;
    m_streamRetryMs = m_streamRetryMs == 0
                          ? m_options.streamRetryMinMs
                          : std::min(m_streamRetryMs * 2, m_options.streamRetryMaxMs);
    m_streamRetryTimer.start(m_streamRetryMs);
}

void HttpTransport::switchToLegacy() {
    m_legacy = true;
    m_sessionId.clear();
    m_protocolVersion.clear();
    m_holding = true;
    m_holdTimer.stop();
    m_legacyUrls = {m_options.url};
    // server-everything and others serve Streamable HTTP at /mcp and the legacy stream at /sse.
    const QString path = m_options.url.path();
    if (path.endsWith(QLatin1String("/mcp"))) {
        QUrl alternative = m_options.url;
        alternative.setPath(path.chopped(4) + QLatin1String("/sse"));
        m_legacyUrls.append(alternative);
    }
    m_legacyIndex = 0;
    m_legacyFailures.clear();
    if (m_initializeMessage.is_object())
        m_held.push_front(m_initializeMessage);
    openStream();
}

void HttpTransport::onEndpoint(const std::string& data) {
    if (!m_postUrl.isEmpty())
        return; // only the first one names the session
    const QUrl base = m_legacyUrls.value(m_legacyIndex);
    const QUrl target = base.resolved(QUrl(QString::fromStdString(data).trimmed()));
    // Messages carry the configured credentials: they go nowhere but the server we chose.
    if (!target.isValid() || target.scheme() != base.scheme() || target.host() != base.host() ||
        target.port(-1) != base.port(-1)) {
        shutdown(QStringLiteral("upstream %1: the SSE endpoint %2 is not on %3")
                     .arg(m_options.name, target.toString(QUrl::RemoveUserInfo), describe()));
        return;
    }
    m_postUrl = target;
    m_endpointTimer.stop();
    log::logger()->info("upstream {}: legacy HTTP+SSE session, messages go to {}",
                        m_options.name.toStdString(),
                        target.toString(QUrl::RemoveUserInfo).toStdString());
    releaseHeld();
}

void HttpTransport::shutdown(const QString& reason) {
    if (m_closed)
        return;
    m_closed = true;
    if (reason.isEmpty())
        log::logger()->info("upstream {}: stopped", m_options.name.toStdString());
    else
        log::logger()->warn("{}", reason.toStdString());
    m_holdTimer.stop();
    m_endpointTimer.stop();
    m_streamRetryTimer.stop();
    m_held.clear();
    abortAll();
    // Receivers may destroy this transport when told; never do that under a caller's feet.
    QTimer::singleShot(0, this, [this, reason] { Q_EMIT closed(reason); });
}

void HttpTransport::abortAll() {
    // abort() emits finished at once; take everything first so no handler sees a half-torn map.
    std::map<QNetworkReply*, Post> posts = std::move(m_posts);
    m_posts.clear();
    std::fill(m_namLoad.begin(), m_namLoad.end(), 0);
    for (auto& [reply, p] : posts) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (QNetworkReply* stream = std::exchange(m_stream, nullptr)) {
        stream->disconnect(this);
        stream->abort();
        stream->deleteLater();
    }
}

} // namespace portcullis
