#pragma once

#include "gateway/gatewaysession.h"
#include "util/linesplitter.h"

#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace portcullis {

class Router;

// One client served over the gateway's own stdin and stdout (`serve --stdio`), for clients
// that only launch commands. Newline-delimited JSON-RPC; stdout carries nothing else.
class StdioDownstream final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StdioDownstream)

public:
    StdioDownstream(Router& router, int inputFd, int outputFd, QObject* parent = nullptr);
    ~StdioDownstream() override;

    void write(const nlohmann::json& message);
    // One message already written as a line of JSON, without the newline.
    void writeLine(std::string line);
    GatewaySession& session() { return m_session; }

Q_SIGNALS:
    // stdin reached its end: the client is gone.
    void finished();

private:
    void onReadable();
    void handleLine(const QByteArray& line);

    Router& m_router;
    int m_inputFd;
    int m_outputFd;
    GatewaySession m_session;
    QSocketNotifier m_notifier;
    LineSplitter m_lines{4 * 1024 * 1024};
};

} // namespace portcullis
