// End-to-end cost of the gateway: the same tools/call sent to portcullis-demo-server directly
// over stdio (the floor) and through `portcullis-gateway serve` over keep-alive HTTP with a raw
// client. Prints percentiles, throughput and the gateway's CPU time and memory. Loopback only;
// every process it starts is stopped before it exits.
//
//   e2e_latency [CALLS]        (default 2000)

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <sys/prctl.h>
#include <unistd.h>
#include <vector>

namespace {

const QByteArray kCall =
    R"({"jsonrpc":"2.0","id":%ID%,"method":"tools/call","params":{"name":"ecs_troubleshooting_tool","arguments":{"app_name":"bench"}}})";

QByteArray call(int id) {
    QByteArray c = kCall;
    return c.replace("%ID%", QByteArray::number(id));
}

struct Stats {
    double p50 = 0, p99 = 0, max = 0, perSecond = 0;
};

Stats summarise(std::vector<double>& us, double seconds) {
    std::sort(us.begin(), us.end());
    Stats s;
    s.p50 = us[us.size() / 2];
    s.p99 = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    s.max = us.back();
    s.perSecond = double(us.size()) / seconds;
    return s;
}

// utime + stime of a process in microseconds, and its resident memory in KiB.
std::pair<double, long> cpuAndRss(qint64 pid) {
    double cpuUs = 0;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> f = stat.readAll().split(' ');
        if (f.size() > 15)
            cpuUs = double(f[13].toLongLong() + f[14].toLongLong()) * 1e6 /
                    double(sysconf(_SC_CLK_TCK));
    }
    long rss = 0;
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                rss = line.mid(6).trimmed().split(' ').first().toLong();
        }
    }
    return {cpuUs, rss};
}

bool readLine(QProcess& p, QByteArray& line) {
    while (!p.canReadLine()) {
        if (!p.waitForReadyRead(10'000))
            return false;
    }
    line = p.readLine();
    return true;
}

Stats direct(int calls) {
    QProcess server;
    server.start(QStringLiteral(PORTCULLIS_DEMO_SERVER_EXE), {});
    server.waitForStarted();
    QByteArray line;
    server.write(
        R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}})"
        "\n{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
    readLine(server, line);
    std::vector<double> us;
    QElapsedTimer all;
    all.start();
    for (int i = 1; i <= calls; ++i) {
        QElapsedTimer t;
        t.start();
        server.write(call(i) + '\n');
        if (!readLine(server, line))
            break;
        us.push_back(double(t.nsecsElapsed()) / 1000.0);
    }
    const double seconds = double(all.nsecsElapsed()) / 1e9;
    server.closeWriteChannel();
    if (!server.waitForFinished(5000))
        server.kill();
    return summarise(us, seconds);
}

