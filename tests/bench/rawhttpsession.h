#pragma once

#include "rawsession.h"

#include <QTcpSocket>
#include <QUrl>

// A Streamable HTTP session over one keep-alive connection: each request is a POST, and its
// answer is read whole (a JSON body, or an SSE stream the server ends after the response).
class RawHttpSession final : public RawSession {
public:
    explicit RawHttpSession(QUrl url);
    ~RawHttpSession() override;

    bool open() override;
    bool call(qint64 id, const QByteArray& request, bool* ok) override;
    void close() override;

private:
    struct Response {
        int status = 0;
        QByteArray head;      // status line and fields, as sent
        QByteArray lowerHead; // the same in lower case, to look fields up by name
        QByteArray body;
    };

    bool post(const QByteArray& body, Response* response);
    bool readResponse(Response* response);
    bool fill(); // waits for more bytes into m_buffer
    static QByteArray header(const Response& response, const QByteArray& lowerName);
    // The JSON-RPC message answering `id`, from a JSON body or the events of an SSE body.
    static QByteArray messageFor(const Response& response, qint64 id);

    QUrl m_url;
    QByteArray m_requestHead; // the fixed part of every POST
    QTcpSocket m_socket;
    QByteArray m_buffer;
    QByteArray m_sessionId;
    QByteArray m_protocolVersion;
};
