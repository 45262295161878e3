#include "gatewayprocess.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

struct RawResponse {
    int status = 0;
    QByteArray head;
    QByteArray body;
};

// One raw HTTP/1.1 exchange on a fresh connection; bytes as given, nothing fixed up.
RawResponse exchange(quint16 port, const QByteArray& request) {
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    RawResponse r;
    if (!socket.waitForConnected(5'000))
        return r;
    socket.write(request);
    QByteArray data;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 10'000) {
        socket.waitForReadyRead(200);
        data += socket.readAll();
        const qsizetype end = data.indexOf("\r\n\r\n");
        if (end >= 0) {
            r.head = data.left(end);
            const QByteArray lower = r.head.toLower();
            if (lower.contains("transfer-encoding: chunked")) {
                // A stream (SSE): the raw chunks are enough to look for the message in.
                if (data.endsWith("\r\n0\r\n\r\n")) {
                    r.body = data.mid(end + 4);
                    break;
                }
            } else {
                const qsizetype cl = lower.indexOf("content-length:");
                const qsizetype length =
                    cl >= 0 ? lower.mid(cl + 15, lower.indexOf("\r\n", cl) - cl - 15)
                                  .trimmed()
                                  .toLongLong()
                            : 0;
                if (data.size() >= end + 4 + length) {
                    r.body = data.mid(end + 4, length);
                    break;
                }
            }
        }
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
            break;
    }
    const QList<QByteArray> statusLine = r.head.left(r.head.indexOf("\r\n")).split(' ');
    r.status = statusLine.size() >= 2 ? statusLine[1].toInt() : 0;
    return r;
}

QByteArray post(const QByteArray& body, const QByteArray& extraHeaders = {},
                const QByteArray& token = GatewayProcess::kToken, quint16 port = 0) {
    QByteArray r =
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
        "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n";
    if (!token.isEmpty())
        r += "Authorization: Bearer " + token + "\r\n";
    r += extraHeaders;
    r += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return r;
}

const QByteArray kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}})";

} // namespace

// Broken, hostile and oversized requests each get their own answer, and the gateway keeps
// serving the next good request.
class TestGatewayBadInput final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void rejects_data();
    void rejects();
    void wrongParamTypesGetJsonRpcErrors();

private:
    quint16 m_port = 0;
    QByteArray m_session;
    GatewayProcess m_gateway;
};

void TestGatewayBadInput::initTestCase() {
    const json servers = {
        {"mcpServers",
         {{"demo", {{"command", PORTCULLIS_DEMO_SERVER_EXE}, {"args", json::array()}}}}}};
    QVERIFY2(m_gateway.start(servers, R"({"version":"1","default":"allow"})"),
             qPrintable(m_gateway.error()));
    m_port = static_cast<quint16>(QUrl(m_gateway.url()).port());
    const RawResponse init =
        exchange(m_port, post(kInitialize, {}, GatewayProcess::kToken, m_port));
    QCOMPARE(init.status, 200);
    const qsizetype at = init.head.toLower().indexOf("mcp-session-id:");
    QVERIFY(at >= 0);
    m_session = init.head.mid(at + 15, init.head.indexOf("\r\n", at) - at - 15).trimmed();
}

void TestGatewayBadInput::cleanupTestCase() {
    QCOMPARE(m_gateway.stop(), 0);
}

