#include "gatewayprocess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkReply>
#include <QProcess>
#include <QTest>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <map>

using nlohmann::json;

namespace {

const char* const kAllowAll = R"({ "version": "1", "default": "allow" })";
constexpr const char* kCapabilities =
    R"({"sampling":{},"elicitation":{},"roots":{"listChanged":true}})";

struct Posted {
    int status = 0;
    QByteArray session;
    QByteArray body;
};

// One JSON-RPC message to the gateway's /mcp over plain HTTP: the bytes come back untouched,
// which a client library (that parses them) could not show.
Posted post(QNetworkAccessManager& http, const QString& url, const QByteArray& body,
            const QByteArray& session = {}) {
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json, text/event-stream");
    request.setRawHeader("Authorization", QByteArrayLiteral("Bearer ") + GatewayProcess::kToken);
    if (!session.isEmpty()) {
        request.setRawHeader("Mcp-Session-Id", session);
        request.setRawHeader("MCP-Protocol-Version", "2025-11-25");
    }
    QNetworkReply* reply = http.post(request, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    loop.exec();
    Posted p;
    p.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    p.session = reply->rawHeader("Mcp-Session-Id");
    p.body = reply->readAll();
    reply->deleteLater();
    return p;
}

// name -> the tool's text as found in a tools/list response line, cut out by brace matching.
std::map<std::string, std::string> toolTexts(const QByteArray& response) {
    std::map<std::string, std::string> out;
    const std::string text = response.toStdString();
    const std::size_t start = text.find(R"("tools":[)");
    if (start == std::string::npos)
        return out;
    const json parsed = json::parse(text, nullptr, false);
    const json& tools = parsed["result"]["tools"];
    std::size_t i = start + 9;
    for (const json& tool : tools) {
        int depth = 0;
        bool inString = false;
        const std::size_t begin = i;
        for (; i < text.size(); ++i) {
            const char c = text[i];
            if (inString) {
                if (c == '\\')
                    ++i;
                else if (c == '"')
                    inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                ++depth;
            } else if (c == '}' && --depth == 0) {
                ++i;
                break;
            }
        }
        out[tool["name"].get<std::string>()] = text.substr(begin, i - begin);
        ++i; // the comma
    }
    return out;
}

// server-everything's own tools/list line, spoken to directly over stdio with the capabilities
// the gateway declares upstream.
QByteArray directToolsList() {
    QProcess server;
    server.start(QStringLiteral(PORTCULLIS_NODE_EXE),
                 {QStringLiteral(PORTCULLIS_EVERYTHING_JS), QStringLiteral("stdio")});
    if (!server.waitForStarted(10'000))
        return {};
    auto send = [&](const std::string& line) {
        server.write(QByteArray::fromStdString(line + '\n'));
    };
    auto readUntil = [&](const char* needle) -> QByteArray {
        QElapsedTimer timer;
        timer.start();
        QByteArray buffer;
        while (timer.elapsed() < 15'000) {
            server.waitForReadyRead(200);
            buffer += server.readAllStandardOutput();
            for (const QByteArray& line : buffer.split('\n')) {
                if (line.contains(needle))
                    return line;
            }
        }
        return {};
    };
    send(
        std::string(
            R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":)") +
        kCapabilities + R"(,"clientInfo":{"name":"t","version":"1"}}})");
    readUntil(R"("id":1)");
    send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    readUntil("notifications/tools/list_changed");
    QTest::qWait(500); // the conditional tools register in one burst after initialized
    send(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})");
    const QByteArray list = readUntil(R"("id":2)");
    server.closeWriteChannel();
    if (!server.waitForFinished(5000))
        server.kill();
    return list;
}

} // namespace

// tools/list as agents receive it: each definition exactly as its server wrote it, and long
// lists paginated on both sides.
class TestToolListInterop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void definitionsPassByteForByte();
    void longListsArePaginated();
};

void TestToolListInterop::definitionsPassByteForByte() {
    GatewayProcess gateway;
    const json servers = {{"mcpServers",
                           {{"everything",
                             {{"command", PORTCULLIS_NODE_EXE},
                              {"args", json::array({PORTCULLIS_EVERYTHING_JS, "stdio"})}}}}}};
    QVERIFY2(gateway.start(servers, kAllowAll), qPrintable(gateway.error()));
    QTRY_VERIFY_WITH_TIMEOUT(gateway.adminGet(QStringLiteral("/admin/tools")).size() >= 12, 20'000);

    QNetworkAccessManager http;
    const Posted init = post(
        http, gateway.url(),
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
    QCOMPARE(init.status, 200);
    QVERIFY(!init.session.isEmpty());
    QCOMPARE(post(http, gateway.url(), R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                  init.session)
                 .status,
             202);
    const Posted list = post(http, gateway.url(),
                             R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", init.session);
    QCOMPARE(list.status, 200);

    const auto viaGateway = toolTexts(list.body);
    const auto direct = toolTexts(directToolsList());
    QVERIFY2(direct.size() >= 12, "server-everything did not list its tools");
    int compared = 0;
    for (const auto& [name, text] : direct) {
        auto it = viaGateway.find(name);
        if (it == viaGateway.end())
            continue;
        // Same bytes: key order (which nlohmann would sort), escapes and numbers as written.
        QCOMPARE(QString::fromStdString(it->second), QString::fromStdString(text));
        ++compared;
    }
    QVERIFY2(compared >= 12, qPrintable(QStringLiteral("only %1 tools compared").arg(compared)));
    QCOMPARE(gateway.stop(), 0);
}

void TestToolListInterop::longListsArePaginated() {
    // 1 200 tools served 100 to a page upstream; the gateway follows those cursors and hands
    // agents pages of 500 of its own.
    json tools = json::array();
    for (int i = 0; i < 1200; ++i) {
        tools.push_back({{"name", "tool_" + std::to_string(i)},
                         {"description", "Tool number " + std::to_string(i)},
                         {"inputSchema", {{"type", "object"}}}});
    }
    GatewayProcess gateway;
    QFile file(gateway.path(QStringLiteral("many-tools.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray::fromStdString(json{{"tools", tools}}.dump()));
    file.close();
    const json servers = {{"mcpServers",
                           {{"many",
                             {{"command", PORTCULLIS_DEMO_SERVER_EXE},
                              {"args", json::array({"--tools", file.fileName().toStdString(),
                                                    "--page-size", "100"})}}}}}};
    QVERIFY2(gateway.start(servers, kAllowAll), qPrintable(gateway.error()));
    QTRY_VERIFY_WITH_TIMEOUT(gateway.adminGet(QStringLiteral("/admin/tools")).size() == 1200,
                             20'000);

    const ClientRun r = runSdkClient(gateway.url(), {});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.output["tools"].size(), std::size_t{1200});
    QCOMPARE(r.output["pages"].get<int>(), 3);
    QVERIFY(r.output["tools"][0] == "tool_0");
    QVERIFY(r.output["tools"][1199] == "tool_1199");

    // A cursor the gateway never handed out is refused, as the spec asks.
    QNetworkAccessManager http;
    const Posted init = post(
        http, gateway.url(),
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
    const Posted bad =
        post(http, gateway.url(),
             R"({"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"cursor":"not-ours"}})",
             init.session);
    const json answer = json::parse(bad.body.toStdString(), nullptr, false);
    QVERIFY2(answer.contains("error") && answer["error"]["code"] == -32602, bad.body.constData());
    QCOMPARE(gateway.stop(), 0);
}

QTEST_GUILESS_MAIN(TestToolListInterop)
#include "test_toollist_interop.moc"
