#include "mcp/jsonrpc.h"

#include <QFile>
#include <QTest>

using namespace portcullis::mcp;
using nlohmann::json;

class TestJsonRpc final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void classifies_data();
    void classifies();
    void keepsIdType();
    void refusesDeepNestingBeforeParsing();
    void refusesOversizedMessage();
    void tracesFromRealPeers();
    void serializesInvalidUtf8Safely();
    void refusesANulByte();
};

void TestJsonRpc::classifies_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("kind");    // request / notification / response / error code
    QTest::addColumn<QString>("replyId"); // for errors: the id the reply carries, as JSON

    auto ok = [](const char* name, const char* text, const char* kind) {
        QTest::newRow(name) << QByteArray(text) << QString::fromUtf8(kind) << QString();
    };
    auto bad = [](const char* name, const char* text, int code, const char* replyId) {
        QTest::newRow(name) << QByteArray(text) << QString::number(code)
                            << QString::fromUtf8(replyId);
    };
    ok("request int id", R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})", "request");
    ok("request string id", R"({"jsonrpc":"2.0","id":"a","method":"ping","params":{}})", "request");
    ok("notification", R"({"jsonrpc":"2.0","method":"notifications/initialized"})", "notification");
    ok("result", R"({"jsonrpc":"2.0","id":7,"result":{}})", "response");
    ok("error", R"({"jsonrpc":"2.0","id":"x","error":{"code":-32601,"message":"no"}})", "response");
    ok("error null id", R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"p"}})",
       "response");
    bad("not json", R"({"jsonrpc":"2.0",)", ErrorCode::ParseError, "null");
    bad("empty", "", ErrorCode::ParseError, "null");
    bad("batch", R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", ErrorCode::InvalidRequest,
        "null");
    bad("scalar", "42", ErrorCode::InvalidRequest, "null");
    bad("no version", R"({"id":3,"method":"ping"})", ErrorCode::InvalidRequest, "3");
    bad("wrong version", R"({"jsonrpc":"1.0","id":3,"method":"ping"})", ErrorCode::InvalidRequest,
        "3");
    bad("method not string", R"({"jsonrpc":"2.0","id":3,"method":5})", ErrorCode::InvalidRequest,
        "3");
    bad("empty method", R"({"jsonrpc":"2.0","id":"q","method":""})", ErrorCode::InvalidRequest,
        "\"q\"");
    bad("null id request", R"({"jsonrpc":"2.0","id":null,"method":"ping"})",
        ErrorCode::InvalidRequest, "null");
    bad("float id", R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})", ErrorCode::InvalidRequest,
        "null");
    bad("bool id", R"({"jsonrpc":"2.0","id":true,"method":"ping"})", ErrorCode::InvalidRequest,
        "null");
    bad("params scalar", R"({"jsonrpc":"2.0","id":4,"method":"ping","params":3})",
        ErrorCode::InvalidRequest, "4");
    bad("request with result", R"({"jsonrpc":"2.0","id":4,"method":"ping","result":{}})",
        ErrorCode::InvalidRequest, "4");
    bad("neither", R"({"jsonrpc":"2.0"})", ErrorCode::InvalidRequest, "null");
    bad("result and error",
        R"({"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}})",
        ErrorCode::InvalidRequest, "null");
    bad("error without code", R"({"jsonrpc":"2.0","id":1,"error":{"message":"m"}})",
        ErrorCode::InvalidRequest, "null");
}

void TestJsonRpc::classifies() {
    QFETCH(QByteArray, text);
    QFETCH(QString, kind);
    QFETCH(QString, replyId);
    const auto outcome = parseMessage(std::string_view(text.constData(), text.size()));
    if (const auto* m = std::get_if<Message>(&outcome)) {
        QCOMPARE(QString::fromUtf8(toString(m->kind)), kind);
        return;
    }
    const auto& e = std::get<MessageError>(outcome);
    QVERIFY2(replyId.size() > 0, e.message.c_str());
    QCOMPARE(QString::number(e.code), kind);
    QCOMPARE(QString::fromStdString(e.id.dump()), replyId);
    QVERIFY(!e.message.empty());
    const json reply = makeError(e);
    QVERIFY(reply["jsonrpc"] == "2.0");
    QCOMPARE(reply["error"]["code"].get<int>(), e.code);
}

