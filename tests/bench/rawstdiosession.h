#pragma once

#include "rawsession.h"

#include <QProcess>
#include <QStringList>

// A session with a server started as a child process, one JSON-RPC message per line.
class RawStdioSession final : public RawSession {
public:
    RawStdioSession(QString program, QStringList arguments);
    ~RawStdioSession() override;

    bool open() override;
    bool call(qint64 id, const QByteArray& request, bool* ok) override;
    void close() override;

private:
    // Reads lines until the response to `id`; answers any request the server makes meanwhile.
    bool readResponse(qint64 id, QByteArray* response);
    void refuseServerRequest(const QByteArray& line);

    QString m_program;
    QStringList m_arguments;
    QProcess m_process;
};
