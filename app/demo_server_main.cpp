#include "demo/demoserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <map>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using portcullis::demo::DemoServer;

constexpr int kUsageError = 2;
// Far above any message parseMessage accepts, so a sender that never writes a newline cannot
// make this process grow without bound.
constexpr std::size_t kMaxPendingBytes = 16 * 1024 * 1024;

void logLine(const std::string& text) {
    std::cerr << "portcullis-demo-server: " << text << std::endl;
}

QString defaultToolsFile() {
    // Installed next to the binary first (relocatable), then the configured prefix, then the
    // source tree, so the server also runs straight from a build directory.
    const QStringList candidates{QDir(QCoreApplication::applicationDirPath())
                                     .filePath(QStringLiteral(PORTCULLIS_DEMO_TOOLS_FROM_BINDIR)),
                                 QStringLiteral(PORTCULLIS_DEMO_TOOLS_INSTALLED),
                                 QStringLiteral(PORTCULLIS_DEMO_TOOLS_SOURCE)};
    for (const QString& candidate : candidates) {
        if (QFileInfo::exists(candidate))
            return QDir::cleanPath(candidate);
    }
    return candidates.last();
}

bool writeAll(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

bool writeLines(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) {
        out += line;
        out += '\n';
    }
    return writeAll(out);
}

// Serves one client on stdin/stdout. Delayed replies (demo_sleep) wait in a queue while other
// requests are answered, as a real server with concurrent handlers would, and a
// notifications/cancelled for one drops it unanswered.
class StdioLoop {
public:
    explicit StdioLoop(const DemoServer& server)
        : m_server(server) {}