void TestGatewayBadInput::rejects_data() {
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("bodyContains");

    const quint16 port = static_cast<quint16>(QUrl(m_gateway.url()).port());
    const QByteArray session = "Mcp-Session-Id: " + m_session + "\r\n";
    QTest::newRow("malformed json")
        << post(R"({"jsonrpc":"2.0",)", session, GatewayProcess::kToken, port) << 400
        << QByteArray("-32700");
    QTest::newRow("invalid utf-8")
        << post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"x\":\"\xff\xfe\"}", session,
                GatewayProcess::kToken, port)
        << 400 << QByteArray("-32700");
    QByteArray deep =
        R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"x","arguments":{"a":)";
    deep += QByteArray(100'000, '[') + QByteArray(100'000, ']') + "}}}";
    QTest::newRow("100 000 deep") << post(deep, session, GatewayProcess::kToken, port) << 400
                                  << QByteArray("nesting deeper than 64");
    QTest::newRow("10 MiB body") << post(QByteArray(10 * 1024 * 1024, ' '), session,
                                         GatewayProcess::kToken, port)
                                 << 413 << QByteArray();
    QTest::newRow("40 KiB of headers")
        << post(kInitialize, "X-Big: " + QByteArray(40 * 1024, 'a') + "\r\n",
                GatewayProcess::kToken, port)
        << 431 << QByteArray();
    QTest::newRow("no token") << post(kInitialize, {}, {}, port) << 401
                              << QByteArray("bearer token");
    QTest::newRow("wrong token") << post(kInitialize, {}, "not-the-token", port) << 401
                                 << QByteArray("bearer token");
    QTest::newRow("evil origin") << post(kInitialize, "Origin: https://evil.example\r\n",
                                         GatewayProcess::kToken, port)
                                 << 403 << QByteArray("Origin");
    QByteArray evilHost = post(kInitialize, {}, GatewayProcess::kToken, port);
    evilHost.replace(QByteArray("Host: 127.0.0.1:" + QByteArray::number(port)),
                     "Host: evil.example");
    QTest::newRow("evil host") << evilHost << 403 << QByteArray("Host");
    QTest::newRow("unknown session")
        << post(R"({"jsonrpc":"2.0","id":4,"method":"tools/list"})",
                "Mcp-Session-Id: 0123456789abcdef\r\n", GatewayProcess::kToken, port)
        << 404 << QByteArray("Session not found");
    QTest::newRow("no session") << post(R"({"jsonrpc":"2.0","id":5,"method":"tools/list"})", {},
                                        GatewayProcess::kToken, port)
                                << 400 << QByteArray("Mcp-Session-Id");
    QTest::newRow("bad protocol version")
        << post(R"({"jsonrpc":"2.0","id":6,"method":"tools/list"})",
                session + "MCP-Protocol-Version: 1999-01-01\r\n", GatewayProcess::kToken, port)
        << 400 << QByteArray("MCP-Protocol-Version");
    QTest::newRow("PUT") << QByteArray(
                                "PUT /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ") +
                                GatewayProcess::kToken + "\r\nContent-Length: 2\r\n\r\n{}"
                         << 405 << QByteArray("Method Not Allowed");
    QTest::newRow("wrong content type")
        << QByteArray(post(kInitialize, {}, GatewayProcess::kToken, port))
               .replace("application/json\r\nAccept", "text/plain\r\nAccept")
        << 415 << QByteArray("Content-Type");
    QTest::newRow("garbage request line") << QByteArray("HELLO\r\n\r\n") << 400 << QByteArray();
}

void TestGatewayBadInput::rejects() {
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, bodyContains);
    const RawResponse r = exchange(m_port, request);
    QVERIFY2(
        r.status == status,
        QByteArray(QByteArray::number(r.status) + ' ' + r.head + r.body.left(300)).constData());
    QVERIFY2(r.body.contains(bodyContains), r.body.left(300).constData());
    // The gateway is still serving: the next good request succeeds.
    const RawResponse ping = exchange(m_port, post(R"({"jsonrpc":"2.0","id":99,"method":"ping"})",
                                                   "Mcp-Session-Id: " + m_session + "\r\n",
                                                   GatewayProcess::kToken, m_port));
    QCOMPARE(ping.status, 200);
    QVERIFY(ping.body.contains(R"("result":{})"));
}

void TestGatewayBadInput::wrongParamTypesGetJsonRpcErrors() {
    const QByteArray session = "Mcp-Session-Id: " + m_session + "\r\n";
    const RawResponse noName = exchange(
        m_port, post(R"({"jsonrpc":"2.0","id":"n","method":"tools/call","params":{"name":5}})",
                     session, GatewayProcess::kToken, m_port));
    QCOMPARE(noName.status, 200);
    QVERIFY2(noName.body.contains("-32602") && noName.body.contains(R"("id":"n")"),
             noName.body.constData());
    const RawResponse badArgs = exchange(
        m_port,
        post(
            R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"delete_app","arguments":[1]}})",
            session, GatewayProcess::kToken, m_port));
    QVERIFY2(badArgs.body.contains("-32602") && badArgs.body.contains("arguments"),
             badArgs.body.constData());
    const RawResponse unknownMethod =
        exchange(m_port, post(R"({"jsonrpc":"2.0","id":8,"method":"tools/frobnicate"})", session,
                              GatewayProcess::kToken, m_port));
    QVERIFY2(unknownMethod.body.contains("-32601"), unknownMethod.body.constData());
}

QTEST_GUILESS_MAIN(TestGatewayBadInput)
#include "test_gateway_badinput.moc"
