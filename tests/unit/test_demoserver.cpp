#include "demo/demoserver.h"
#include "mcp/jsonrpc.h"
#include "support/comparejson.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

#include <stdexcept>

using nlohmann::json;
using portcullis::demo::DemoReply;
using portcullis::demo::DemoServer;
using portcullis::demo::DemoServerOptions;

Q_DECLARE_METATYPE(json)

namespace {

json demoTools() {
    QFile file(QStringLiteral(PORTCULLIS_SOURCE_DIR "/resources/demo/demo-tools.json"));
    if (!file.open(QIODevice::ReadOnly))
        return json();
    const QByteArray bytes = file.readAll();
    return json::parse(bytes.begin(), bytes.end(), nullptr, false);
}

DemoServer makeServer(DemoServerOptions options = {}) {
    return DemoServer(demoTools(), std::move(options));
}

json request(const json& id, const char* method, json params = nullptr) {
    return portcullis::mcp::makeRequest(id, method, std::move(params));
}

json callParams(const char* name, json arguments = nullptr) {
    json params{{"name", name}};
    if (!arguments.is_null())
        params["arguments"] = std::move(arguments);
    return params;
}

// Exactly one reply line is expected; anything else makes the returned value null.
json answer(const DemoServer& server, const json& message) {
    const std::vector<std::string> lines = server.handleLine(message.dump());
    if (lines.size() != 1 || lines.front().find('\n') != std::string::npos)
        return json();
    return json::parse(lines.front());
}

std::vector<std::string> names(const json& tools) {
    std::vector<std::string> out;
    for (const json& tool : tools)
        out.push_back(tool["name"].get<std::string>());
    return out;
}

} // namespace

class TestDemoServer final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void demoFileIsAPlainToolsListResult();
    void initializeNegotiatesVersion_data();
    void initializeNegotiatesVersion();
    void silentInputs_data();
    void silentInputs();
    void simpleMethods_data();
    void simpleMethods();
    void listsEveryToolInOnePageByDefault();
    void paginates_data();
    void paginates();
    void rejectsInvalidCursor_data();
    void rejectsInvalidCursor();
    void callGivesDeterministicResult();
    void fakeResultFollowsToolName_data();
    void fakeResultFollowsToolName();
    void unknownToolIsInvalidParams();
    void missingRequiredArgumentIsToolError_data();
    void missingRequiredArgumentIsToolError();
    void malformedCallIsInvalidParams_data();
    void malformedCallIsInvalidParams();
    void malformedLines_data();
    void malformedLines();
    void extraToolsAreOffByDefault();
    void demoSleepAsksForDelay_data();
    void demoSleepAsksForDelay();
    void demoFailIsUpstreamError();
    void cancellationNamesRequest_data();
    void cancellationNamesRequest();
    void constructorRejects_data();
    void constructorRejects();
    void nullSchemaBecomesEmptyObject();
};

void TestDemoServer::demoFileIsAPlainToolsListResult() {
    json file = demoTools();
    QVERIFY(file.is_object());
    QCOMPARE(file.size(), std::size_t(1));
    QCOMPARE(file["tools"].size(), std::size_t(14));
    for (json tool : file["tools"]) {
        for (const auto& [key, value] : tool.items()) {
            QVERIFY2(key == "name" || key == "description" || key == "inputSchema" ||
                         key == "annotations",
                     key.c_str());
        }
        QVERIFY(tool["inputSchema"].is_object());
        COMPARE_JSON(tool["inputSchema"]["type"], json("object"));
    }
    const auto all = names(file["tools"]);
    QCOMPARE(all.front(), std::string("containerize_app"));
    QCOMPARE(all.back(), std::string("esm_msk_policy"));
}

void TestDemoServer::initializeNegotiatesVersion_data() {
    QTest::addColumn<json>("requested");
    QTest::addColumn<QString>("answered");
    QTest::newRow("2025-11-25") << json("2025-11-25") << QStringLiteral("2025-11-25");
    QTest::newRow("2025-06-18") << json("2025-06-18") << QStringLiteral("2025-06-18");
    QTest::newRow("2025-03-26") << json("2025-03-26") << QStringLiteral("2025-03-26");
    QTest::newRow("too old") << json("2024-11-05") << QStringLiteral("2025-11-25");
    QTest::newRow("stateless era") << json("2026-07-28") << QStringLiteral("2025-11-25");
    QTest::newRow("garbage") << json("1.0.0") << QStringLiteral("2025-11-25");
    QTest::newRow("not a string") << json(20251125) << QStringLiteral("2025-11-25");
    QTest::newRow("missing") << json() << QStringLiteral("2025-11-25");
}

