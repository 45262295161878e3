#include "upstream/stdiotransport.h"

#include "mcp/jsonrpc.h"
#include "mcp/responsesummary.h"
#include "util/log.h"

#include <cerrno>
#include <cstring>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace portcullis {

StdioTransport::StdioTransport(Options options, QObject* parent)
    : UpstreamTransport(parent)
    , m_options(std::move(options)) {
    m_stopTimer.setSingleShot(true);
    connect(&m_stopTimer, &QTimer::timeout, this, &StdioTransport::escalateStop);
}

StdioTransport::~StdioTransport() {
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // Destruction cannot wait for a polite exit: make sure no child outlives us.
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

QString StdioTransport::describe() const {
    QStringList parts{m_options.program};
    parts += m_options.arguments;
    return parts.join(QLatin1Char(' '));
}

bool StdioTransport::isOpen() const {
    return m_process && m_process->state() == QProcess::Running && !m_stopping;
}

qint64 StdioTransport::processId() const {
    return m_process ? m_process->processId() : 0;
}

void StdioTransport::start() {
    m_process = std::make_unique<QProcess>();
    m_pipes = std::make_unique<ChildPipes>([this](QByteArrayView bytes) { onStdout(bytes); });
    m_stdout = LineSplitter(m_options.maxLineBytes);
    m_stderrBuffer.clear();
    m_stopping = false;
    m_stopStage = 0;
    if (!m_pipes->open()) {
        const QString reason =
            QStringLiteral("upstream %1 failed to start: no pipes for it: %2")
                .arg(m_options.name, QString::fromLocal8Bit(std::strerror(errno)));
        log::logger()->error("{}", reason.toStdString());
        Q_EMIT closed(reason);
        return;
    }
    // QProcess starts, watches and stops the child; its stdin and stdout are our pipes.
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(QProcess::nullDevice());
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->setChildProcessModifier([setup = m_pipes->childSetup()] {
        setup();
#ifdef Q_OS_LINUX
        // If the gateway dies without its orderly shutdown (SIGKILL, a crash), its servers must
        // not live on as orphans holding credentials and ports.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    });
    m_process->setProcessEnvironment(m_options.environment);
    if (!m_options.workingDirectory.isEmpty())
        m_process->setWorkingDirectory(m_options.workingDirectory);

    connect(m_process.get(), &QProcess::readyReadStandardError, this, &StdioTransport::readStderr);
    connect(m_process.get(), &QProcess::finished, this, &StdioTransport::onFinished);
    connect(m_process.get(), &QProcess::errorOccurred, this, &StdioTransport::onError);
    connect(m_process.get(), &QProcess::started, this, [this] {
        log::logger()->info("upstream {}: started pid {}: {}", m_options.name.toStdString(),
                            m_process->processId(), describe().toStdString());
        Q_EMIT opened();
    });
    m_process->start(m_options.program, m_options.arguments);
    m_pipes->closeChildEnds();
}

void StdioTransport::send(const nlohmann::json& message) {
    if (!isOpen())
        return;
    std::string line = mcp::serialize(message);
    line += '\n';
    m_pipes->write(line);
}

void StdioTransport::onStdout(QByteArrayView bytes) {
    const auto status = m_stdout.feed(bytes, [this](const QByteArray& line) {
        const std::string_view text(line.constData(), static_cast<std::size_t>(line.size()));
        const mcp::MessageLimits limits{static_cast<std::size_t>(m_options.maxLineBytes), 64};
        if (m_summaryIsEnough) {
            if (auto summary = mcp::summarizeResponse(text, limits);
                summary && m_summaryIsEnough(summary->id)) {
                Q_EMIT messageReceived(summary->skeleton, ReceivedText{text, summary->idSpan});
                return m_process != nullptr;
            }
        }
        const auto outcome = mcp::parseMessage(text, limits);
        if (const auto* m = std::get_if<mcp::Message>(&outcome)) {
            Q_EMIT messageReceived(m->body, ReceivedText{text, std::nullopt});
        } else {
            log::logger()->warn("upstream {}: ignored a line that is not a JSON-RPC message: {}",
                                m_options.name.toStdString(),
                                std::get<mcp::MessageError>(outcome).message);
        }
        return m_process != nullptr; // a handler may have stopped us
    });
    if (status == LineSplitter::Status::Overflow)
        log::logger()->warn("upstream {}: a stdout line exceeded {} bytes and was dropped",
                            m_options.name.toStdString(), m_options.maxLineBytes);
}

void StdioTransport::readStderr() {
    m_stderrBuffer += m_process->readAllStandardError();
    qsizetype newline;
    while ((newline = m_stderrBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stderrBuffer.left(newline).trimmed();
        m_stderrBuffer.remove(0, newline + 1);
        if (!line.isEmpty())
            log::logger()->info("upstream {} stderr: {}", m_options.name.toStdString(),
                                line.left(4096).toStdString());
    }
    if (m_stderrBuffer.size() > 64 * 1024)
        m_stderrBuffer.clear(); // a log line without end: not worth unbounded memory
}

void StdioTransport::stop() {
    if (!m_process || m_process->state() == QProcess::NotRunning || m_stopping)
        return;
    m_stopping = true;
    m_stopStage = 0;
    // Polite first: a stdio server ends when its input ends.
    m_pipes->closeInput();
    m_stopTimer.start(m_options.stopGraceMs);
}

void StdioTransport::escalateStop() {
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    if (m_stopStage++ == 0) {
        m_process->terminate();
        m_stopTimer.start(m_options.stopGraceMs);
    } else {
        m_process->kill();
    }
}

void StdioTransport::onFinished(int exitCode, QProcess::ExitStatus status) {
    m_stopTimer.stop();
    m_pipes->drain(); // what it wrote before it ended
    const bool expected = m_stopping;
    QString reason;
    if (!expected) {
        reason = status == QProcess::CrashExit
                     ? QStringLiteral("upstream %1 crashed").arg(m_options.name)
                     : QStringLiteral("upstream %1 exited with code %2")
                           .arg(m_options.name)
                           .arg(exitCode);
        log::logger()->warn("{}", reason.toStdString());
    } else {
        log::logger()->info("upstream {}: stopped", m_options.name.toStdString());
    }
    m_stopping = false;
    Q_EMIT closed(reason);
}

void StdioTransport::onError(QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart)
        return; // crashes arrive through finished()
    const QString reason = QStringLiteral("upstream %1 failed to start (%2): %3")
                               .arg(m_options.name, describe(), m_process->errorString());
    log::logger()->error("{}", reason.toStdString());
    Q_EMIT closed(reason);
}

} // namespace portcullis
