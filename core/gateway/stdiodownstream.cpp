#include "gateway/stdiodownstream.h"

#include "gateway/router.h"
#include "mcp/jsonrpc.h"
#include "util/log.h"

#include <QRandomGenerator>

#include <cerrno>
#include <unistd.h>

namespace portcullis {

using nlohmann::json;

namespace {

class StdioReply final : public ReplySink {
public:
    explicit StdioReply(StdioDownstream& out)
        : m_out(&out) {}
    void related(const json& message) override { m_out->write(message); }
    void finish(const json& response) override { m_out->write(response); }
    void finishText(const std::string& response) override { m_out->writeLine(response); }
    // The process lives as long as its stdin; a gone client ends it.
    bool alive() const override { return true; }

private:
    StdioDownstream* m_out;
};

} // namespace

StdioDownstream::StdioDownstream(Router& router, int inputFd, int outputFd, QObject* parent)
    : QObject(parent)
    , m_router(router)
    , m_inputFd(inputFd)
    , m_outputFd(outputFd)
    , m_notifier(inputFd, QSocketNotifier::Read) {
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    m_session.id =
        "stdio-" +
        QByteArray(reinterpret_cast<const char*>(words), sizeof words).toHex().toStdString();
    m_session.grant = "stdio";
    m_session.push = [this](const json& m) { write(m); };
    connect(&m_notifier, &QSocketNotifier::activated, this, &StdioDownstream::onReadable);
}

StdioDownstream::~StdioDownstream() = default;

void StdioDownstream::write(const json& message) {
    writeLine(mcp::serialize(message));
}

void StdioDownstream::writeLine(std::string line) {
    line += '\n';
    const char* data = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(m_outputFd, data, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // the client closed its end; stdin's end follows and finishes us
        data += n;
        left -= static_cast<std::size_t>(n);
    }
}

void StdioDownstream::onReadable() {
    char chunk[65536];
    const ssize_t n = ::read(m_inputFd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
        return;
    if (n <= 0) {
        m_notifier.setEnabled(false);
        m_router.sessionClosed(m_session.id);
        Q_EMIT finished();
        return;
    }
    const auto status = m_lines.feed(QByteArrayView(chunk, n), [this](const QByteArray& line) {
        handleLine(line);
        return true;
    });
    if (status == LineSplitter::Status::Overflow)
        write(mcp::makeError(nullptr, mcp::ErrorCode::InvalidRequest,
                             "message is larger than the 4 MiB limit"));
}

void StdioDownstream::handleLine(const QByteArray& line) {
    const auto outcome = mcp::parseMessage(
        std::string_view(line.constData(), static_cast<std::size_t>(line.size())));
    if (const auto* error = std::get_if<mcp::MessageError>(&outcome)) {
        if (error->replyExpected)
            write(mcp::makeError(*error));
        return;
    }
    const mcp::Message& m = std::get<mcp::Message>(outcome);
    std::shared_ptr<ReplySink> sink;
    if (m.kind == mcp::MessageKind::Request)
        sink = std::make_shared<StdioReply>(*this);
    m_router.handle(m_session, m.body, sink);
}

} // namespace portcullis