void TestDemoServer::initializeNegotiatesVersion() {
    QFETCH(json, requested);
    QFETCH(QString, answered);
    json params{{"capabilities", json::object()},
                {"clientInfo", {{"name", "test"}, {"version", "1"}}}};
    if (!requested.is_null())
        params["protocolVersion"] = requested;
    DemoServerOptions options;
    options.serverVersion = "9.9";
    json reply = answer(makeServer(options), request("init", "initialize", params));
    COMPARE_JSON(reply["id"], json("init"));
    json& result = reply["result"];
    QCOMPARE(QString::fromStdString(result["protocolVersion"].get<std::string>()), answered);
    COMPARE_JSON(result["capabilities"], json::parse(R"({"tools":{"listChanged":true}})"));
    COMPARE_JSON(result["serverInfo"],
                 json::parse(R"({"name":"portcullis-demo","version":"9.9"})"));
}

void TestDemoServer::silentInputs_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("initialized") << QByteArray(
        R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    QTest::newRow("cancelled") << QByteArray(
        R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}})");
    QTest::newRow("unknown notification")
        << QByteArray(R"({"jsonrpc":"2.0","method":"notifications/whatever"})");
    QTest::newRow("a response") << QByteArray(R"({"jsonrpc":"2.0","id":0,"result":{}})");
    QTest::newRow("an error response")
        << QByteArray(R"({"jsonrpc":"2.0","id":0,"error":{"code":-1,"message":"x"}})");
    QTest::newRow("blank") << QByteArray("");
    QTest::newRow("whitespace") << QByteArray(" \t\r");
    QTest::newRow("broken notification")
        << QByteArray(R"({"jsonrpc":"2.0","method":"notifications/x","params":3})");
    QTest::newRow("broken response") << QByteArray(R"({"jsonrpc":"2.0","id":4})");
}

void TestDemoServer::silentInputs() {
    QFETCH(QByteArray, line);
    const DemoServer server = makeServer();
    const DemoReply reply = server.handle(line.toStdString());
    QVERIFY(reply.lines.empty());
    QCOMPARE(int(reply.delay.count()), 0);
}

void TestDemoServer::simpleMethods_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<json>("expected"); // the whole reply minus "jsonrpc" and "id"
    QTest::newRow("ping") << QStringLiteral("ping") << json{{"result", json::object()}};
    QTest::newRow("resources/list")
        << QStringLiteral("resources/list") << json{{"result", {{"resources", json::array()}}}};
    QTest::newRow("prompts/list") << QStringLiteral("prompts/list")
                                  << json{{"result", {{"prompts", json::array()}}}};
    QTest::newRow("unknown method")
        << QStringLiteral("sampling/createMessage")
        << json{{"error",
                 {{"code", -32601}, {"message", "Method not found: sampling/createMessage"}}}};
}

void TestDemoServer::simpleMethods() {
    QFETCH(QString, method);
    QFETCH(json, expected);
    json reply = answer(makeServer(),
                        portcullis::mcp::makeRequest(json("7"), method.toStdString(), nullptr));
    COMPARE_JSON(reply["jsonrpc"], json("2.0"));
    COMPARE_JSON(reply["id"], json("7")); // a string id stays a string
    reply.erase("jsonrpc");
    reply.erase("id");
    COMPARE_JSON(reply, expected);
}

void TestDemoServer::listsEveryToolInOnePageByDefault() {
    json reply = answer(makeServer(), request(1, "tools/list"));
    json& result = reply["result"];
    QVERIFY(!result.contains("nextCursor"));
    COMPARE_JSON(result["tools"], demoTools()["tools"]);
}

void TestDemoServer::paginates_data() {
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<int>("pages");
    QTest::newRow("1") << 1 << 14;
    QTest::newRow("3") << 3 << 5;
    QTest::newRow("7 divides evenly") << 7 << 2;
    QTest::newRow("14 exactly") << 14 << 1;
    QTest::newRow("larger than the list") << 100 << 1;
}