// Reads one HTTP response (Content-Length or chunked) from a keep-alive connection.
bool readResponse(QTcpSocket& s, QByteArray& buffer) {
    while (true) {
        const qsizetype head = buffer.indexOf("\r\n\r\n");
        if (head >= 0) {
            const QByteArray lower = buffer.left(head).toLower();
            if (lower.contains("transfer-encoding: chunked")) {
                const qsizetype end = buffer.indexOf("\r\n0\r\n\r\n", head);
                if (end >= 0) {
                    buffer.remove(0, end + 7);
                    return true;
                }
            } else {
                const qsizetype cl = lower.indexOf("content-length:");
                const qsizetype len = cl < 0
                                          ? 0
                                          : lower.mid(cl + 15, lower.indexOf("\r\n", cl) - cl - 15)
                                                .trimmed()
                                                .toLongLong();
                if (buffer.size() >= head + 4 + len) {
                    buffer.remove(0, head + 4 + len);
                    return true;
                }
            }
        }
        if (!s.waitForReadyRead(10'000))
            return false;
        buffer += s.readAll();
    }
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const int calls = argc > 1 ? std::max(10, atoi(argv[1])) : 2000;

    const Stats floor = direct(calls);

    QTemporaryDir dir;
    QFile servers(dir.filePath(QStringLiteral("servers.json")));
    servers.open(QIODevice::WriteOnly);
    servers.write(
        nlohmann::json{{"mcpServers", {{"demo", {{"command", PORTCULLIS_DEMO_SERVER_EXE}}}}}}
            .dump()
            .c_str());
    servers.close();
    QFile policy(dir.filePath(QStringLiteral("policy.json")));
    policy.open(QIODevice::WriteOnly);
    policy.write(
        R"({"version":"1","default":"allow","all_tools":{"limits":[{"counter":"all","window":"minute","max":1000000000}]}})");
    policy.close();

    QProcess gateway;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTCULLIS_TOKEN"), QStringLiteral("bench"));
    gateway.setProcessEnvironment(env);
    gateway.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // The gateway (and its upstream) must not outlive this program, even if it crashes.
    gateway.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    gateway.start(QStringLiteral(PORTCULLIS_GATEWAY_EXE),
                  {QStringLiteral("serve"), QStringLiteral("--servers"), servers.fileName(),
                   QStringLiteral("--policy"), policy.fileName()});
    QByteArray out;
    while (!out.contains('\n') && gateway.waitForReadyRead(10'000))
        out += gateway.readAllStandardOutput();
    const int port = out.mid(out.lastIndexOf(':') + 1).split('/').first().toInt();
    if (port <= 0) {
        std::fprintf(stderr, "gateway did not start\n");
        return 1;
    }
    QThread::msleep(500); // let the upstream come up

    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), static_cast<quint16>(port));
    socket.waitForConnected(5000);
    auto request = [&](const QByteArray& body, const QByteArray& session) -> QByteArray {
        return "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer bench\r\n"
               "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n" +
               (session.isEmpty() ? QByteArray() : "Mcp-Session-Id: " + session + "\r\n") +
               "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    };
    socket.write(request(
        R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}})",
        {}));
    QByteArray buffer;
    while (!buffer.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
        buffer += socket.readAll();
    const qsizetype at = buffer.toLower().indexOf("mcp-session-id:");
    const QByteArray session = buffer.mid(at + 15, buffer.indexOf("\r\n", at) - at - 15).trimmed();
    readResponse(socket, buffer);

    const auto [cpuBefore, rssBefore] = cpuAndRss(gateway.processId());
    std::vector<double> us;
    QElapsedTimer all;
    all.start();
    for (int i = 1; i <= calls; ++i) {
        QElapsedTimer t;
        t.start();
        socket.write(request(call(i), session));
        if (!readResponse(socket, buffer))
            break;
        us.push_back(double(t.nsecsElapsed()) / 1000.0);
    }
    const double seconds = double(all.nsecsElapsed()) / 1e9;
    const auto [cpuAfter, rssAfter] = cpuAndRss(gateway.processId());
    const Stats through = summarise(us, seconds);
    gateway.terminate();
    if (!gateway.waitForFinished(10'000))
        gateway.kill();

    std::printf("| path | p50 µs | p99 µs | max µs | calls/s |\n|---|---|---|---|---|\n");
    std::printf("| demo server over stdio, direct | %.0f | %.0f | %.0f | %.0f |\n", floor.p50,
                floor.p99, floor.max, floor.perSecond);
    std::printf("| through portcullis-gateway (HTTP keep-alive, raw client) | %.0f | %.0f | %.0f | "
                "%.0f |\n",
                through.p50, through.p99, through.max, through.perSecond);
    std::printf("\ngateway adds: %.0f µs at p50, %.0f µs at p99\n", through.p50 - floor.p50,
                through.p99 - floor.p99);
    std::printf("gateway CPU per call: %.0f µs; RSS %ld KiB before, %ld KiB after %d calls\n",
                (cpuAfter - cpuBefore) / double(us.size()), rssBefore, rssAfter, calls);
    return us.size() == static_cast<std::size_t>(calls) ? 0 : 1;
}
