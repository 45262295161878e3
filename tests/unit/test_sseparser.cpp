#include "transport/sseparser.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

#include <random>

using namespace portcullis::transport;

namespace {

std::string toStd(const QByteArray& bytes) {
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

// "type|data|id|retry", with line breaks in data shown as \n so a row fits on one line.
QString describe(const SseEvent& e) {
    QString data = QString::fromStdString(e.data);
    data.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return QString::fromStdString(e.event) + QLatin1Char('|') + data + QLatin1Char('|') +
           QString::fromStdString(e.id) + QLatin1Char('|') +
           (e.retryMs ? QString::number(*e.retryMs) : QStringLiteral("-"));
}

struct Parsed {
    QString events;
    std::string lastEventId;
    std::vector<SseEvent> list;
};

// cuts: the offsets at which one read ends and the next begins.
Parsed parseInPieces(const std::string& stream, const std::vector<std::size_t>& cuts) {
    SseParser parser;
    Parsed p;
    QStringList described;
    std::size_t from = 0;
    auto take = [&](std::size_t to) {
        for (SseEvent& e : parser.feed(std::string_view(stream).substr(from, to - from))) {
            described << describe(e);
            p.list.push_back(std::move(e));
        }
        from = to;
    };
    for (std::size_t cut : cuts)
        take(cut);
    take(stream.size());
    p.events = described.join(QStringLiteral(" ; "));
    p.lastEventId = parser.lastEventId();
    return p;
}

// Every way of reading the stream that matters: whole, byte by byte, random reads, and a cut at
// each offset (which puts every CR/LF pair across two reads once).
std::vector<std::pair<QString, std::vector<std::size_t>>> splitsFor(const std::string& stream) {
    std::vector<std::pair<QString, std::vector<std::size_t>>> splits;
    splits.emplace_back(QStringLiteral("whole"), std::vector<std::size_t>{});
    std::vector<std::size_t> bytes;
    for (std::size_t i = 1; i < stream.size(); ++i)
        bytes.push_back(i);
    splits.emplace_back(QStringLiteral("byte by byte"), bytes);
    for (unsigned seed : {1u, 2u, 3u}) {
        std::mt19937 rng(seed);
        std::vector<std::size_t> cuts;
        for (std::size_t at = 1 + rng() % 9; at < stream.size(); at += 1 + rng() % 9)
            cuts.push_back(at);
        splits.emplace_back(QStringLiteral("random, seed %1").arg(seed), cuts);
    }
    if (stream.size() < 600)
        for (std::size_t at = 1; at < stream.size(); ++at)
            splits.emplace_back(QStringLiteral("cut at %1").arg(at), std::vector<std::size_t>{at});
    return splits;
}

QString readTrace(const char* name) {
    QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/mcp-traces/") +
            QString::fromUtf8(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

} // namespace

class TestSseParser final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parses_data();
    void parses();
    void keepsRetryWithoutEvent();
    void failsPastTheLimit();
    void formats_data();
    void formats();
    void roundTrips_data();
    void roundTrips();
    void parsesLegacyEndpointStream();
    void parsesStreamableHttpFrame();
};

void TestSseParser::parses_data() {
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QString>("events");
    QTest::addColumn<QByteArray>("lastEventId");

    auto row = [](const char* name, const QByteArray& stream, const char* events,
                  const char* lastId = "") {
        QTest::newRow(name) << stream << QString::fromUtf8(events) << QByteArray(lastId);
    };
    row("one event", "data: hello\n\n", "message|hello||-");
    row("no blank line yet", "data: hello\n", "");
    row("unterminated line", "data: hello", "");
    row("multi-line data", "data: a\ndata: b\n\n", "message|a\\nb||-");
    row("CRLF", "data: a\r\ndata: b\r\n\r\n", "message|a\\nb||-");
    row("CR", "data: a\rdata: b\r\r", "message|a\\nb||-");
    row("mixed line ends", "data: a\r\ndata: b\rdata: c\n\r\n", "message|a\\nb\\nc||-");
    row("LF then CR is two line ends", "data: a\n\rdata: b\n\n", "message|a||- ; message|b||-");
    row("CRLF between events", "data: a\r\n\r\ndata: b\r\n\r\n", "message|a||- ; message|b||-");
    row("no space after colon", "data:x\n\n", "message|x||-");
    row("only one space removed", "data:  x \n\n", "message| x ||-");
    row("tab not removed", "data:\tx\n\n", "message|\tx||-");
    row("colon in value", "data: {\"a\":1}\n\n", "message|{\"a\":1}||-");
    row("field without colon", "data\n\n", "message|||-");
    row("empty data line", "data:\n\n", "message|||-");
    row("empty data lines", "data\ndata\n\n", "message|\\n||-");
    row("comment", ": keep-alive\ndata: x\n: another\n\n", "message|x||-");
    row("only comments", ":x\n\n:\n\n", "");
    row("blank lines alone", "\n\n\r\n\r", "");
    row("event type", "event: endpoint\ndata: /message?sessionId=abc\n\n",
        "endpoint|/message?sessionId=abc||-");
    row("event type per event", "event: a\ndata: 1\n\ndata: 2\n\n", "a|1||- ; message|2||-");
    row("event type dropped without data", "event: a\n\ndata: 2\n\n", "message|2||-");
    row("empty event type", "event:\ndata: 2\n\n", "message|2||-");
    row("last event type wins", "event: a\nevent: b\ndata: 2\n\n", "b|2||-");
    row("id persists", "id: 1\ndata: a\n\ndata: b\n\n", "message|a|1|- ; message|b|1|-", "1");
    row("id cleared", "id: 1\ndata: a\n\nid\ndata: b\n\n", "message|a|1|- ; message|b||-");
    row("id with NUL ignored",
        QByteArray("id: 1\ndata: a\n\nid: 2") + '\0' + QByteArray("x\ndata: b\n\n"),
        "message|a|1|- ; message|b|1|-", "1");
    row("priming event", "id: p1\ndata:\n\n", "message||p1|-", "p1");
    row("id only block", "id: 7\n\n", "", "7");
    row("id without blank line", "id: 7\n", "");
    row("retry", "retry: 3000\ndata: x\n\n", "message|x||3000");
    row("retry per event", "retry: 5\ndata: x\n\ndata: y\n\n", "message|x||5 ; message|y||-");
    row("retry not digits", "retry: 3s\ndata: x\n\n", "message|x||-");
    row("retry negative", "retry: -1\ndata: x\n\n", "message|x||-");
    row("retry leading space", "retry:  5\ndata: x\n\n", "message|x||-");
    row("retry empty", "retry:\ndata: x\n\n", "message|x||-");
    row("retry too big", "retry: 99999999999\ndata: x\n\n", "message|x||-");
    row("unknown field", "foo: bar\ndata: x\n\n", "message|x||-");
    row("field names are case-sensitive", "Data: x\nEVENT: y\n\n", "");
    row("BOM",
        "\xEF\xBB\xBF"
        "data: x\n\n",
        "message|x||-");
    row("BOM only at the start",
        "\xEF\xBB\xBF\xEF\xBB\xBF"
        "data: x\n\n",
        "");
    row("partial BOM is text", "\xEF\xBB\ndata: x\n\n", "message|x||-");
    row("partial BOM then BOM bytes", "\xEF\xEF\xBB\xBF\ndata: x\n\n", "message|x||-");
    row("UTF-8 data", "data: caf\xC3\xA9\n\n", "message|caf\xC3\xA9||-");
    QTest::newRow("NUL in data") << QByteArray(QByteArray("data: a") + '\0' + QByteArray("b\n\n"))
                                 << QString(QStringLiteral("message|a") + QChar(0) +
                                            QStringLiteral("b||-"))
                                 << QByteArray();
    row("SDK frame",
        "event: message\nid: 8b8648aa-a013-4eca-a276-0f177c452b3e\n"
        "data: {\"result\":{},\"jsonrpc\":\"2.0\",\"id\":3}\n\n",
        "message|{\"result\":{},\"jsonrpc\":\"2.0\",\"id\":3}|8b8648aa-a013-4eca-a276-0f177c452b3e|"
        "-",
        "8b8648aa-a013-4eca-a276-0f177c452b3e");
    row("stream ends mid-event", "data: a\n\ndata: b", "message|a||-");
}

void TestSseParser::parses() {
    QFETCH(QByteArray, stream);
    QFETCH(QString, events);
    QFETCH(QByteArray, lastEventId);
    const std::string s = toStd(stream);
    for (const auto& [name, cuts] : splitsFor(s)) {
        const Parsed p = parseInPieces(s, cuts);
        if (p.events != events)
            QFAIL(qPrintable(
                QStringLiteral("%1: got \"%2\", expected \"%3\"").arg(name, p.events, events)));
        QCOMPARE(p.lastEventId, toStd(lastEventId));
    }
}

void TestSseParser::keepsRetryWithoutEvent() {
    SseParser parser;
    QVERIFY(!parser.retryMs());
    QVERIFY(parser.feed("retry: 1500\n\n").empty());
    QCOMPARE(parser.retryMs(), std::optional<int>(1500));
    QVERIFY(parser.feed("retry: soon\n\n").empty());
    QCOMPARE(parser.retryMs(), std::optional<int>(1500));
}

void TestSseParser::failsPastTheLimit() {
    // An endless line.
    SseParser line(64);
    QVERIFY(line.feed("data: " + std::string(58, 'x')).empty());
    QVERIFY(!line.failed());
    QVERIFY(line.feed("x").empty());
    QVERIFY(line.failed());
    QVERIFY(!line.error().empty());
    QVERIFY(line.feed("\n\ndata: y\n\n").empty());

    // An event at the limit is fine; lines of an event add up.
    SseParser at(64);
    QCOMPARE(at.feed("data: " + std::string(58, 'x') + "\n\n").size(), std::size_t{1});
    QVERIFY(!at.failed());
    SseParser many(64);
    std::vector<SseEvent> got;
    for (int i = 0; i < 20 && !many.failed(); ++i)
        got = many.feed("data: 0123456789\n");
    QVERIFY(many.failed());
    QVERIFY(got.empty());

    // Comments and finished events do not accumulate.
    SseParser comments(64);
    for (int i = 0; i < 1000; ++i)
        comments.feed(": " + std::string(60, 'c') + "\ndata: ok\n\n");
    QVERIFY(!comments.failed());
}

void TestSseParser::formats_data() {
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("data only") << QByteArray("{}") << QByteArray() << QByteArray()
                               << QByteArray("data: {}\n\n");
    QTest::newRow("all fields") << QByteArray("{\"id\":1}") << QByteArray("message")
                                << QByteArray("s1-7")
                                << QByteArray("event: message\nid: s1-7\ndata: {\"id\":1}\n\n");
    QTest::newRow("lines") << QByteArray("a\nb\r\nc\rd") << QByteArray() << QByteArray()
                           << QByteArray("data: a\ndata: b\ndata: c\ndata: d\n\n");
    QTest::newRow("trailing newline")
        << QByteArray("a\n") << QByteArray() << QByteArray() << QByteArray("data: a\ndata: \n\n");
    QTest::newRow("empty data") << QByteArray() << QByteArray() << QByteArray("p")
                                << QByteArray("id: p\ndata: \n\n");
    QTest::newRow("injection in event and id")
        << QByteArray("x") << QByteArray("a\r\ndata: evil") << QByteArray("1\n\nid: 2")
        << QByteArray("event: adata: evil\nid: 1id: 2\ndata: x\n\n");
    QTest::newRow("endpoint") << QByteArray("/message?sessionId=4cd25432") << QByteArray("endpoint")
                              << QByteArray()
                              << QByteArray(
                                     "event: endpoint\ndata: /message?sessionId=4cd25432\n\n");
}

void TestSseParser::formats() {
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, event);
    QFETCH(QByteArray, id);
    QFETCH(QByteArray, wire);
    QCOMPARE(QByteArray::fromStdString(formatSseEvent(toStd(data), toStd(event), toStd(id))), wire);
}

void TestSseParser::roundTrips_data() {
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("json") << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":{}})")
                          << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":{}})");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("line ends become LF")
        << QByteArray("a\r\nb\rc\n\nd") << QByteArray("a\nb\nc\n\nd");
    QTest::newRow("leading spaces kept") << QByteArray("  x\n y") << QByteArray("  x\n y");
    QTest::newRow("colons and comment-like lines")
        << QByteArray(":not a comment\ndata: x") << QByteArray(":not a comment\ndata: x");
    QTest::newRow("trailing CR") << QByteArray("a\r") << QByteArray("a\n");
}

