// End-to-end tool-call latency and throughput with a minimal client: N sessions (one thread
// each), each sending one tools/call at a time and waiting for its answer. The counterpart of
// e2e-compare.mjs (the SDK client), with the same options and the same JSON line out, so the
// two can be set side by side; here the client costs next to nothing.
//
//   e2e_raw [OPTIONS] stdio COMMAND [ARG...]   (one server process per session)
//   e2e_raw [OPTIONS] http URL                  (N keep-alive connections, one session each)
//
// OPTIONS: --sessions N (1), --calls N (2000, all sessions together), --seconds S (20),
// --warmup N (100 per session), --tool NAME (echo), --args JSON ({"message":"bench"}),
// --label TEXT, --rate N (at most N calls a second, all sessions together; 0: as fast as
// answers come), --hold-open (after the result line, keep the sessions until a line or EOF on
// stdin, so a caller can read the server's memory with every session still there).
//
// Prints {"phase":"measuring"} when the measured calls begin, then
// {"label","client":"raw","sessions","calls","errors","seconds","p50_us","p99_us","max_us",
//  "calls_per_s"}. Exit status 0 when every measured call succeeded.

#include "rawhttpsession.h"
#include "rawstdiosession.h"

#include <QCoreApplication>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <future>
#include <iostream>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    int sessions = 1;
    int calls = 2000;
    double seconds = 20;
    int warmup = 100;
    std::string tool = "echo";
    json args = {{"message", "bench"}};
    std::string label;
    double rate = 0; // calls per second in all; 0: no pacing
    bool holdOpen = false;
    QString mode;
    QStringList target; // COMMAND ARG... or URL
};

[[noreturn]] void usage(const std::string& problem) {
    std::fprintf(stderr,
                 "e2e_raw: %s\nusage: e2e_raw [--sessions N] [--calls N] [--seconds S] "
                 "[--warmup N] [--tool NAME] [--args JSON] [--label TEXT] [--rate N] [--hold-open] "
                 "(stdio COMMAND [ARG...] | http URL)\n",
                 problem.c_str());
    std::exit(2);
}

Options parse(const QStringList& argv) {
    Options o;
    qsizetype i = 1;
    for (; i < argv.size() && argv[i].startsWith(QLatin1String("--")); ++i) {
        const QString key = argv[i];
        if (key == QLatin1String("--hold-open")) {
            o.holdOpen = true;
            continue;
        }
        if (i + 1 >= argv.size())
            usage(key.toStdString() + " needs a value");
        const QString value = argv[++i];
        bool ok = true;
        if (key == QLatin1String("--sessions"))
            o.sessions = value.toInt(&ok);
        else if (key == QLatin1String("--calls"))
            o.calls = value.toInt(&ok);
        else if (key == QLatin1String("--seconds"))
            o.seconds = value.toDouble(&ok);
        else if (key == QLatin1String("--warmup"))
            o.warmup = value.toInt(&ok);
        else if (key == QLatin1String("--tool"))
            o.tool = value.toStdString();
        else if (key == QLatin1String("--args"))
            o.args = json::parse(value.toStdString(), nullptr, false);
        else if (key == QLatin1String("--label"))
            o.label = value.toStdString();
        else if (key == QLatin1String("--rate"))
            o.rate = value.toDouble(&ok);
        else
            usage("unknown option " + key.toStdString());
        if (!ok || o.sessions < 1 || o.calls < 1 || o.seconds <= 0 || o.warmup < 0 || o.rate < 0 ||
            !o.args.is_object())
            usage("bad value for " + key.toStdString());
    }
    if (i < argv.size())
        o.mode = argv[i++];
    o.target = argv.mid(i);
    if (!((o.mode == QLatin1String("stdio") && !o.target.isEmpty()) ||
          (o.mode == QLatin1String("http") && o.target.size() == 1)))
        usage("expected \"stdio COMMAND [ARG...]\" or \"http URL\"");
    return o;
}

std::unique_ptr<RawSession> makeSession(const Options& o) {
    if (o.mode == QLatin1String("http"))
        return std::make_unique<RawHttpSession>(QUrl(o.target.first()));
    return std::make_unique<RawStdioSession>(o.target.first(), o.target.mid(1));
}

struct Worker {
    std::vector<double> us;
    int errors = 0;
    bool failed = false;
    QString error;
};

