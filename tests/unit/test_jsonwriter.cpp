// appendCompactJson writes exactly what nlohmann's dump (compact, invalid UTF-8 replaced) writes,
// for every kind of value, the fast paths and the ones left to nlohmann alike.
#include "util/jsonwriter.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>

using nlohmann::json;

class TestJsonWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesNlohmann();
    void appendsToWhatIsThere();
};

namespace {

std::string written(const json& value) {
    std::string out;
    portcullis::appendCompactJson(out, value);
    return out;
}

std::string dumped(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

void TestJsonWriter::matchesNlohmann() {
    const std::vector<json> values{
        nullptr,
        true,
        false,
        0,
        -1,
        std::numeric_limits<std::int64_t>::min(),
        std::numeric_limits<std::int64_t>::max(),
        std::numeric_limits<std::uint64_t>::max(),
        1.5,
        -0.0,
        1e300,
        0.1,
        std::numeric_limits<double>::quiet_NaN(),
        std::numeric_limits<double>::infinity(),
        "",
        "plain ascii with spaces and {brackets} and DEL \x7f",
        "quote \" backslash \\ slash /",
        "controls \b\f\n\r\t \x01 \x1f",
        "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
        "invalid \xFF utf-8 \xC3",
        json::object(),
        json::array(),
        json::parse(R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x",
            "arguments":{"n":[1,2.25,-3,{"deep":[[],{}]}],"s":"a\"b","u":"\u00e9"}}})"),
        json{{"key \"quoted\"", 1}, {"k\xC3\xA9y", {nullptr, false}}},
        json::binary({1, 2, 3}, 7),
    };
    for (const json& value : values)
        QCOMPARE(QString::fromStdString(written(value)), QString::fromStdString(dumped(value)));
}

void TestJsonWriter::appendsToWhatIsThere() {
    std::string out = "data: ";
    portcullis::appendCompactJson(out, json{{"a", 1}});
    QCOMPARE(QString::fromStdString(out), QStringLiteral(R"(data: {"a":1})"));
}

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "test_jsonwriter.moc"