void TestDemoServer::paginates() {
    QFETCH(int, pageSize);
    QFETCH(int, pages);
    DemoServerOptions options;
    options.pageSize = static_cast<std::size_t>(pageSize);
    const DemoServer server = makeServer(options);
    json seen = json::array();
    json cursor;
    int count = 0;
    // Bounded: a server that loops on cursors fails here instead of hanging.
    for (; count < 100; ++count) {
        json params = json::object();
        if (!cursor.is_null())
            params["cursor"] = cursor;
        json reply = answer(server, request(count, "tools/list", params));
        json& result = reply["result"];
        QVERIFY2(result.is_object(), reply.dump().c_str());
        QVERIFY(result["tools"].size() <= static_cast<std::size_t>(pageSize));
        for (const json& tool : result["tools"])
            seen.push_back(tool);
        if (!result.contains("nextCursor"))
            break;
        QVERIFY(result["nextCursor"].is_string());
        cursor = result["nextCursor"];
    }
    QCOMPARE(count + 1, pages);
    COMPARE_JSON(seen, demoTools()["tools"]);
}

void TestDemoServer::rejectsInvalidCursor_data() {
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<json>("cursor");
    QTest::newRow("made up") << 3 << json("bogus");
    QTest::newRow("empty") << 3 << json("");
    QTest::newRow("first page is never a cursor") << 3 << json("o0");
    QTest::newRow("not on a page boundary") << 3 << json("o4");
    QTest::newRow("leading zero") << 3 << json("o03");
    QTest::newRow("past the end") << 3 << json("o15");
    QTest::newRow("trailing junk") << 3 << json("o3x");
    QTest::newRow("negative") << 3 << json("o-3");
    QTest::newRow("number") << 3 << json(3);
    QTest::newRow("object") << 3 << json::object();
    QTest::newRow("no paging, so no cursors") << 0 << json("o3");
}

void TestDemoServer::rejectsInvalidCursor() {
    QFETCH(int, pageSize);
    QFETCH(json, cursor);
    DemoServerOptions options;
    options.pageSize = static_cast<std::size_t>(pageSize);
    json reply = answer(makeServer(options), request(5, "tools/list", json{{"cursor", cursor}}));
    COMPARE_JSON(reply["id"], json(5));
    COMPARE_JSON(reply["error"]["code"], json(-32602));
}

void TestDemoServer::callGivesDeterministicResult() {
    const DemoServer server = makeServer();
    const json arguments{{"user_name", "alice"}, {"policy_arn", "arn:aws:iam::aws:policy/X"}};
    const json message = request(9, "tools/call", callParams("detach_user_policy", arguments));
    json reply = answer(server, message);
    json& result = reply["result"];
    QVERIFY2(result.is_object(), reply.dump().c_str());
    QVERIFY(!result.value("isError", false));

    json& structured = result["structuredContent"];
    COMPARE_JSON(structured["tool"], json("detach_user_policy"));
    COMPARE_JSON(structured["ok"], json(true));
    COMPARE_JSON(structured["arguments"], arguments);
    COMPARE_JSON(structured["result"], DemoServer::fakeResult("detach_user_policy"));

    // The text block carries the same JSON, for clients that only read text.
    QCOMPARE(result["content"].size(), std::size_t(1));
    COMPARE_JSON(result["content"][0]["type"], json("text"));
    COMPARE_JSON(json::parse(result["content"][0]["text"].get<std::string>()), structured);

    // Same input, same bytes: from this instance and from a fresh one.
    QCOMPARE(server.handleLine(message.dump()), server.handleLine(message.dump()));
    QCOMPARE(makeServer().handleLine(message.dump()), server.handleLine(message.dump()));
}