double percentile(const std::vector<double>& sorted, int p) {
    return sorted[std::min(sorted.size() - 1, sorted.size() * std::size_t(p) / 100)];
}

void emit(const json& line) {
    std::cout << line.dump() << std::endl; // flushed: a caller acts on each line as it comes
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const Options o = parse(QCoreApplication::arguments());

    // Only the id differs between calls, so the request is built once around it.
    const QByteArray head = R"({"jsonrpc":"2.0","id":)";
    const QByteArray tail =
        QByteArray(R"(,"method":"tools/call","params":)") +
        QByteArray::fromStdString(json{{"name", o.tool}, {"arguments", o.args}}.dump()) + '}';

    std::vector<Worker> workers(static_cast<std::size_t>(o.sessions));
    std::latch ready(o.sessions);
    std::latch measured(o.sessions);
    std::promise<Clock::time_point> start;
    std::promise<void> finish;
    std::shared_future<Clock::time_point> startAt = start.get_future().share();
    std::shared_future<void> finishNow = finish.get_future().share();
    std::atomic<int> begun{0};
    std::mutex openOneAtATime; // twenty servers starting at once would measure the machine

    std::vector<std::thread> threads;
    for (Worker& w : workers) {
        threads.emplace_back([&, wp = &w] {
            Worker& me = *wp;
            std::unique_ptr<RawSession> session = makeSession(o);
            qint64 id = 1;
            bool ok = true;
            {
                std::lock_guard lock(openOneAtATime);
                me.failed = !session->open();
            }
            for (int i = 0; i < o.warmup && !me.failed; ++i, ++id)
                me.failed = !session->call(id, head + QByteArray::number(id) + tail, &ok);
            if (me.failed)
                me.error = session->error();
            ready.count_down();

            const Clock::time_point t0 = startAt.get();
            const Clock::time_point stopAt = t0 + std::chrono::duration_cast<Clock::duration>(
                                                      std::chrono::duration<double>(o.seconds));
            // Paced: this session's n-th call is due at t0 + n * sessions / rate, so together
            // the sessions send `rate` calls a second (late calls go at once, never in a burst
            // larger than one per session).
            const double spacingS = o.rate > 0 ? double(o.sessions) / o.rate : 0;
            std::int64_t sent = 0;
            while (!me.failed && begun.fetch_add(1) < o.calls && Clock::now() < stopAt) {
                if (spacingS > 0) {
                    const auto due = t0 + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(spacingS * sent));
                    if (due > Clock::now())
                        std::this_thread::sleep_until(due);
                    ++sent;
                }
                const QByteArray request = head + QByteArray::number(id) + tail;
                const Clock::time_point t = Clock::now();
                if (!session->call(id, request, &ok)) {
                    me.failed = true;
                    me.error = session->error();
                    break;
                }
                me.us.push_back(
                    std::chrono::duration<double, std::micro>(Clock::now() - t).count());
                ++id;
                if (!ok)
                    ++me.errors;
            }
            measured.count_down();
            finishNow.wait();
            session->close();
        });
    }

    ready.wait();
    emit(json{{"phase", "measuring"}});
    const Clock::time_point t0 = Clock::now();
    start.set_value(t0);
    measured.wait();
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();

    std::vector<double> all;
    int errors = 0;
    bool failed = false;
    for (const Worker& w : workers) {
        all.insert(all.end(), w.us.begin(), w.us.end());
        errors += w.errors;
        if (w.failed) {
            failed = true;
            std::fprintf(stderr, "e2e_raw: %s\n", qPrintable(w.error));
        }
    }
    std::sort(all.begin(), all.end());
    if (!all.empty()) {
        emit(json{{"label", o.label},
                  {"client", "raw"},
                  {"sessions", o.sessions},
                  {"calls", all.size()},
                  {"errors", errors},
                  {"seconds", std::round(seconds * 1000) / 1000},
                  {"p50_us", std::lround(percentile(all, 50))},
                  {"p99_us", std::lround(percentile(all, 99))},
                  {"max_us", std::lround(all.back())},
                  {"calls_per_s", std::lround(double(all.size()) / seconds)}});
    }
    if (o.holdOpen) {
        std::string line;
        std::getline(std::cin, line);
    }
    finish.set_value();
    for (std::thread& t : threads)
        t.join();
    return !failed && errors == 0 && !all.empty() ? 0 : 1;
}