void TestSseParser::roundTrips() {
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, expected);
    SseParser parser;
    const auto events = parser.feed(formatSseEvent(toStd(data), "message", "id-1"));
    QCOMPARE(events.size(), std::size_t{1});
    QCOMPARE(events[0].data, toStd(expected));
    QCOMPARE(events[0].id, std::string("id-1"));
    QCOMPARE(events[0].event, std::string("message"));
}

void TestSseParser::parsesLegacyEndpointStream() {
    const QString trace = readTrace("legacy_sse_probe.txt");
    const QString marker = QStringLiteral("---- raw SSE stream (truncated lines) ----\n");
    const auto at = trace.indexOf(marker);
    QVERIFY(at >= 0);
    const std::string stream = trace.mid(at + marker.size()).toStdString();
    const QString sessionLine = QStringLiteral("endpoint event data: ");
    const auto sessionAt = trace.indexOf(sessionLine);
    QVERIFY(sessionAt >= 0);
    const std::string endpoint =
        trace
            .mid(sessionAt + sessionLine.size(),
                 trace.indexOf(QLatin1Char('\n'), sessionAt) - sessionAt - sessionLine.size())
            .toStdString();

    for (const auto& [name, cuts] : splitsFor(stream)) {
        const Parsed p = parseInPieces(stream, cuts);
        QCOMPARE(p.list.size(), std::size_t{4});
        QCOMPARE(p.list[0].event, std::string("endpoint"));
        QCOMPARE(p.list[0].data, endpoint);
        QVERIFY(p.list[0].data.rfind("/message?sessionId=", 0) == 0);
        for (std::size_t i = 1; i < p.list.size(); ++i)
            QCOMPARE(p.list[i].event, std::string("message"));
        // The capture cut the long initialize result; the last two arrived whole.
        const auto last = nlohmann::json::parse(p.list[3].data, nullptr, false);
        QVERIFY(!last.is_discarded());
        QCOMPARE(last["id"].get<int>(), 2);
        QVERIFY(p.list[2].data.find("notifications/tools/list_changed") != std::string::npos);
    }
}

void TestSseParser::parsesStreamableHttpFrame() {
    const QString trace = readTrace("http_probe.txt");
    const QString marker = QStringLiteral("== 4. POST tools/call echo\n");
    const auto at = trace.indexOf(marker);
    QVERIFY(at >= 0);
    const auto end = trace.indexOf(QStringLiteral("\n== "), at + marker.size());
    const std::string stream =
        trace.mid(at + marker.size(), end - at - marker.size()).toStdString();

    for (const auto& [name, cuts] : splitsFor(stream)) {
        const Parsed p = parseInPieces(stream, cuts);
        QCOMPARE(p.list.size(), std::size_t{1});
        QCOMPARE(p.list[0].event, std::string("message"));
        QCOMPARE(p.list[0].id, std::string("8b8648aa-a013-4eca-a276-0f177c452b3e"));
        QCOMPARE(p.lastEventId, p.list[0].id);
        const auto body = nlohmann::json::parse(p.list[0].data, nullptr, false);
        QVERIFY(!body.is_discarded());
        QCOMPARE(body["id"].get<int>(), 3);
        QCOMPARE(body["result"]["content"][0]["text"].get<std::string>(),
                 std::string("Echo: hi over HTTP"));
    }
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "test_sseparser.moc"
