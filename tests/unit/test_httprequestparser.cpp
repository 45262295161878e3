#include "transport/httprequestparser.h"

#include <QFile>
#include <QTest>

#include <random>

using namespace portcullis::transport;
using Status = HttpRequestParser::Status;
using Limits = HttpRequestParser::Limits;

namespace {

std::string toStd(const QByteArray& bytes) {
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

QString describe(const HttpRequest& r) {
    QString text =
        QString::fromStdString(r.method + ' ' + r.target + " 1.") + QString::number(r.versionMinor);
    if (!r.body.empty())
        text += QStringLiteral(" [") + QString::fromStdString(r.body) + QLatin1Char(']');
    return text;
}

// How a stream is cut into reads: the parser must not care.
struct Split {
    enum Kind { Whole, Bytes, Random, At } kind = Whole;
    unsigned seedOrOffset = 0;
};

QString splitName(const Split& s) {
    switch (s.kind) {
    case Split::Whole:
        return QStringLiteral("whole");
    case Split::Bytes:
        return QStringLiteral("byte by byte");
    case Split::Random:
        return QStringLiteral("random pieces, seed %1").arg(s.seedOrOffset);
    case Split::At:
        return QStringLiteral("two pieces at %1").arg(s.seedOrOffset);
    }
    return {};
}

struct Run {
    QStringList outcome; // one entry per request, then "error N" or "need more"
    std::vector<HttpRequest> requests;
    HttpError error;
};

// Feeds input the way a socket would deliver it, taking every complete request and moving on
// to the next, as the server glue does on a keep-alive connection.
Run run(const std::string& input, const Split& split, const Limits& limits = {}) {
    HttpRequestParser parser(limits);
    Run r;
    std::mt19937 rng(split.seedOrOffset);
    std::size_t pos = 0;
    Status status = Status::NeedMore;
    while (pos < input.size() && status != Status::Error) {
        std::size_t n = input.size() - pos;
        if (split.kind == Split::Bytes)
            n = 1;
        else if (split.kind == Split::Random)
            n = 1 + rng() % 23;
        else if (split.kind == Split::At && pos < split.seedOrOffset)
            n = split.seedOrOffset - pos;
        n = std::min(n, input.size() - pos);
        status = parser.feed(std::string_view(input).substr(pos, n));
        pos += n;
        while (status == Status::Complete) {
            r.requests.push_back(parser.request());
            r.outcome << describe(parser.request());
            parser.next();
            status = parser.parseBuffered();
        }
    }
    if (status == Status::Error) {
        r.error = parser.error();
        r.outcome << QStringLiteral("error %1").arg(r.error.status);
    } else if (!parser.idle()) {
        r.outcome << QStringLiteral("need more");
    }
    return r;
}

std::vector<Split> splitsFor(const std::string& input) {
    std::vector<Split> splits{{Split::Whole, 0}, {Split::Bytes, 0}};
    for (unsigned seed : {1u, 2u, 3u})
        splits.push_back({Split::Random, seed});
    if (input.size() < 400)
        for (unsigned at = 1; at < input.size(); ++at)
            splits.push_back({Split::At, at});
    return splits;
}

// Runs input every way it can be split and checks each gives the expected outcome.
void checkAllSplits(const std::string& input, const QString& expected, const Limits& limits = {}) {
    for (const Split& split : splitsFor(input)) {
        const Run r = run(input, split, limits);
        const QString got = r.outcome.join(QStringLiteral(" ; "));
        if (got != expected)
            QFAIL(qPrintable(
                QStringLiteral("%1: got \"%2\" (%3), expected \"%4\"")
                    .arg(splitName(split), got, QString::fromStdString(r.error.reason), expected)));
        if (!r.error.reason.empty() || r.error.status != 0)
            QVERIFY(!r.error.reason.empty() && r.error.status >= 400);
    }
}

const char* const kHead = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n";

QByteArray chunked(const char* chunks) {
    return QByteArray(kHead) + "Transfer-Encoding: chunked\r\n\r\n" + chunks;
}

} // namespace

class TestHttpRequestParser final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parses_data();
    void parses();
    void limits_data();
    void limits();
    void refusesOversizedHeadBeforeItEnds();
    void refusesOversizedBodyBeforeItArrives();
    void refusesOversizedChunkBeforeItArrives();
    void refusesEndlessChunkExtension();
    void pipelinesKeepAliveRequests();
    void splitsTarget_data();
    void splitsTarget();
    void keepAlive_data();
    void keepAlive();
    void looksUpHeaders();
    void expectsContinue();
    void errorIsFinal();
    void nextOnlyAfterComplete();
    void releasedRequestKeepsWhatFollows();
    void parsesProbeStyleRequests();
};

