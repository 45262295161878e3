// The window under sustained load: its embedded gateway takes calls from e2e_raw (a minimal
// keep-alive client in another process) at a fixed rate while the window is shown offscreen on
// the Live calls tab, and meanwhile a call that needs approval arrives every half second.
// Reports one JSON line; it never fails on a figure.
//
//   bench_window_load [--rate 2000] [--seconds 60] [--sessions 4] [--total 1000000]
//                     [--cap 100000] [--card-every-ms 500]
//
// Figures:
//   - the longest stall of the GUI event loop while the load runs (a 5 ms timer that should
//     fire every 5 ms: its largest lateness), and how many passes were later than 16 / 50 ms;
//   - every call accounted for: the monitor's count of calls against the client's (warm-up and
//     held calls included), with the rows the cap dropped;
//   - resident memory when the monitor has seen 10 000, 100 000 and 1 000 000 calls (after the
//     paced minute the client goes as fast as the gateway answers until --total);
//   - held call to visible card: from the call's arrival at the gateway (its event time) to the
//     card's first paint, p50 / p99 / max.

#include "gui/windowfixture.h"
#include "ui/approvals/approvalcard.h"
#include "ui/approvals/approvalsdock.h"
#include "ui/mainwindow.h"
#include "ui/monitor/callmonitormodel.h"
#include "ui/monitor/livecallsview.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>

using nlohmann::json;
using portcullis::ui::CallMonitorModel;
using portcullis::ui::MainWindow;

namespace {

struct Options {
    double rate = 2000;
    int seconds = 60;
    int sessions = 4;
    std::uint64_t total = 1'000'000;
    std::size_t cap = 100'000;
    int cardEveryMs = 500;
};

Options parse(const QStringList& args) {
    Options o;
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        const QString& k = args[i];
        const QString& v = args[i + 1];
        if (k == QLatin1String("--rate"))
            o.rate = v.toDouble();
        else if (k == QLatin1String("--seconds"))
            o.seconds = v.toInt();
        else if (k == QLatin1String("--sessions"))
            o.sessions = v.toInt();
        else if (k == QLatin1String("--total"))
            o.total = v.toULongLong();
        else if (k == QLatin1String("--cap"))
            o.cap = v.toULongLong();
        else if (k == QLatin1String("--card-every-ms"))
            o.cardEveryMs = v.toInt();
        else {
            std::fprintf(stderr, "bench_window_load: unknown option %s\n", qPrintable(k));
            std::exit(2);
        }
    }
    return o;
}

double rssMb() {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

// Runs e2e_raw against the window's endpoint and returns its result line.
json runClient(const QUrl& endpoint, const Options& o, std::uint64_t calls, double rate,
               int seconds) {
    QProcess client;
    client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList args = {QStringLiteral("--sessions"), QString::number(o.sessions),
                        QStringLiteral("--calls"),    QString::number(calls),
                        QStringLiteral("--seconds"),  QString::number(seconds),
                        QStringLiteral("--warmup"),   QStringLiteral("10"),
                        QStringLiteral("--tool"),     QStringLiteral("ecs_troubleshooting_tool"),
                        QStringLiteral("--args"),     QStringLiteral(R"({"app_name":"bench"})")};
    if (rate > 0)
        args << QStringLiteral("--rate") << QString::number(rate);
    args << QStringLiteral("http") << endpoint.toString();
    client.start(QStringLiteral(PORTCULLIS_E2E_RAW_EXE), args);
    QEventLoop loop;
    QObject::connect(&client, &QProcess::finished, &loop, &QEventLoop::quit);
    loop.exec(); // the window keeps running meanwhile: this is the GUI thread's event loop
    json last;
    for (const QByteArray& line : client.readAllStandardOutput().split('\n')) {
        json j = json::parse(line.toStdString(), nullptr, false);
        if (!j.is_discarded() && j.contains("calls"))
            last = std::move(j);
    }
    return last;
}

template <typename T> T percentile(std::vector<T> v, int p) {
    if (v.empty())
        return T{};
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, v.size() * std::size_t(p) / 100)];
}

} // namespace

