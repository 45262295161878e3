#include "transport/httprequestparser.h"
#include "transport/httpresponse.h"

#include <QTest>

using namespace portcullis::transport;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

} // namespace

class TestHttpResponse final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void statusTexts_data();
    void statusTexts();
    void formatsHead_data();
    void formatsHead();
    void headCannotBeSplit();
    void formatsChunks_data();
    void formatsChunks();
    void chunksParseBack();
};

void TestHttpResponse::statusTexts_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("text");
    QTest::newRow("200") << 200 << QStringLiteral("OK");
    QTest::newRow("202") << 202 << QStringLiteral("Accepted");
    QTest::newRow("400") << 400 << QStringLiteral("Bad Request");
    QTest::newRow("401") << 401 << QStringLiteral("Unauthorized");
    QTest::newRow("403") << 403 << QStringLiteral("Forbidden");
    QTest::newRow("404") << 404 << QStringLiteral("Not Found");
    QTest::newRow("405") << 405 << QStringLiteral("Method Not Allowed");
    QTest::newRow("406") << 406 << QStringLiteral("Not Acceptable");
    QTest::newRow("411") << 411 << QStringLiteral("Length Required");
    QTest::newRow("413") << 413 << QStringLiteral("Content Too Large");
    QTest::newRow("414") << 414 << QStringLiteral("URI Too Long");
    QTest::newRow("415") << 415 << QStringLiteral("Unsupported Media Type");
    QTest::newRow("431") << 431 << QStringLiteral("Request Header Fields Too Large");
    QTest::newRow("501") << 501 << QStringLiteral("Not Implemented");
    QTest::newRow("505") << 505 << QStringLiteral("HTTP Version Not Supported");
    QTest::newRow("unknown") << 299 << QString();
}

void TestHttpResponse::statusTexts() {
    QFETCH(int, status);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(statusText(status)), text);
}

void TestHttpResponse::formatsHead_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<Fields>("fields");
    QTest::addColumn<int>("contentLength"); // -1: none
    QTest::addColumn<QByteArray>("head");

    QTest::newRow("json") << 200
                          << Fields{{"Content-Type", "application/json"}, {"Mcp-Session-Id", "abc"}}
                          << 2
                          << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                        "Mcp-Session-Id: abc\r\nContent-Length: 2\r\n\r\n");
    QTest::newRow("accepted, empty") << 202 << Fields{} << 0
                                     << QByteArray("HTTP/1.1 202 Accepted\r\nContent-Length: "
                                                   "0\r\n\r\n");
    QTest::newRow("stream") << 200
                            << Fields{{"Content-Type", "text/event-stream"},
                                      {"Transfer-Encoding", "chunked"}}
                            << -1
                            << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                          "Transfer-Encoding: chunked\r\n\r\n");
    QTest::newRow("unknown status") << 299 << Fields{} << -1 << QByteArray("HTTP/1.1 299 \r\n\r\n");
    QTest::newRow("invalid status")
        << 42 << Fields{} << -1 << QByteArray("HTTP/1.1 500 Internal Server Error\r\n\r\n");
    QTest::newRow("caller content-length dropped")
        << 200 << Fields{{"content-length", "999"}} << 3
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n");
    QTest::newRow("bad names dropped")
        << 200 << Fields{{"Bad Name", "x"}, {"", "y"}, {"X:Y", "z"}, {"Ok", "1"}} << -1
        << QByteArray("HTTP/1.1 200 OK\r\nOk: 1\r\n\r\n");
    QTest::newRow("controls stripped")
        << 400 << Fields{{"X-Reason", "a\r\nSet-Cookie: evil\r\n\r\n<html>"}} << -1
        << QByteArray("HTTP/1.1 400 Bad Request\r\nX-Reason: aSet-Cookie: evil<html>\r\n\r\n");
    QTest::newRow("tab and UTF-8 kept")
        << 200 << Fields{{"X", "a\tb caf\xC3\xA9"}} << -1
        << QByteArray("HTTP/1.1 200 OK\r\nX: a\tb caf\xC3\xA9\r\n\r\n");
}

void TestHttpResponse::formatsHead() {
    QFETCH(int, status);
    QFETCH(Fields, fields);
    QFETCH(int, contentLength);
    QFETCH(QByteArray, head);
    const std::optional<std::size_t> length =
        contentLength < 0 ? std::nullopt
                          : std::optional<std::size_t>(static_cast<std::size_t>(contentLength));
    QCOMPARE(QByteArray::fromStdString(formatResponseHead(status, fields, length)), head);
}

void TestHttpResponse::headCannotBeSplit() {
    // Whatever goes into values, the head has exactly the lines that were asked for.
    std::string hostile;
    for (int c = 0; c < 256; ++c)
        hostile += static_cast<char>(c);
    const std::string head =
        formatResponseHead(200, {{"A", hostile}, {"B", hostile + "\r\n\r\n"}}, 5);
    std::size_t lines = 0;
    for (std::size_t at = head.find("\r\n"); at != std::string::npos;
         at = head.find("\r\n", at + 2))
        ++lines;
    QCOMPARE(lines, std::size_t{5}); // status, A, B, Content-Length, blank
    QCOMPARE(std::count(head.begin(), head.end(), '\n'), std::ptrdiff_t{5});
    QCOMPARE(std::count(head.begin(), head.end(), '\r'), std::ptrdiff_t{5});
    QCOMPARE(std::count(head.begin(), head.end(), '\0'), std::ptrdiff_t{0});
}

void TestHttpResponse::formatsChunks_data() {
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("chunk");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("one byte") << QByteArray("x") << QByteArray("1\r\nx\r\n");
    QTest::newRow("sse event") << QByteArray("data: {}\n\n") << QByteArray("a\r\ndata: {}\n\n\r\n");
    QTest::newRow("hex sizes") << QByteArray(255, 'z')
                               << QByteArray("ff\r\n" + QByteArray(255, 'z') + "\r\n");
    QTest::newRow("4096") << QByteArray(4096, 'z')
                          << QByteArray("1000\r\n" + QByteArray(4096, 'z') + "\r\n");
}

void TestHttpResponse::formatsChunks() {
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, chunk);
    QCOMPARE(QByteArray::fromStdString(formatChunk(data.toStdString())), chunk);
    QCOMPARE(QByteArray::fromStdString(lastChunk()), QByteArray("0\r\n\r\n"));
}

void TestHttpResponse::chunksParseBack() {
    // Our chunked writer and our chunked reader agree.
    std::string body;
    std::string wire = "POST /mcp HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (std::size_t n : {1u, 15u, 16u, 17u, 255u, 256u, 4097u, 0u, 3u}) {
        const std::string piece(n, static_cast<char>('a' + n % 26));
        body += piece;
        wire += formatChunk(piece);
    }
    wire += lastChunk();
    HttpRequestParser parser;
    QCOMPARE(parser.feed(wire), HttpRequestParser::Status::Complete);
    QCOMPARE(parser.request().body, body);
    QCOMPARE(parser.bufferedBytes(), std::size_t{0});
}

QTEST_GUILESS_MAIN(TestHttpResponse)
#include "test_httpresponse.moc"
