// documentOfValidJson builds what nlohmann's parser builds: equal values of equal types.
#include "support/samejsontypes.h"
#include "util/jsondocument.h"
#include "util/jsonvalidation.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <string>

using nlohmann::json;
using portcullis::documentOfValidJson;

class TestJsonDocument : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesTheParser_data();
    void matchesTheParser();
    void refusesANumberNoDoubleHolds();
};

void TestJsonDocument::matchesTheParser_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("request") << QByteArray(
        R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x",)"
        R"("arguments":{"app_name":"b","n":-3,"ok":true,"none":null}}})");
    QTest::newRow("scalars at the top") << QByteArray("  42 ");
    QTest::newRow("negative zero") << QByteArray("[-0, 0, -0.0, 0.0]");
    QTest::newRow("integer limits")
        << QByteArray("[9223372036854775807, 9223372036854775808, 18446744073709551615, "
                      "18446744073709551616, -9223372036854775808, -9223372036854775809]");
    QTest::newRow("floats") << QByteArray("[1.5, -2.25e-3, 1E2, 1e+2, 0.1, 1e-400, 123456789.125]");
    QTest::newRow("escapes") << QByteArray(
        R"(["\"\\\/\b\f\n\r\t", "\u0000x", "\u00e9\u20AC", "\uD83D\uDE00!"])");
    QTest::newRow("raw UTF-8") << QByteArray("[\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"]");
    QTest::newRow("repeated key") << QByteArray(R"({"a":1,"b":[1],"a":{"c":2},"b":"x"})");
    QTest::newRow("escaped key") << QByteArray(R"({"\u0069d":1,"id":2})");
    QTest::newRow("empty containers") << QByteArray(R"({"o":{},"a":[],"n":[[],[{}]]})");
    QTest::newRow("containers in arrays")
        << QByteArray(R"([[1,[2,[3]]],{"a":[{"b":[]},{"c":{"d":[4,5]}}]},6,[7,{"e":8}],9])");
    QTest::newRow("byte order mark and spaces")
        << QByteArray("\xEF\xBB\xBF \r\n\t{ \"a\" : [ 1 , \"b\" ] } \n");
    QTest::newRow("long string") << QByteArray("\"" + QByteArray(5000, 'x') + "\\n" +
                                               QByteArray(37, 'y') + "\"");
}

void TestJsonDocument::matchesTheParser() {
    QFETCH(QByteArray, text);
    const std::string_view view(text.constData(), static_cast<std::size_t>(text.size()));
    QVERIFY(portcullis::isValidJson(view, 64));
    const auto built = documentOfValidJson(view);
    QVERIFY(built.has_value());
    const json parsed = json::parse(view);
    QVERIFY(*built == parsed);
    QVERIFY(sameJsonTypes(*built, parsed));
    QCOMPARE(QString::fromStdString(built->dump()), QString::fromStdString(parsed.dump()));
}

void TestJsonDocument::refusesANumberNoDoubleHolds() {
    QVERIFY(!documentOfValidJson(R"({"a":[1,2,1e400]})"));
    QVERIFY(!documentOfValidJson("-" + std::string(400, '9')));
}

QTEST_GUILESS_MAIN(TestJsonDocument)
#include "test_jsondocument.moc"