void TestDemoServer::fakeResultFollowsToolName_data() {
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("arnPrefix");
    QTest::addColumn<QString>("status");
    QTest::addColumn<bool>("listing");
    QTest::newRow("detach policy")
        << QStringLiteral("detach_user_policy") << QStringLiteral("arn:aws:iam::")
        << QStringLiteral("DETACHED") << false;
    QTest::newRow("put policy") << QStringLiteral("put_user_policy")
                                << QStringLiteral("arn:aws:iam::") << QStringLiteral("UPDATED")
                                << false;
    QTest::newRow("delete app") << QStringLiteral("delete_app")
                                << QStringLiteral("arn:aws:ecs:us-east-1:")
                                << QStringLiteral("DELETED") << false;
    QTest::newRow("build image") << QStringLiteral("build_and_push_image_to_ecr")
                                 << QStringLiteral("arn:aws:ecr:us-east-1:")
                                 << QStringLiteral("BUILT") << false;
    QTest::newRow("wait") << QStringLiteral("wait_for_service_ready")
                          << QStringLiteral("arn:aws:ecs:us-east-1:") << QStringLiteral("READY")
                          << false;
    QTest::newRow("search docs") << QStringLiteral("aws_knowledge_aws___search_documentation")
                                 << QStringLiteral("arn:aws:docs:us-east-1:")
                                 << QStringLiteral("SUCCEEDED") << true;
    QTest::newRow("list clusters")
        << QStringLiteral("list_clusters") << QStringLiteral("arn:aws:ecs:us-east-1:")
        << QStringLiteral("SUCCEEDED") << true;
    QTest::newRow("unknown words")
        << QStringLiteral("frobnicate") << QStringLiteral("arn:aws:demo:us-east-1:")
        << QStringLiteral("SUCCEEDED") << false;
}

void TestDemoServer::fakeResultFollowsToolName() {
    QFETCH(QString, tool);
    QFETCH(QString, arnPrefix);
    QFETCH(QString, status);
    QFETCH(bool, listing);
    json fake = DemoServer::fakeResult(tool.toStdString());
    COMPARE_JSON(fake, DemoServer::fakeResult(tool.toStdString()));
    const QString arn = QString::fromStdString(fake["arn"].get<std::string>());
    QVERIFY2(arn.startsWith(arnPrefix), qPrintable(arn));
    const std::string account = fake["account"].get<std::string>();
    QCOMPARE(account.size(), std::size_t(12));
    QVERIFY(arn.contains(QString::fromStdString(account)));
    QCOMPARE(QString::fromStdString(fake["status"].get<std::string>()), status);
    QCOMPARE(fake["requestId"].get<std::string>().size(), std::size_t(36));
    QCOMPARE(fake.contains("items"), listing);
    if (listing) {
        QVERIFY(fake["items"].size() >= 2 && fake["items"].size() <= 4);
        for (const json& item : fake["items"])
            QVERIFY(QString::fromStdString(item["arn"].get<std::string>()).startsWith(arnPrefix));
    }
    QVERIFY(fake != DemoServer::fakeResult(tool.toStdString() + "2"));
}

void TestDemoServer::unknownToolIsInvalidParams() {
    json reply =
        answer(makeServer(), request(3, "tools/call", callParams("no_such_tool", json::object())));
    COMPARE_JSON(reply["id"], json(3));
    COMPARE_JSON(reply["error"],
                 json::parse(R"({"code":-32602,"message":"Unknown tool: no_such_tool"})"));
}

void TestDemoServer::missingRequiredArgumentIsToolError_data() {
    QTest::addColumn<QString>("tool");
    QTest::addColumn<json>("arguments");
    QTest::addColumn<QString>("text"); // empty: the call succeeds
    QTest::newRow("none given") << QStringLiteral("detach_user_policy") << json::object()
                                << QStringLiteral("Missing required arguments for "
                                                  "detach_user_policy: user_name, policy_arn");
    QTest::newRow("arguments omitted")
        << QStringLiteral("esm_msk_policy") << json()
        << QStringLiteral("Missing required arguments for esm_msk_policy: region, account, "
                          "cluster_name");
    QTest::newRow("one missing") << QStringLiteral("detach_user_policy")
                                 << json{{"user_name", "alice"}}
                                 << QStringLiteral("Missing required argument for "
                                                   "detach_user_policy: policy_arn");
    QTest::newRow("null counts as given")
        << QStringLiteral("detach_user_policy")
        << json{{"user_name", nullptr}, {"policy_arn", nullptr}} << QString();
    QTest::newRow("nothing required")
        << QStringLiteral("ecs_troubleshooting_tool") << json::object() << QString();
    QTest::newRow("proxied tool without schema")
        << QStringLiteral("aws_knowledge_aws___recommend") << json() << QString();
}