void TestHttpRequestParser::parses_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");

    auto row = [](const char* name, const QByteArray& input, const char* expected) {
        QTest::newRow(name) << input << QString::fromUtf8(expected);
    };
    const QByteArray h(kHead);

    // Framing that works.
    row("get", "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "GET /mcp 1.1");
    row("bare LF", "GET /mcp HTTP/1.1\nHost: a\n\n", "GET /mcp 1.1");
    row("mixed line ends", "GET / HTTP/1.1\r\nHost: a\n\r\n", "GET / 1.1");
    row("HTTP/1.0 needs no Host", "GET / HTTP/1.0\r\n\r\n", "GET / 1.0");
    row("empty lines before request", "\r\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET / 1.1");
    row("content-length", h + "Content-Length: 5\r\n\r\nhello", "POST /mcp 1.1 [hello]");
    row("content-length zero", h + "Content-Length: 0\r\n\r\n", "POST /mcp 1.1");
    row("content-length padded", h + "content-length: \t 5 \t\r\n\r\nhello",
        "POST /mcp 1.1 [hello]");
    row("content-length repeated equal", h + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nok",
        "POST /mcp 1.1 [ok]");
    row("get without length", "GET /mcp HTTP/1.1\r\nHost: a\r\n\r\n", "GET /mcp 1.1");
    row("delete without length", "DELETE /mcp HTTP/1.1\r\nHost: a\r\n\r\n", "DELETE /mcp 1.1");
    row("options star", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "OPTIONS * 1.1");
    row("obs-text in value", "GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n", "GET / 1.1");
    row("empty value", "GET / HTTP/1.1\r\nHost: a\r\nX:\r\n\r\n", "GET / 1.1");
    row("incomplete head", "GET / HTTP/1.1\r\nHost: a\r\n", "need more");
    row("incomplete body", h + "Content-Length: 10\r\n\r\nhello", "need more");

    // Chunked bodies.
    row("chunked", chunked("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
        "POST /mcp 1.1 [hello world]");
    row("chunked upper case", QByteArray(kHead) + "Transfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n",
        "POST /mcp 1.1");
    row("chunked hex sizes", chunked("A\r\n0123456789\r\nb\r\nabcdefghijk\r\n0\r\n\r\n"),
        "POST /mcp 1.1 [0123456789abcdefghijk]");
    row("chunk extensions", chunked("5;name=value;x\r\nhello\r\n0 ; last=\"y\"\r\n\r\n"),
        "POST /mcp 1.1 [hello]");
    row("chunk size leading zeros", chunked("0005\r\nhello\r\n000\r\n\r\n"),
        "POST /mcp 1.1 [hello]");
    row("trailers", chunked("2\r\nhi\r\n0\r\nX-Checksum: 1\r\nOther: two\r\n\r\n"),
        "POST /mcp 1.1 [hi]");
    row("chunked bare LF", chunked("2\nhi\n0\n\n"), "POST /mcp 1.1 [hi]");
    row("chunked TE list spacing",
        QByteArray(kHead) + "Transfer-Encoding: , chunked ,\r\n\r\n0\r\n\r\n", "POST /mcp 1.1");
    row("chunked incomplete", chunked("5\r\nhel"), "need more");
    row("chunked no last chunk", chunked("5\r\nhello\r\n"), "need more");
    row("chunk without CRLF", chunked("5\r\nhelloX0\r\n\r\n"), "error 400");
    row("chunk with CR only", chunked("5\r\nhello\rX"), "error 400");
    row("chunk size not hex", chunked("zz\r\n"), "error 400");
    row("chunk size 0x", chunked("0x5\r\nhello\r\n0\r\n\r\n"), "error 400");
    row("chunk size negative", chunked("-1\r\n"), "error 400");
    row("chunk size empty", chunked("\r\n"), "error 400");
    row("chunk size too many digits", chunked("00000000000000005\r\nhello\r\n0\r\n\r\n"),
        "error 400");
    row("chunk extension without semicolon", chunked("5 x\r\nhello\r\n0\r\n\r\n"), "error 400");
    row("chunk extension with control", chunked("5;a\x01\r\nhello\r\n0\r\n\r\n"), "error 400");
    row("trailer not a token", chunked("0\r\nBad Name: x\r\n\r\n"), "error 400");
    row("trailer folded", chunked("0\r\nX: a\r\n b\r\n\r\n"), "error 400");

    // Request smuggling defences.
    row("CL then TE", h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "error 400");
    row("TE then CL", h + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        "error 400");
    row("TE gzip", h + "Transfer-Encoding: gzip\r\n\r\n", "error 501");
    row("TE gzip, chunked", h + "Transfer-Encoding: gzip, chunked\r\n\r\n", "error 501");
    row("TE chunked twice", h + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "error 501");
    row("TE chunked with parameter", h + "Transfer-Encoding: chunked;x=1\r\n\r\n", "error 501");
    row("TE empty", h + "Transfer-Encoding: \r\n\r\n", "error 501");
    row("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "error 400");
    row("CL conflicting", h + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", "error 400");
    row("CL list", h + "Content-Length: 5, 5\r\n\r\nhello", "error 400");
    row("CL signed", h + "Content-Length: +5\r\n\r\nhello", "error 400");
    row("CL negative", h + "Content-Length: -1\r\n\r\n", "error 400");
    row("CL hex", h + "Content-Length: 0x5\r\n\r\nhello", "error 400");
    row("CL inner space", h + "Content-Length: 1 0\r\n\r\n", "error 400");
    row("CL empty", h + "Content-Length:\r\n\r\n", "error 400");
    row("CL huge", h + "Content-Length: 99999999999999999999999999999999\r\n\r\n", "error 413");
    row("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "error 400");
    row("no Host in 1.1", "GET / HTTP/1.1\r\nX: a\r\n\r\n", "error 400");
    row("post without length", h + "\r\n", "error 411");
    row("put without length", "PUT /x HTTP/1.1\r\nHost: a\r\n\r\n", "error 411");

    // Field lines.
    row("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n  folded\r\n\r\n", "error 400");
    row("obs-fold tab", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tfolded\r\n\r\n", "error 400");
    row("first field folded", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", "error 400");
    row("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "error 400");
    row("tab before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", "error 400");
    row("name not a token", "GET / HTTP/1.1\r\nHost: a\r\nBad{Name}: x\r\n\r\n", "error 400");
    row("name with space", "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", "error 400");
    row("empty name", "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", "error 400");
    row("no colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", "error 400");
    row("control in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01z\r\n\r\n", "error 400");
    row("NUL in value",
        QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX: a") + '\0' + QByteArray("z\r\n\r\n"),
        "error 400");
    row("DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fz\r\n\r\n", "error 400");
    row("bare CR in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rInjected: 1\r\n\r\n", "error 400");
    row("CR CR LF", "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", "error 400");
    row("empty line with bare CR", "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", "error 400");

    // Request line.
    row("method not a token", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("empty method", " / HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("double space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("tab separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("no version", "GET /\r\nHost: a\r\n\r\n", "error 400");
    row("trailing word", "GET / HTTP/1.1 x\r\nHost: a\r\n\r\n", "error 400");
    row("trailing space", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", "error 400");
    row("relative target", "GET mcp HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("absolute-form target", "GET http://a/mcp HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("authority-form target", "CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("star with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("fragment in target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("non-ASCII target", "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("control in target", "GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", "error 505");
    row("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", "error 505");
    row("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", "error 505");
    row("version lower case", "GET / http/1.1\r\nHost: a\r\n\r\n", "error 400");
    row("version malformed", "GET / HTTP/11\r\nHost: a\r\n\r\n", "error 400");
    row("version too long", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", "error 400");
    row("not HTTP at all", "\x16\x03\x01\x02\x01\x01\xfc\x03\x03\n", "error 400");
}

void TestHttpRequestParser::parses() {
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    checkAllSplits(toStd(input), expected);
}

void TestHttpRequestParser::limits_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("maxHeaderBytes");
    QTest::addColumn<int>("maxBodyBytes");
    QTest::addColumn<int>("maxHeaderCount");
    QTest::addColumn<QString>("expected");

    // 16 + 9 + 2 = 27 bytes of head.
    const QByteArray get27("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QTest::newRow("head at limit") << get27 << 27 << 10 << 10 << QStringLiteral("GET / 1.1");
    QTest::newRow("head one over") << get27 << 26 << 10 << 10 << QStringLiteral("error 431");
    QTest::newRow("request line over")
        << QByteArray("GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: a\r\n\r\n") << 30
        << 10 << 10 << QStringLiteral("error 414");
    QTest::newRow("empty lines count")
        << QByteArray("\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n") << 26 << 10 << 10
        << QStringLiteral("error 414");
    const QByteArray threeFields("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n");
    QTest::newRow("fields at count")
        << threeFields << 1000 << 10 << 3 << QStringLiteral("GET / 1.1");
    QTest::newRow("fields over count")
        << threeFields << 1000 << 10 << 2 << QStringLiteral("error 431");

    const QByteArray post = QByteArray(kHead) + "Content-Length: 10\r\n\r\n0123456789";
    QTest::newRow("body at limit")
        << post << 1000 << 10 << 10 << QStringLiteral("POST /mcp 1.1 [0123456789]");
    QTest::newRow("body over limit") << post << 1000 << 9 << 10 << QStringLiteral("error 413");
    QTest::newRow("zero body limit") << QByteArray(QByteArray(kHead) + "Content-Length: 1\r\n\r\nx")
                                     << 1000 << 0 << 10 << QStringLiteral("error 413");

    const QByteArray body10 = chunked("4\r\n0123\r\n6\r\n456789\r\n0\r\n\r\n");
    QTest::newRow("chunked at limit")
        << body10 << 1000 << 10 << 10 << QStringLiteral("POST /mcp 1.1 [0123456789]");
    QTest::newRow("chunked over limit") << body10 << 1000 << 9 << 10 << QStringLiteral("error 413");
    QTest::newRow("chunk size overflowing 64 bits")
        << chunked("fffffffffffffffff\r\n") << 1000 << 10 << 10 << QStringLiteral("error 413");

    // kHead (42) + TE line (28) + CRLF (2) = 72 bytes of head; then extensions and trailers
    // draw on what remains.
    const QByteArray trailer = chunked("0\r\nX: 123456\r\n\r\n");
    QTest::newRow("trailers within head limit")
        << trailer << 72 + 11 + 2 << 10 << 10 << QStringLiteral("POST /mcp 1.1");
    QTest::newRow("trailers over head limit")
        << trailer << 72 + 11 + 1 << 10 << 10 << QStringLiteral("error 431");
    QTest::newRow("trailers over count")
        << chunked("0\r\nX: 1\r\nY: 2\r\n\r\n") << 1000 << 10 << 3 << QStringLiteral("error 431");
    const QByteArray extension = chunked("1;abcdefgh\r\nx\r\n0;ijklmnop\r\n\r\n");
    QTest::newRow("extensions within head limit")
        << extension << 72 + 18 + 2 << 10 << 10 << QStringLiteral("POST /mcp 1.1 [x]");
    // Fills the limit exactly, so the blank line ending the trailers no longer fits; a parser
    // that counted the CR of a half-received chunk line would say 413 for some splits.
    QTest::newRow("extension filling head limit")
        << chunked("1;abcdefgh\r\nx\r\n0\r\n\r\n") << 72 + 9 << 10 << 10
        << QStringLiteral("error 431");
    QTest::newRow("extensions over head limit")
        << extension << 72 + 17 << 10 << 10 << QStringLiteral("error 413");
}

void TestHttpRequestParser::limits() {
    QFETCH(QByteArray, input);
    QFETCH(int, maxHeaderBytes);
    QFETCH(int, maxBodyBytes);
    QFETCH(int, maxHeaderCount);
    QFETCH(QString, expected);
    Limits limits;
    limits.maxHeaderBytes = static_cast<std::size_t>(maxHeaderBytes);
    limits.maxBodyBytes = static_cast<std::size_t>(maxBodyBytes);
    limits.maxHeaderCount = static_cast<std::size_t>(maxHeaderCount);
    checkAllSplits(toStd(input), expected, limits);
}

void TestHttpRequestParser::refusesOversizedHeadBeforeItEnds() {
    // With the default 32 KiB, the error comes at the first byte past the limit, not at a line
    // end that a hostile client never sends.
    HttpRequestParser parser;
    const std::string start = "GET / HTTP/1.1\r\nHost: a\r\nX-Long: ";
    QCOMPARE(parser.feed(start), Status::NeedMore);
    std::size_t fed = start.size();
    Status status = Status::NeedMore;
    while (status == Status::NeedMore && fed < 100'000) {
        status = parser.feed("a");
        ++fed;
    }
    QCOMPARE(status, Status::Error);
    QCOMPARE(parser.error().status, 431);
    QCOMPARE(fed, std::size_t{32 * 1024 + 1});

    HttpRequestParser lineParser;
    QCOMPARE(lineParser.feed("GET /" + std::string(40'000, 'a')), Status::Error);
    QCOMPARE(lineParser.error().status, 414);
}

void TestHttpRequestParser::refusesOversizedBodyBeforeItArrives() {
    HttpRequestParser parser;
    QCOMPARE(parser.feed(std::string(kHead) + "Content-Length: 4194305\r\n\r\n"), Status::Error);
    QCOMPARE(parser.error().status, 413);

    HttpRequestParser atLimit;
    QCOMPARE(atLimit.feed(std::string(kHead) + "Content-Length: 4194304\r\n\r\n"),
             Status::NeedMore);
    QCOMPARE(atLimit.feed(std::string(4 * 1024 * 1024, 'x')), Status::Complete);
    QCOMPARE(atLimit.request().body.size(), std::size_t{4 * 1024 * 1024});
}

void TestHttpRequestParser::refusesOversizedChunkBeforeItArrives() {
    Limits limits;
    limits.maxBodyBytes = 100;
    HttpRequestParser parser(limits);
    QCOMPARE(parser.feed(toStd(chunked("40\r\n")) + std::string(64, 'x') + "\r\n"),
             Status::NeedMore);
    // 64 + 0x25 = 101: known from the size digits, before their line even ends.
    QCOMPARE(parser.feed("2"), Status::NeedMore);
    QCOMPARE(parser.feed("5"), Status::Error);
    QCOMPARE(parser.error().status, 413);
}

void TestHttpRequestParser::refusesEndlessChunkExtension() {
    HttpRequestParser parser;
    QCOMPARE(parser.feed(toStd(chunked("1;"))), Status::NeedMore);
    Status status = Status::NeedMore;
    for (int i = 0; i < 10'000 && status == Status::NeedMore; ++i)
        status = parser.feed(std::string(100, 'e'));
    QCOMPARE(status, Status::Error);
    QCOMPARE(parser.error().status, 413);
}

void TestHttpRequestParser::pipelinesKeepAliveRequests() {
    const std::string input = "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
                              "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\none"
                              "\r\n" // stray CRLF after a body, as old clients send
                              "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "3;x\r\ntwo\r\n0\r\nT: 1\r\n\r\n"
                              "GET /d HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                              "DELETE /e HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                              "GET /f HT";
    const QString expected =
        QStringLiteral("GET /a 1.1 ; POST /b 1.1 [one] ; POST /c 1.1 [two] ; GET /d 1.0 ; "
                       "DELETE /e 1.1 ; need more");
    for (const Split& split : splitsFor(input)) {
        const Run r = run(input, split);
        QCOMPARE(r.outcome.join(QStringLiteral(" ; ")), expected);
        QCOMPARE(r.requests.size(), std::size_t{5});
        QVERIFY(r.requests[0].keepAlive());
        QVERIFY(r.requests[2].keepAlive());
        QVERIFY(r.requests[3].keepAlive());
        QVERIFY(!r.requests[4].keepAlive());
        QCOMPARE(r.requests[2].headers.size(), std::size_t{2}); // trailers are not headers
    }

    // The rest of a pipelined request completes once it arrives.
    HttpRequestParser parser;
    QCOMPARE(parser.feed("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHo"),
             Status::Complete);
    QCOMPARE(parser.request().target, std::string("/1"));
    QCOMPARE(parser.bufferedBytes(), std::size_t{19});
    QVERIFY(!parser.idle());
    parser.next();
    QCOMPARE(parser.parseBuffered(), Status::NeedMore);
    QVERIFY(!parser.idle());
    QCOMPARE(parser.feed("st: a\r\n\r\n"), Status::Complete);
    QCOMPARE(parser.request().target, std::string("/2"));
    parser.next();
    QCOMPARE(parser.parseBuffered(), Status::NeedMore);
    QVERIFY(parser.idle());
}

void TestHttpRequestParser::splitsTarget_data() {
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::newRow("no query") << QByteArray("/mcp") << QByteArray("/mcp") << QByteArray();
    QTest::newRow("query") << QByteArray("/message?sessionId=4cd25432") << QByteArray("/message")
                           << QByteArray("sessionId=4cd25432");
    QTest::newRow("second question mark")
        << QByteArray("/a?b=1?c") << QByteArray("/a") << QByteArray("b=1?c");
    QTest::newRow("empty query") << QByteArray("/a?") << QByteArray("/a") << QByteArray();
    QTest::newRow("percent kept") << QByteArray("/a%20b?x=%2F") << QByteArray("/a%20b")
                                  << QByteArray("x=%2F");
}

void TestHttpRequestParser::splitsTarget() {
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, query);
    HttpRequestParser parser;
    QCOMPARE(parser.feed("GET " + toStd(target) + " HTTP/1.1\r\nHost: a\r\n\r\n"),
             Status::Complete);
    QCOMPARE(parser.request().target, toStd(target));
    QCOMPARE(parser.request().path, toStd(path));
    QCOMPARE(parser.request().query, toStd(query));
}

void TestHttpRequestParser::keepAlive_data() {
    QTest::addColumn<QByteArray>("versionAndFields");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1 default") << QByteArray("1.1\r\nHost: a") << true;
    QTest::newRow("1.1 close") << QByteArray("1.1\r\nHost: a\r\nConnection: close") << false;
    QTest::newRow("1.1 Close in a list")
        << QByteArray("1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE") << false;
    QTest::newRow("1.1 close in a second field")
        << QByteArray("1.1\r\nHost: a\r\nConnection: te\r\nConnection: close") << false;
    QTest::newRow("1.1 closed is not close")
        << QByteArray("1.1\r\nHost: a\r\nConnection: closed") << true;
    QTest::newRow("1.0 default") << QByteArray("1.0") << false;
    QTest::newRow("1.0 keep-alive") << QByteArray("1.0\r\nConnection: Keep-Alive") << true;
    QTest::newRow("1.0 keep-alive and close")
        << QByteArray("1.0\r\nConnection: keep-alive, close") << false;
}

void TestHttpRequestParser::keepAlive() {
    QFETCH(QByteArray, versionAndFields);
    QFETCH(bool, keepAlive);
    HttpRequestParser parser;
    QCOMPARE(parser.feed("GET / HTTP/" + toStd(versionAndFields) + "\r\n\r\n"), Status::Complete);
    QCOMPARE(parser.request().keepAlive(), keepAlive);
}

void TestHttpRequestParser::looksUpHeaders() {
    HttpRequestParser parser;
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nHost: 127.0.0.1:9\r\nMcp-Session-Id:  abc \t\r\n"
                         "X-Dup: first\r\nx-dup: second\r\nAccept: application/json, "
                         "text/event-stream\r\n\r\n"),
             Status::Complete);
    const HttpRequest& r = parser.request();
    QCOMPARE(r.header("mcp-session-id"), std::optional<std::string_view>("abc"));
    QCOMPARE(r.header("host"), std::optional<std::string_view>("127.0.0.1:9"));
    QCOMPARE(r.header("x-dup"), std::optional<std::string_view>("first"));
    QCOMPARE(r.header("authorization"), std::optional<std::string_view>());
    QVERIFY(r.hasHeaderToken("accept", "text/event-stream"));
    QVERIFY(r.hasHeaderToken("accept", "Application/JSON"));
    QVERIFY(!r.hasHeaderToken("accept", "text/html"));
    QCOMPARE(r.headers.size(), std::size_t{5});
    QCOMPARE(r.headers[1].first, std::string("mcp-session-id"));
}

void TestHttpRequestParser::expectsContinue() {
    HttpRequestParser parser;
    QCOMPARE(parser.feed(std::string(kHead) + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n"),
             Status::NeedMore);
    QVERIFY(parser.expectsContinue());
    QCOMPARE(parser.feed("hel"), Status::NeedMore);
    QCOMPARE(parser.feed("lo"), Status::Complete);
    QVERIFY(!parser.expectsContinue());

    HttpRequestParser plain;
    QCOMPARE(plain.feed(std::string(kHead) + "Content-Length: 5\r\n\r\n"), Status::NeedMore);
    QVERIFY(!plain.expectsContinue());
}

void TestHttpRequestParser::errorIsFinal() {
    HttpRequestParser parser;
    QCOMPARE(parser.feed("GET / HTTP/3.0\r\n"), Status::Error);
    QCOMPARE(parser.error().status, 505);
    QVERIFY(!parser.error().reason.empty());
    QCOMPARE(parser.feed("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), Status::Error);
    parser.next();
    QCOMPARE(parser.parseBuffered(), Status::Error);
    QCOMPARE(parser.error().status, 505);
    QCOMPARE(parser.bufferedBytes(), std::size_t{0});
}

// A held request's text is let go while its answer waits; bytes of the next request, received
// before and after, still make that request.
void TestHttpRequestParser::releasedRequestKeepsWhatFollows() {
    HttpRequestParser parser;
    parser.releaseRequest(); // nothing complete: no effect
    QCOMPARE(parser.feed("POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\noneGET /2 HTT"),
             Status::Complete);
    QCOMPARE(parser.request().body, std::string("one"));
    parser.releaseRequest();
    QVERIFY(parser.request().body.empty());
    QVERIFY(parser.request().headers.empty());
    QCOMPARE(parser.bufferedBytes(), std::size_t{10});                   // "GET /2 HTT"
    QCOMPARE(parser.feed("P/1.1\r\nHost: a\r\n\r\n"), Status::Complete); // still the first
    parser.next();
    QCOMPARE(parser.parseBuffered(), Status::Complete);
    QCOMPARE(parser.request().target, std::string("/2"));
    QCOMPARE(parser.request().header("host").value_or(""), std::string_view("a"));
    parser.next();
    QVERIFY(parser.idle());
}

void TestHttpRequestParser::nextOnlyAfterComplete() {
    HttpRequestParser parser;
    QVERIFY(parser.idle());
    QCOMPARE(parser.feed("POST /mcp HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab"),
             Status::NeedMore);
    parser.next(); // mid-request: must not lose the request
    QCOMPARE(parser.feed("cd"), Status::Complete);
    QCOMPARE(parser.request().body, std::string("abcd"));
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\n"), Status::Complete); // buffered, not parsed yet
    QCOMPARE(parser.request().body, std::string("abcd"));
    parser.next();
    QVERIFY(parser.request().body.empty());
    QCOMPARE(parser.parseBuffered(), Status::NeedMore);
    QCOMPARE(parser.feed("Host: a\r\n\r\n"), Status::Complete);
    QCOMPARE(parser.request().method, std::string("GET"));
}

void TestHttpRequestParser::parsesProbeStyleRequests() {
    // The probe captured responses only, so its requests are rebuilt as curl and the SDK send
    // them, carrying the session id the server handed out in the trace.
    QFile trace(QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/mcp-traces/http_probe.txt"));
    QVERIFY(trace.open(QIODevice::ReadOnly));
    const QByteArray text = trace.readAll();
    const QByteArray marker("session id = ");
    const auto at = text.indexOf(marker);
    QVERIFY(at >= 0);
    const std::string sessionId =
        toStd(text.mid(at + marker.size(), text.indexOf('\n', at) - at - marker.size()));
    QCOMPARE(sessionId.size(), std::size_t{36});

    const std::string call =
        R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi over HTTP"}}})";
    const std::string init =
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"probe","version":"1"}}})";
    const std::string input =
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:3001\r\nUser-Agent: curl/7.88.1\r\n"
        "Accept: application/json, text/event-stream\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(init.size()) + "\r\n\r\n" + init +
        "POST /mcp HTTP/1.1\r\nhost: 127.0.0.1:3001\r\nconnection: keep-alive\r\n"
        "content-type: application/json\r\naccept: application/json, text/event-stream\r\n"
        "mcp-session-id: " +
        sessionId +
        "\r\nmcp-protocol-version: 2025-06-18\r\nauthorization: Bearer t0k3n\r\n"
        "transfer-encoding: chunked\r\n\r\n" +
        "10\r\n" + call.substr(0, 16) + "\r\n" +
        QByteArray::number(static_cast<qulonglong>(call.size() - 16), 16).toStdString() + "\r\n" +
        call.substr(16) +
        "\r\n0\r\n\r\n"
        "DELETE /mcp HTTP/1.1\r\nHost: 127.0.0.1:3001\r\nMcp-Session-Id: " +
        sessionId + "\r\n\r\n";

    for (const Split& split :
         {Split{Split::Whole, 0}, Split{Split::Bytes, 0}, Split{Split::Random, 7}}) {
        const Run r = run(input, split);
        QCOMPARE(r.requests.size(), std::size_t{3});
        QCOMPARE(r.requests[0].body, init);
        QCOMPARE(r.requests[1].body, call);
        QCOMPARE(r.requests[1].header("mcp-session-id"),
                 std::optional<std::string_view>(sessionId));
        QCOMPARE(r.requests[1].header("authorization"),
                 std::optional<std::string_view>("Bearer t0k3n"));
        QCOMPARE(r.requests[2].method, std::string("DELETE"));
        QCOMPARE(r.requests[2].header("mcp-session-id"),
                 std::optional<std::string_view>(sessionId));
        QVERIFY(r.outcome.size() == 3);
    }
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "test_httprequestparser.moc"