    int run() {
        std::array<char, 64 * 1024> chunk{};
        while (!m_eof || !m_delayed.empty()) {
            if (!flushDue())
                return stdoutClosed();
            if (m_eof) {
                // The client is done sending; still deliver what it is waiting for.
                if (!m_delayed.empty())
                    std::this_thread::sleep_until(m_delayed.begin()->first);
                continue;
            }
            pollfd in{STDIN_FILENO, POLLIN, 0};
            const int ready = ::poll(&in, 1, pollTimeoutMs());
            if (ready < 0 && errno != EINTR) {
                logLine(std::string("poll failed: ") + std::strerror(errno));
                return 1;
            }
            if (ready <= 0)
                continue;
            const ssize_t got = ::read(STDIN_FILENO, chunk.data(), chunk.size());
            if (got < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (got <= 0) {
                m_eof = true;
                // A last message without its newline is still a message.
                if (!m_skipping && !takeLine(m_buffer))
                    return stdoutClosed();
                m_buffer.clear();
                continue;
            }
            if (!consume(std::string_view(chunk.data(), static_cast<std::size_t>(got))))
                return stdoutClosed();
        }
        return 0;
    }

private:
    static int stdoutClosed() {
        logLine("stdout is closed; stopping");
        return 1;
    }

    int pollTimeoutMs() const {
        if (m_delayed.empty())
            return -1;
        const auto wait =
            std::chrono::ceil<std::chrono::milliseconds>(m_delayed.begin()->first - Clock::now());
        return static_cast<int>(std::clamp<std::int64_t>(wait.count(), 0, 60'000));
    }

    bool flushDue() {
        const auto now = Clock::now();
        while (!m_delayed.empty() && m_delayed.begin()->first <= now) {
            const bool ok = writeLines(m_delayed.begin()->second.lines);
            m_delayed.erase(m_delayed.begin());
            if (!ok)
                return false;
        }
        return true;
    }

    bool consume(std::string_view bytes) {
        while (!bytes.empty()) {
            const std::size_t newline = bytes.find('\n');
            if (newline == std::string_view::npos) {
                if (!m_skipping)
                    m_buffer.append(bytes);
                if (m_buffer.size() > kMaxPendingBytes) {
                    // Answered now (parseMessage reports the size); the rest of the line is
                    // dropped when it finally ends.
                    const bool ok = takeLine(m_buffer);
                    m_buffer.clear();
                    m_skipping = true;
                    return ok;
                }
                return true;
            }
            if (!m_skipping) {
                m_buffer.append(bytes.substr(0, newline));
                if (!takeLine(m_buffer))
                    return false;
            }
            m_buffer.clear();
            m_skipping = false;
            bytes.remove_prefix(newline + 1);
        }
        return true;
    }

    bool takeLine(std::string_view line) {
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        portcullis::demo::DemoReply reply = m_server.handle(line);
        if (!reply.cancelledRequestId.is_null()) {
            for (auto it = m_delayed.begin(); it != m_delayed.end();) {
                // json equality keeps id types apart: "1" does not cancel 1.
                it = it->second.requestId == reply.cancelledRequestId ? m_delayed.erase(it)
                                                                      : std::next(it);
            }
        }
        if (reply.lines.empty())
            return true;
        if (reply.delay.count() > 0) {
            m_delayed.emplace(Clock::now() + reply.delay,
                              Delayed{std::move(reply.requestId), std::move(reply.lines)});
            return true;
        }
        return writeLines(reply.lines);
    }

    struct Delayed {
        nlohmann::json requestId;
        std::vector<std::string> lines;
    };

    const DemoServer& m_server;
    // A multimap keeps equal deadlines in arrival order.
    std::multimap<Clock::time_point, Delayed> m_delayed;
    std::string m_buffer;
    bool m_skipping = false; // inside an over-long line that has already been answered
    bool m_eof = false;
};

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("portcullis-demo-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTCULLIS_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A stdio MCP server that serves the tools of a tools/list JSON file with "
                       "fake, deterministic results. Logs go to stderr."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QString defaultTools = defaultToolsFile();
    const QCommandLineOption toolsOption(
        QStringLiteral("tools"),
        QStringLiteral("The tools/list result to serve (default: ") + defaultTools +
            QStringLiteral(")."),
        QStringLiteral("FILE"), defaultTools);
    const QCommandLineOption pageSizeOption(
        QStringLiteral("page-size"),
        QStringLiteral("Tools per tools/list page; 0 (the default) sends all in one page."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption extraToolsOption(
        QStringLiteral("extra-tools"),
        QStringLiteral("Also serve demo_sleep {ms} and demo_fail, for slow and failing "
                       "upstreams."));
    parser.addOption(toolsOption);
    parser.addOption(pageSizeOption);
    parser.addOption(extraToolsOption);

    if (!parser.parse(QCoreApplication::arguments())) {
        logLine(parser.errorText().toStdString());
        return kUsageError;
    }
    if (parser.isSet(helpOption)) {
        std::cout << parser.helpText().toStdString();
        return 0;
    }
    if (parser.isSet(versionOption)) {
        std::cout << "portcullis-demo-server " << PORTCULLIS_VERSION << '\n';
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        logLine("unexpected argument: " + parser.positionalArguments().first().toStdString());
        return kUsageError;
    }
    bool pageSizeOk = false;
    const qulonglong pageSize = parser.value(pageSizeOption).toULongLong(&pageSizeOk);
    if (!pageSizeOk) {
        logLine("--page-size needs a whole number >= 0");
        return kUsageError;
    }

    const QString toolsPath = parser.value(toolsOption);
    QFile file(toolsPath);
    if (!file.open(QIODevice::ReadOnly)) {
        logLine("cannot read " + toolsPath.toStdString() + ": " + file.errorString().toStdString());
        return 1;
    }
    const QByteArray bytes = file.readAll();
    nlohmann::json tools = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (tools.is_discarded()) {
        logLine(toolsPath.toStdString() + " is not valid JSON");
        return 1;
    }

    portcullis::demo::DemoServerOptions options;
    options.pageSize = static_cast<std::size_t>(pageSize);
    options.serverVersion = PORTCULLIS_VERSION;
    options.extraTools = parser.isSet(extraToolsOption);
    try {
        const DemoServer server(std::move(tools), options);
        // A client that goes away must not kill us mid-write with SIGPIPE; the failed write
        // ends the loop instead.
        std::signal(SIGPIPE, SIG_IGN);
        logLine("serving " + std::to_string(server.tools().size()) + " tools from " +
                toolsPath.toStdString());
        return StdioLoop(server).run();
    } catch (const std::invalid_argument& error) {
        logLine(toolsPath.toStdString() + ": " + error.what());
        return 1;
    }
}
