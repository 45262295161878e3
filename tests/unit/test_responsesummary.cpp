// summarizeResponse: what the gateway reads of a tools/call answer it passes on as text, and
// everything it must leave to the full parser.
#include "mcp/jsonrpc.h"
#include "mcp/responsesummary.h"

#include <QTest>

using nlohmann::json;
using portcullis::mcp::summarizeResponse;

class TestResponseSummary : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void summarizes_data();
    void summarizes();
    void leavesTheRestToTheParser_data();
    void leavesTheRestToTheParser();
    void agreesWithTheParser();
};

void TestResponseSummary::summarizes_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("skeleton");
    QTest::newRow("ok result")
        << QByteArray(
               R"({"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"{\"a\":1}"}]}})")
        << QByteArray(R"({"id":7,"jsonrpc":"2.0","result":{}})");
    QTest::newRow("tool error")
        << QByteArray(R"({"result":{"isError":true,"content":[]},"id":8,"jsonrpc":"2.0"})")
        << QByteArray(R"({"id":8,"jsonrpc":"2.0","result":{"isError":true}})");
    QTest::newRow("nested isError is not the result's")
        << QByteArray(R"({"jsonrpc":"2.0","id":9,"result":{"structuredContent":{"isError":true}}})")
        << QByteArray(R"({"id":9,"jsonrpc":"2.0","result":{}})");
    QTest::newRow("rpc error")
        << QByteArray(R"({"jsonrpc":"2.0","id":10,"error":{"code":-32602,"message":"bad"}})")
        << QByteArray(R"({"error":{"code":-32602,"message":"bad"},"id":10,"jsonrpc":"2.0"})");
    QTest::newRow("spaces and a byte order mark")
        << QByteArray("\xEF\xBB\xBF { \"jsonrpc\" : \"2.0\" , \"id\" : 11 , \"result\" : { } }")
        << QByteArray(R"({"id":11,"jsonrpc":"2.0","result":{}})");
    QTest::newRow("last of a repeated key counts")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"id":12,"result":{"isError":false}})")
        << QByteArray(R"({"id":12,"jsonrpc":"2.0","result":{"isError":false}})");
}

void TestResponseSummary::summarizes() {
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, skeleton);
    const auto summary = summarizeResponse(
        std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
    QVERIFY(summary.has_value());
    QCOMPARE(QByteArray::fromStdString(summary->skeleton.dump()), skeleton);
    QCOMPARE(summary->id, summary->skeleton["id"].get<std::int64_t>());
    // Where the id is written, so the gateway can put the client's own in its place.
    const auto& at = summary->idSpan;
    QCOMPARE(text.mid(static_cast<qsizetype>(at.begin), static_cast<qsizetype>(at.end - at.begin)),
             QByteArray::number(static_cast<qlonglong>(summary->id)));
}

void TestResponseSummary::leavesTheRestToTheParser_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("request") << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
    QTest::newRow("notification") << QByteArray(
        R"({"jsonrpc":"2.0","method":"notifications/progress","params":{}})");
    QTest::newRow("string id") << QByteArray(R"({"jsonrpc":"2.0","id":"1","result":{}})");
    QTest::newRow("no id") << QByteArray(R"({"jsonrpc":"2.0","result":{}})");
    QTest::newRow("old version") << QByteArray(R"({"jsonrpc":"1.0","id":1,"result":{}})");
    QTest::newRow("both result and error")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1}})");
    QTest::newRow("neither") << QByteArray(R"({"jsonrpc":"2.0","id":1})");
    QTest::newRow("invalid json") << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":{})");
    QTest::newRow("invalid utf-8") << QByteArray("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":"
                                                 "{\"t\":\"\xff\"}}");
    QTest::newRow("array") << QByteArray(R"([{"jsonrpc":"2.0","id":1,"result":{}}])");
    QTest::newRow("too deep") << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":)") +
                                     QByteArray(100, '[') + QByteArray(100, ']') + "}";
}

void TestResponseSummary::leavesTheRestToTheParser() {
    QFETCH(QByteArray, text);
    QVERIFY(!summarizeResponse(
        std::string_view(text.constData(), static_cast<std::size_t>(text.size()))));
}

// Where both read a response, the summary says what the whole document says.
void TestResponseSummary::agreesWithTheParser() {
    const std::string text =
        R"({"jsonrpc":"2.0","id":42,"result":{"isError":true,"content":[{"type":"text","text":"x"}]}})";
    const auto summary = summarizeResponse(text);
    const auto parsed = portcullis::mcp::parseMessage(text);
    const auto* message = std::get_if<portcullis::mcp::Message>(&parsed);
    QVERIFY(summary && message);
    QVERIFY(summary->skeleton["id"] == message->body["id"]);
    QVERIFY(summary->skeleton["result"]["isError"] == message->body["result"]["isError"]);
    QVERIFY(message->kind == portcullis::mcp::MessageKind::Response);
}

QTEST_GUILESS_MAIN(TestResponseSummary)
#include "test_responsesummary.moc"