void TestDemoServer::missingRequiredArgumentIsToolError() {
    QFETCH(QString, tool);
    QFETCH(json, arguments);
    QFETCH(QString, text);
    const std::string name = tool.toStdString();
    json reply =
        answer(makeServer(), request(1, "tools/call", callParams(name.c_str(), arguments)));
    json& result = reply["result"];
    QVERIFY2(result.is_object(), reply.dump().c_str());
    if (text.isEmpty()) {
        QVERIFY(!result.value("isError", false));
        COMPARE_JSON(result["structuredContent"]["arguments"],
                     arguments.is_null() ? json::object() : arguments);
        return;
    }
    COMPARE_JSON(result["isError"], json(true));
    QVERIFY(!result.contains("structuredContent"));
    COMPARE_JSON(result["content"][0]["type"], json("text"));
    QCOMPARE(QString::fromStdString(result["content"][0]["text"].get<std::string>()), text);
}

void TestDemoServer::malformedCallIsInvalidParams_data() {
    QTest::addColumn<json>("params");
    QTest::newRow("no params") << json();
    QTest::newRow("params array") << json::array({"delete_app"});
    QTest::newRow("no name") << json{{"arguments", json::object()}};
    QTest::newRow("name not a string") << json{{"name", 5}};
    QTest::newRow("arguments not an object")
        << json{{"name", "delete_app"}, {"arguments", json::array()}};
    QTest::newRow("arguments a string") << json{{"name", "delete_app"}, {"arguments", "x"}};
}

void TestDemoServer::malformedCallIsInvalidParams() {
    QFETCH(json, params);
    json reply = answer(makeServer(), request(2, "tools/call", params));
    COMPARE_JSON(reply["id"], json(2));
    COMPARE_JSON(reply["error"]["code"], json(-32602));
}

void TestDemoServer::malformedLines_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("code");
    QTest::addColumn<json>("id");
    QTest::newRow("not json") << QByteArray(R"({"jsonrpc":"2.0",)") << -32700 << json();
    QTest::newRow("batch") << QByteArray(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])") << -32600
                           << json();
    QTest::newRow("wrong version")
        << QByteArray(R"({"jsonrpc":"1.0","id":3,"method":"ping"})") << -32600 << json(3);
    QTest::newRow("null id") << QByteArray(R"({"jsonrpc":"2.0","id":null,"method":"ping"})")
                             << -32600 << json();
    QTest::newRow("params scalar")
        << QByteArray(R"({"jsonrpc":"2.0","id":"s","method":"ping","params":3})") << -32600
        << json("s");
    QTest::newRow("initialize without params")
        << QByteArray(R"({"jsonrpc":"2.0","id":8,"method":"initialize"})") << -32602 << json(8);
}

void TestDemoServer::malformedLines() {
    QFETCH(QByteArray, line);
    QFETCH(int, code);
    QFETCH(json, id);
    const DemoServer server = makeServer();
    const std::vector<std::string> lines = server.handleLine(line.toStdString());
    QCOMPARE(lines.size(), std::size_t(1));
    json reply = json::parse(lines.front());
    COMPARE_JSON(reply["jsonrpc"], json("2.0"));
    COMPARE_JSON(reply["id"], id);
    COMPARE_JSON(reply["error"]["code"], json(code));
    QVERIFY(reply["error"]["message"].is_string());
}

void TestDemoServer::extraToolsAreOffByDefault() {
    const DemoServer plain = makeServer();
    json list = answer(plain, request(1, "tools/list"));
    QCOMPARE(list["result"]["tools"].size(), std::size_t(14));
    json sleep = answer(plain, request(2, "tools/call", callParams("demo_sleep")));
    COMPARE_JSON(sleep["error"]["message"], json("Unknown tool: demo_sleep"));

    DemoServerOptions options;
    options.extraTools = true;
    json extended = answer(makeServer(options), request(1, "tools/list"));
    const auto all = names(extended["result"]["tools"]);
    QCOMPARE(all.size(), std::size_t(16));
    QCOMPARE(all.at(14), std::string("demo_sleep"));
    QCOMPARE(all.at(15), std::string("demo_fail"));
}

void TestDemoServer::demoSleepAsksForDelay_data() {
    QTest::addColumn<json>("ms");
    QTest::addColumn<int>("delay"); // -1: refused with an isError result
    QTest::newRow("250") << json(250) << 250;
    QTest::newRow("zero") << json(0) << 0;
    QTest::newRow("maximum") << json(60000) << 60000;
    QTest::newRow("too long") << json(60001) << -1;
    QTest::newRow("negative") << json(-1) << -1;
    QTest::newRow("fraction") << json(1.5) << -1;
    QTest::newRow("string") << json("100") << -1;
}

