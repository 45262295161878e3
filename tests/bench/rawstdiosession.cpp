#include "rawstdiosession.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <sys/prctl.h>
#include <utility>

namespace {
constexpr int kWaitMs = 10'000;
}

RawStdioSession::RawStdioSession(QString program, QStringList arguments)
    : m_program(std::move(program))
    , m_arguments(std::move(arguments)) {}

RawStdioSession::~RawStdioSession() {
    close();
}

bool RawStdioSession::open() {
    m_process.setStandardErrorFile(QProcess::nullDevice());
    // The server must not outlive the benchmark, even if the benchmark is killed.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process.start(m_program, m_arguments);
    if (!m_process.waitForStarted(kWaitMs))
        return fail(QStringLiteral("cannot start %1: %2").arg(m_program, m_process.errorString()));
    m_process.write(initializeRequest() + '\n');
    QByteArray response;
    if (!readResponse(0, &response))
        return fail(QStringLiteral("no answer to initialize from %1").arg(m_program));
    m_process.write(initializedNotification() + '\n');
    return true;
}

bool RawStdioSession::call(qint64 id, const QByteArray& request, bool* ok) {
    m_process.write(request + '\n');
    QByteArray response;
    if (!readResponse(id, &response))
        return fail(QStringLiteral("no answer to request %1").arg(id));
    *ok = looksSuccessful(response);
    return true;
}

void RawStdioSession::close() {
    if (m_process.state() == QProcess::NotRunning)
        return;
    // Closing stdin is how a stdio MCP server is asked to leave.
    m_process.closeWriteChannel();
    if (!m_process.waitForFinished(3000)) {
        m_process.terminate();
        if (!m_process.waitForFinished(3000)) {
            m_process.kill();
            m_process.waitForFinished(3000);
        }
    }
}

bool RawStdioSession::readResponse(qint64 id, QByteArray* response) {
    while (true) {
        while (!m_process.canReadLine()) {
            if (!m_process.waitForReadyRead(kWaitMs))
                return false;
        }
        QByteArray line = m_process.readLine();
        if (isResponseTo(line, id)) {
            *response = std::move(line);
            return true;
        }
        if (line.contains("\"method\"") && line.contains("\"id\""))
            refuseServerRequest(line);
    }
}

void RawStdioSession::refuseServerRequest(const QByteArray& line) {
    // Rare (roots/list, sampling): parse properly and say we offer nothing, so the server
    // does not wait for us.
    const nlohmann::json message = nlohmann::json::parse(line.constData(), nullptr, false);
    if (message.is_discarded() || !message.contains("id"))
        return;
    const nlohmann::json reply{
        {"jsonrpc", "2.0"},
        {"id", message["id"]},
        {"error", {{"code", -32601}, {"message", "not offered by this client"}}}};
    m_process.write(QByteArray::fromStdString(reply.dump()) + '\n');
}