void TestJsonRpc::keepsIdType() {
    for (const char* text : {R"({"jsonrpc":"2.0","id":"1","method":"ping"})",
                             R"({"jsonrpc":"2.0","id":1,"method":"ping"})",
                             R"({"jsonrpc":"2.0","id":18446744073709551615,"method":"ping"})",
                             R"({"jsonrpc":"2.0","id":-5,"method":"ping"})"}) {
        const auto outcome = parseMessage(text);
        const auto& m = std::get<Message>(outcome);
        const std::string reply = serialize(makeResult(m.id(), json::object()));
        const json original = json::parse(text);
        QCOMPARE(QString::fromStdString(reply),
                 QStringLiteral(R"({"id":%1,"jsonrpc":"2.0","result":{}})")
                     .arg(QString::fromStdString(original["id"].dump())));
    }
}

void TestJsonRpc::refusesDeepNestingBeforeParsing() {
    std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":)";
    deep += std::string(100'000, '[');
    deep += std::string(100'000, ']');
    deep += "}}";
    const auto outcome = parseMessage(deep);
    const auto* e = std::get_if<MessageError>(&outcome);
    QVERIFY(e);
    QCOMPARE(e->code, ErrorCode::InvalidRequest);
    QVERIFY2(e->message.rfind("nesting deeper than 64 levels", 0) == 0, e->message.c_str());

    // 64 levels in all is fine.
    std::string ok = R"({"jsonrpc":"2.0","method":"n","params":{"a":)";
    ok += std::string(62, '[');
    ok += std::string(62, ']');
    ok += "}}";
    QVERIFY(std::holds_alternative<Message>(parseMessage(ok)));
    // Brackets inside strings do not count.
    const std::string quoted =
        R"({"jsonrpc":"2.0","method":"n","params":{"s":")" + std::string(1000, '[') + R"("}})";
    QVERIFY(std::holds_alternative<Message>(parseMessage(quoted)));
}

void TestJsonRpc::refusesOversizedMessage() {
    MessageLimits limits;
    limits.maxBytes = 64;
    const std::string big =
        R"({"jsonrpc":"2.0","method":"n","params":{"s":")" + std::string(100, 'x') + R"("}})";
    const auto outcome = parseMessage(big, limits);
    QVERIFY(std::holds_alternative<MessageError>(outcome));
    QVERIFY(std::get<MessageError>(outcome).message.find("the limit is 64") != std::string::npos);
}

void TestJsonRpc::tracesFromRealPeers() {
    // Every line the reference client and server wrote in the stdio traces classifies.
    int requests = 0, notifications = 0, responses = 0;
    for (const char* name : {"stdio_raw_probe.txt", "stdio_bidir_probe.txt"}) {
        QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/mcp-traces/") +
                QString::fromUtf8(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        while (!f.atEnd()) {
            const QByteArray line = f.readLine().trimmed();
            if (!line.startsWith(">> {") && !line.startsWith("<< {"))
                continue;
            const QByteArray payload = line.mid(3);
            // The capture printed server lines without "jsonrpc" and cut long ones short; the
            // wire had whole messages, so cut lines are skipped.
            json body = json::parse(payload.begin(), payload.end(), nullptr, false);
            if (body.is_discarded())
                continue;
            body["jsonrpc"] = "2.0";
            const auto outcome = parseMessage(body.dump());
            const auto* m = std::get_if<Message>(&outcome);
            QVERIFY2(m, line.left(200).constData());
            requests += m->kind == MessageKind::Request;
            notifications += m->kind == MessageKind::Notification;
            responses += m->kind == MessageKind::Response;
        }
    }
    QVERIFY(requests >= 5);
    QVERIFY(notifications >= 2);
    QVERIFY(responses >= 3);
}

void TestJsonRpc::serializesInvalidUtf8Safely() {
    json m =
        makeNotification("notifications/message", json{{"data", std::string("bad \xff byte")}});
    const std::string line = serialize(m);
    QVERIFY(line.find('\n') == std::string::npos);
    QVERIFY(json::accept(line));
}

void TestJsonRpc::refusesANulByte() {
    // nlohmann's parser would stop at the NUL and take the request before it.
    const std::string text = std::string(R"({"jsonrpc":"2.0","id":1,"method":"ping"})") + '\0' +
                             R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})";
    const auto outcome = parseMessage(text);
    const auto* e = std::get_if<MessageError>(&outcome);
    QVERIFY(e);
    QCOMPARE(e->code, ErrorCode::ParseError);
    QCOMPARE(QString::fromStdString(e->message),
             QStringLiteral("Parse error: a NUL byte at offset 40"));
}

QTEST_GUILESS_MAIN(TestJsonRpc)
#include "test_jsonrpc.moc"
