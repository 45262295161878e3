#include "rawhttpsession.h"

#include <utility>

namespace {
constexpr int kWaitMs = 10'000;
constexpr qsizetype kMaxResponse = 16 * 1024 * 1024; // a bound, not an expectation
} // namespace

RawHttpSession::RawHttpSession(QUrl url)
    : m_url(std::move(url)) {}

RawHttpSession::~RawHttpSession() {
    close();
}

bool RawHttpSession::open() {
    m_socket.connectToHost(m_url.host(), static_cast<quint16>(m_url.port(80)));
    if (!m_socket.waitForConnected(kWaitMs))
        return fail(QStringLiteral("cannot connect to %1: %2")
                        .arg(m_url.toString(), m_socket.errorString()));
    // What a browser-less client would send anyway; Nagle would only add delay here.
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    Response r;
    if (!post(initializeRequest(), &r) || r.status != 200)
        return fail(QStringLiteral("initialize failed (HTTP %1)").arg(r.status));
    m_sessionId = header(r, "mcp-session-id");
    const QByteArray init = messageFor(r, 0);
    const QByteArray key = "\"protocolVersion\":\"";
    const qsizetype at = init.indexOf(key);
    if (at >= 0)
        m_protocolVersion =
            init.mid(at + key.size(), init.indexOf('"', at + key.size()) - at - key.size());
    if (!post(initializedNotification(), &r) || (r.status != 202 && r.status != 200))
        return fail(QStringLiteral("notifications/initialized failed (HTTP %1)").arg(r.status));
    return true;
}

bool RawHttpSession::call(qint64 id, const QByteArray& request, bool* ok) {
    Response r;
    if (!post(request, &r))
        return fail(QStringLiteral("no answer to request %1").arg(id));
    const QByteArray message = messageFor(r, id);
    *ok = r.status == 200 && looksSuccessful(message);
    return true;
}

void RawHttpSession::close() {
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return;
    if (!m_sessionId.isEmpty()) {
        // Ends the session, so the server does not keep it until it expires.
        const QByteArray token = qgetenv("PORTCULLIS_TOKEN");
        QByteArray del =
            "DELETE " + m_url.path().toUtf8() + " HTTP/1.1\r\nHost: " + m_url.host().toUtf8() +
            "\r\nMcp-Session-Id: " + m_sessionId + "\r\n" +
            (token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n") +
            "Content-Length: 0\r\n\r\n";
        m_socket.write(del);
        Response ignored;
        readResponse(&ignored);
    }
    m_socket.disconnectFromHost();
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.waitForDisconnected(1000);
}

bool RawHttpSession::post(const QByteArray& body, Response* response) {
    QByteArray request = "POST " + m_url.path().toUtf8() +
                         " HTTP/1.1\r\nHost: " + m_url.host().toUtf8() + ':' +
                         QByteArray::number(m_url.port(80)) +
                         "\r\nContent-Type: application/json\r\n"
                         "Accept: application/json, text/event-stream\r\n";
    if (!m_sessionId.isEmpty())
        request += "Mcp-Session-Id: " + m_sessionId + "\r\n";
    // A gateway started without --no-auth (the window's) wants the workspace's token.
    static const QByteArray token = qgetenv("PORTCULLIS_TOKEN");
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token + "\r\n";
    if (!m_protocolVersion.isEmpty())
        request += "Mcp-Protocol-Version: " + m_protocolVersion + "\r\n";
    request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    m_socket.write(request);
    return readResponse(response);
}

bool RawHttpSession::fill() {
    if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(kWaitMs))
        return false;
    m_buffer += m_socket.readAll();
    return m_buffer.size() <= kMaxResponse;
}

bool RawHttpSession::readResponse(Response* response) {
    qsizetype headEnd;
    while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
        if (!fill())
            return false;
    }
    response->head = m_buffer.left(headEnd);
    response->lowerHead = response->head.toLower();
    response->status = response->head.mid(9, 3).toInt();
    m_buffer.remove(0, headEnd + 4);

    if (header(*response, "transfer-encoding").toLower().contains("chunked")) {
        response->body.clear();
        while (true) {
            qsizetype lineEnd;
            while ((lineEnd = m_buffer.indexOf("\r\n")) < 0) {
                if (!fill())
                    return false;
            }
            bool sizeOk = false;
            const qsizetype size =
                m_buffer.left(lineEnd).split(';').first().trimmed().toLongLong(&sizeOk, 16);
            if (!sizeOk)
                return false;
            // The last chunk has no data, only the (empty) trailer section after it.
            while (m_buffer.size() < lineEnd + 2 + size + 2) {
                if (!fill())
                    return false;
            }
            response->body += m_buffer.mid(lineEnd + 2, size);
            m_buffer.remove(0, lineEnd + 2 + size + 2);
            if (size == 0)
                return true;
        }
    }
    const qsizetype length = header(*response, "content-length").toLongLong();
    while (m_buffer.size() < length) {
        if (!fill())
            return false;
    }
    response->body = m_buffer.left(length);
    m_buffer.remove(0, length);
    return true;
}

QByteArray RawHttpSession::header(const Response& response, const QByteArray& lowerName) {
    const QByteArray key = "\r\n" + lowerName + ':';
    const qsizetype at = response.lowerHead.indexOf(key);
    if (at < 0)
        return {};
    const qsizetype start = at + key.size();
    const qsizetype end = response.lowerHead.indexOf("\r\n", start);
    // From the head as sent: a session id is case-sensitive. Lowering ASCII keeps offsets.
    return response.head.mid(start, end < 0 ? -1 : end - start).trimmed();
}

QByteArray RawHttpSession::messageFor(const Response& response, qint64 id) {
    if (!header(response, "content-type").toLower().startsWith("text/event-stream"))
        return response.body;
    // SSE: one JSON-RPC message per event, in its data lines.
    for (const QByteArray& line : response.body.split('\n')) {
        if (!line.startsWith("data:"))
            continue;
        const QByteArray data = line.mid(5).trimmed();
        if (isResponseTo(data, id))
            return data;
    }
    return {};
}
