#pragma once

#include "upstream/childpipes.h"
#include "upstream/upstreamtransport.h"
#include "util/linesplitter.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace portcullis {

// An upstream server started as a child process speaking newline-delimited JSON-RPC on
// stdin/stdout. stderr is the server's log, not an error signal, so it goes to our log.
class StdioTransport final : public UpstreamTransport {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StdioTransport)

public:
    struct Options {
        QString name; // key in servers.json, for log lines
        QString program;
        QStringList arguments;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        QString workingDirectory;
        qsizetype maxLineBytes = 16 * 1024 * 1024;
        int stopGraceMs = 2000; // after closing stdin, before SIGTERM; then as long before SIGKILL
    };

    explicit StdioTransport(Options options, QObject* parent = nullptr);
    ~StdioTransport() override;

    void start() override;
    void stop() override;
    void send(const nlohmann::json& message) override;
    bool isOpen() const override;
    QString describe() const override;

    qint64 processId() const;

private:
    void onStdout(QByteArrayView bytes);
    void readStderr();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);
    void escalateStop();

    Options m_options;
    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<ChildPipes> m_pipes; // its stdin and stdout
    LineSplitter m_stdout{16 * 1024 * 1024};
    QByteArray m_stderrBuffer;
    bool m_stopping = false;
    int m_stopStage = 0;
    QTimer m_stopTimer;
};

} // namespace portcullis
