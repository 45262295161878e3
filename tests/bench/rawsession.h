#pragma once

#include <QByteArray>
#include <QString>

// One MCP session spoken by hand, with as little client work as possible, so that what a
// benchmark measures is the server (or the gateway in front of it), not a client library.
// Blocking: a session belongs to the thread that opened it.
class RawSession {
public:
    RawSession() = default;
    virtual ~RawSession() = default;
    RawSession(const RawSession&) = delete;
    RawSession& operator=(const RawSession&) = delete;

    // initialize + notifications/initialized. False with a message in error() on failure.
    virtual bool open() = 0;
    // Sends one JSON-RPC request whose id is `id` and waits for its response. False if the
    // transport failed; *ok says whether the answer was a result that is not an isError.
    virtual bool call(qint64 id, const QByteArray& request, bool* ok) = 0;
    virtual void close() = 0;

    QString error() const { return m_error; }

    static QByteArray initializeRequest();
    static QByteArray initializedNotification();
    // A cheap check instead of parsing: our requests never carry "isError" or "result" in
    // their arguments, so a substring is enough to tell a good answer from an error.
    static bool looksSuccessful(const QByteArray& response);
    // True for a response (not a request or notification) carrying this numeric id. Servers may
    // send their own requests with small ids too, hence the check for "method".
    static bool isResponseTo(const QByteArray& message, qint64 id);

protected:
    bool fail(const QString& why) {
        m_error = why;
        return false;
    }

private:
    QString m_error;
};