int main(int argc, char* argv[]) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("PORTCULLIS_TOKEN", "bench-window-load-token");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const Options o = parse(QCoreApplication::arguments());

    QTemporaryDir dir;
    const QByteArray policy = R"({ "version": "1", "default": "allow", "tools": {
        "build_and_push_image_to_ecr": { "action": "approve", "approval": { "timeout_s": 600 } } } })";
    auto window = openWindow(dir.filePath(QStringLiteral("ws")), demoServers(), policy, 14);
    if (!window) {
        std::fprintf(stderr, "bench_window_load: the window did not open\n");
        return 1;
    }
    window->resize(1600, 960);
    window->tabs()->setCurrentWidget(window->liveCalls());
    CallMonitorModel* calls = window->callsModel();
    calls->setRowCap(o.cap);
    const QUrl endpoint = window->endpoint();

    // Memory at the thresholds, read as the monitor passes them.
    std::map<std::uint64_t, double> rssAt;
    std::vector<std::uint64_t> thresholds = {10'000, 100'000, 1'000'000};
    QObject::connect(calls, &CallMonitorModel::flushed, [&] {
        while (!thresholds.empty() && calls->callsSeen() >= thresholds.front()) {
            rssAt[thresholds.front()] = rssMb();
            thresholds.erase(thresholds.begin());
        }
    });

    // The event loop's lateness, only while the paced load runs.
    bool probing = false;
    QElapsedTimer clock;
    qint64 lastTickNs = 0;
    std::vector<double> latenessMs;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (probing && lastTickNs > 0)
            latenessMs.push_back(std::max(0.0, double(now - lastTickNs) / 1e6 - 5.0));
        lastTickNs = now;
    });

    // A person's side: each held call's card is approved as soon as it is painted.
    std::vector<qint64> cardMs;
    QObject::connect(window->approvals(), &portcullis::ui::ApprovalsDock::cardShown,
                     [&](std::uint64_t id) {
                         const qint64 now = QDateTime::currentMSecsSinceEpoch();
                         if (auto* card = window->approvals()->card(id))
                             cardMs.push_back(now - card->held().event.timeMs);
                         QTimer::singleShot(0, window->approvals(), [&, id] {
                             window->approvals()->select(id);
                             window->approvals()->approveCurrent();
                         });
                     });

    // The agent whose calls are held: its own session, one call every cardEveryMs.
    QNetworkAccessManager network;
    QByteArray session;
    int heldSent = 0;
    int nextId = 1;
    auto post = [&](const json& body, std::function<void(QNetworkReply*)> done) {
        QNetworkRequest r(endpoint);
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        r.setRawHeader("Accept", "application/json, text/event-stream");
        r.setRawHeader("Authorization", "Bearer bench-window-load-token");
        r.setTransferTimeout(0);
        if (!session.isEmpty())
            r.setRawHeader("Mcp-Session-Id", session);
        QNetworkReply* reply = network.post(r, QByteArray::fromStdString(body.dump()));
        QObject::connect(reply, &QNetworkReply::finished, [reply, done] {
            reply->deleteLater();
            if (done)
                done(reply);
        });
    };
    post({{"jsonrpc", "2.0"},
          {"id", nextId++},
          {"method", "initialize"},
          {"params",
           {{"protocolVersion", "2025-06-18"},
            {"capabilities", json::object()},
            {"clientInfo", {{"name", "bench-held"}, {"version", "1"}}}}}},
         [&](QNetworkReply* reply) {
             session = reply->rawHeader("Mcp-Session-Id");
             post({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}, nullptr);
         });
    QTimer heldTimer;
    heldTimer.setInterval(o.cardEveryMs);
    QObject::connect(&heldTimer, &QTimer::timeout, [&] {
        if (session.isEmpty())
            return;
        ++heldSent;
        post({{"jsonrpc", "2.0"},
              {"id", nextId++},
              {"method", "tools/call"},
              {"params",
               {{"name", "build_and_push_image_to_ecr"},
                {"arguments", {{"app_name", "bench"}, {"app_path", "/srv/bench"}}}}}},
             nullptr);
    });

    // Phase 1: the paced load with the probe and the held calls.
    clock.start();
    probe.start();
    probing = true;
    heldTimer.start();
    const std::uint64_t paced = static_cast<std::uint64_t>(o.rate * o.seconds);
    const json first = runClient(endpoint, o, paced, o.rate, o.seconds + 5);
    heldTimer.stop();
    probing = false;
    // Everything the client sent must reach the monitor (held calls and warm-ups included).
    const std::uint64_t sent = first.value("calls", std::uint64_t(0)) +
                               std::uint64_t(o.sessions) * 10 + std::uint64_t(heldSent);
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 10'000 &&
           (calls->callsSeen() < sent || window->approvals()->count() > 0)) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        calls->flush();
    }
    const std::uint64_t seenAfterPaced = calls->callsSeen();
    const std::uint64_t droppedAfterPaced = calls->rowsDropped();
    const double rssAfterPaced = rssMb();

    // Phase 2: as fast as the gateway answers, until the monitor has seen --total calls.
    json second;
    if (calls->callsSeen() < o.total)
        second = runClient(endpoint, o, o.total - calls->callsSeen(), 0, 3600);
    settle.restart();
    while (settle.elapsed() < 10'000 && calls->callsSeen() < o.total) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        calls->flush();
    }

    json out = {
        {"paced", {{"rate", o.rate}, {"seconds", o.seconds}, {"sessions", o.sessions}}},
        {"client", first},
        {"calls_sent", sent},
        {"monitor_seen", seenAfterPaced},
        {"lost", static_cast<std::int64_t>(sent) - static_cast<std::int64_t>(seenAfterPaced)},
        {"rows_dropped_by_cap", droppedAfterPaced},
        {"row_cap", o.cap},
        {"stall_ms",
         {{"max", std::round(percentile(latenessMs, 100) * 10) / 10},
          {"p99", std::round(percentile(latenessMs, 99) * 10) / 10},
          {"passes", latenessMs.size()},
          {"over_16ms",
           std::count_if(latenessMs.begin(), latenessMs.end(), [](double v) { return v > 16; })},
          {"over_50ms",
           std::count_if(latenessMs.begin(), latenessMs.end(), [](double v) { return v > 50; })}}},
        {"card_ms",
         {{"count", cardMs.size()},
          {"held_sent", heldSent},
          {"p50", percentile(cardMs, 50)},
          {"p99", percentile(cardMs, 99)},
          {"max", percentile(cardMs, 100)}}},
        {"rss_mb_after_paced", std::round(rssAfterPaced * 10) / 10},
        {"fast", second},
        {"monitor_seen_total", calls->callsSeen()},
        {"rows_kept", calls->rowCount()}};
    json rss = json::object();
    for (const auto& [n, mb] : rssAt)
        rss[std::to_string(n)] = std::round(mb * 10) / 10;
    out["rss_mb_at_calls"] = rss;
    std::cout << out.dump() << std::endl;
    window.reset();
    return 0;
}