void TestDemoServer::demoSleepAsksForDelay() {
    QFETCH(json, ms);
    QFETCH(int, delay);
    DemoServerOptions options;
    options.extraTools = true;
    const DemoServer server = makeServer(options);
    const json message = request("s1", "tools/call", callParams("demo_sleep", json{{"ms", ms}}));
    const DemoReply reply = server.handle(message.dump());
    COMPARE_JSON(reply.requestId, json("s1"));
    QCOMPARE(reply.lines.size(), std::size_t(1));
    json result = json::parse(reply.lines.front())["result"];
    if (delay < 0) {
        QCOMPARE(int(reply.delay.count()), 0);
        COMPARE_JSON(result["isError"], json(true));
        return;
    }
    QCOMPARE(int(reply.delay.count()), delay);
    const json expected{{"sleptMs", delay}};
    COMPARE_JSON(result["structuredContent"]["result"], expected);
}

void TestDemoServer::demoFailIsUpstreamError() {
    DemoServerOptions options;
    options.extraTools = true;
    const DemoServer server = makeServer(options);
    json plain = answer(server, request(1, "tools/call", callParams("demo_fail")));
    COMPARE_JSON(plain["error"]["code"], json(-32000));
    COMPARE_JSON(plain["error"]["message"], json("demo_fail: simulated upstream failure"));
    json custom = answer(
        server, request(2, "tools/call", callParams("demo_fail", json{{"message", "boom"}})));
    COMPARE_JSON(custom["error"], json::parse(R"({"code":-32000,"message":"boom"})"));
}

void TestDemoServer::cancellationNamesRequest_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<json>("requestId");
    QTest::newRow("integer id")
        << QByteArray(
               R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5}})")
        << json(5);
    QTest::newRow("string id stays a string")
        << QByteArray(
               R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"5","reason":"x"}})")
        << json("5");
    QTest::newRow("no id")
        << QByteArray(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{}})")
        << json();
    QTest::newRow("no params") << QByteArray(
                                      R"({"jsonrpc":"2.0","method":"notifications/cancelled"})")
                               << json();
    QTest::newRow("float id")
        << QByteArray(
               R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1.5}})")
        << json();
}

void TestDemoServer::cancellationNamesRequest() {
    QFETCH(QByteArray, line);
    QFETCH(json, requestId);
    const DemoReply reply = makeServer().handle(line.toStdString());
    QVERIFY(reply.lines.empty());
    COMPARE_JSON(reply.cancelledRequestId, requestId);
}

void TestDemoServer::constructorRejects_data() {
    QTest::addColumn<json>("input");
    QTest::addColumn<bool>("extraTools");
    QTest::newRow("array") << json::array() << false;
    QTest::newRow("no tools") << json::object() << false;
    QTest::newRow("tools not an array") << json{{"tools", json::object()}} << false;
    QTest::newRow("tool not an object") << json{{"tools", {"x"}}} << false;
    QTest::newRow("no name") << json::parse(R"({"tools":[{"description":"d"}]})") << false;
    QTest::newRow("empty name") << json::parse(R"({"tools":[{"name":""}]})") << false;
    QTest::newRow("duplicate") << json::parse(R"({"tools":[{"name":"a"},{"name":"a"}]})") << false;
    QTest::newRow("clashes with an extra tool")
        << json::parse(R"({"tools":[{"name":"demo_fail"}]})") << true;
}

void TestDemoServer::constructorRejects() {
    QFETCH(json, input);
    QFETCH(bool, extraTools);
    DemoServerOptions options;
    options.extraTools = extraTools;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, DemoServer(input, options));
}

void TestDemoServer::nullSchemaBecomesEmptyObject() {
    const DemoServer server(
        json::parse(R"({"tools":[{"name":"a","inputSchema":null},{"name":"b"}]})"));
    json reply = answer(server, request(1, "tools/list"));
    const json empty = json::parse(R"({"type":"object","properties":{}})");
    COMPARE_JSON(reply["result"]["tools"][0]["inputSchema"], empty);
    COMPARE_JSON(reply["result"]["tools"][1]["inputSchema"], empty);
}

QTEST_GUILESS_MAIN(TestDemoServer)
#include "test_demoserver.moc"
