// isValidJson: the grammar, UTF-8 and nesting, each case also put to nlohmann's parser, which
// it must agree with (but for numbers a double cannot hold, and NUL bytes); the members it
// reports on the way.
#include "util/jsonbytes.h"
#include "util/jsonvalidation.h"

#include <QStringList>
#include <QTest>

#include <nlohmann/json.hpp>

#include <string>

using portcullis::isValidJson;

class TestJsonValidation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void agreesWithTheParser_data();
    void agreesWithTheParser();
    void limitsNesting();
    void acceptsNumbersTooLargeForADouble();
    void agreesOnEveryTruncation();
    void refusesANulByteWhereTheParserStops();
    void reportsMembersAsWritten();
    void findsTheFirstByteThatIsNotPlain();
};

namespace {

std::string_view view(const QByteArray& bytes) {
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

void addRow(const char* name, const QByteArray& text, bool valid) {
    QTest::newRow(name) << text << valid;
}

} // namespace

void TestJsonValidation::agreesWithTheParser_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    addRow("object", R"({"jsonrpc":"2.0","id":1,"result":{"content":[]}})", true);
    addRow("scalars at the top", "  true ", true);
    addRow("string at the top", R"("x")", true);
    addRow("null", "null", true);
    addRow("false", "false", true);
    addRow("empty containers", R"({"a":[],"b":{},"c":[[]]})", true);
    addRow("spaces everywhere", " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : null } \n", true);
    addRow("byte order mark", "\xEF\xBB\xBF{}", true);
    addRow("byte order mark after a space", " \xEF\xBB\xBF{}", false);
    addRow("half a byte order mark", "\xEF\xBB{}", false);
    addRow("empty", "", false);
    addRow("only spaces", "   ", false);
    addRow("two values", "{} {}", false);
    addRow("trailing comma in object", R"({"a":1,})", false);
    addRow("trailing comma in array", "[1,]", false);
    addRow("leading comma", "[,1]", false);
    addRow("missing colon", R"({"a" 1})", false);
    addRow("key not a string", "{1:2}", false);
    addRow("unquoted key", "{a:1}", false);
    addRow("mismatched close", R"({"a":[1}])", false);
    addRow("unclosed object", R"({"a":1)", false);
    addRow("unclosed array", "[1,2", false);
    addRow("close without open", "]", false);
    addRow("numbers", "[0,-0,1,-12,3.25,1e5,1E+5,2.5e-3,-0.0e0]", true);
    addRow("leading zero", "01", false);
    addRow("leading zero negative", "-01", false);
    addRow("plus sign", "+1", false);
    addRow("bare minus", "-", false);
    addRow("dot without digits after", "1.", false);
    addRow("dot without digits before", ".5", false);
    addRow("exponent without digits", "1e", false);
    addRow("exponent sign only", "1e+", false);
    addRow("hex", "0x10", false);
    addRow("NaN", "NaN", false);
    addRow("literal cut short", "tru", false);
    addRow("literal with more", "nulls", false);
    addRow("capitalised literal", "True", false);
    addRow("escapes", R"(["\"\\\/\b\f\n\r\t\u0000\u00e9\uFFFF"])", true);
    addRow("unknown escape", R"(["\x41"])", false);
    addRow("short unicode escape", R"(["\u12"])", false);
    addRow("bad hex digit", R"(["\u12G4"])", false);
    addRow("surrogate pair", R"(["\uD83D\uDE00"])", true);
    addRow("lone high surrogate", R"(["\uD83D"])", false);
    addRow("high surrogate then text", R"(["\uD83Dx"])", false);
    addRow("high surrogate then a second high", R"(["\uD83D\uD83D"])", false);
    addRow("lone low surrogate", R"(["\uDE00"])", false);
    addRow("raw tab in a string", "[\"a\tb\"]", false);
    addRow("raw newline in a string", "[\"a\nb\"]", false);
    addRow("DEL in a string", "[\"a\x7F\"]", true);
    addRow("NUL byte in a string", QByteArray("[\"a\0\"]", 6), false);
    addRow("unterminated string", R"(["abc)", false);
    addRow("backslash at the end", "[\"abc\\", false);
    addRow("two-byte character", "[\"\xC3\xA9\"]", true);
    addRow("three-byte character", "[\"\xE2\x82\xAC\"]", true);
    addRow("four-byte character", "[\"\xF0\x9F\x98\x80\"]", true);
    addRow("highest code point", "[\"\xF4\x8F\xBF\xBF\"]", true);
    addRow("above U+10FFFF", "[\"\xF4\x90\x80\x80\"]", false);
    addRow("overlong two-byte", "[\"\xC0\xAF\"]", false);
    addRow("overlong three-byte", "[\"\xE0\x80\xAF\"]", false);
    addRow("overlong four-byte", "[\"\xF0\x80\x80\xAF\"]", false);
    addRow("encoded surrogate", "[\"\xED\xA0\x80\"]", false);
    addRow("lone continuation byte", "[\"\x80\"]", false);
    addRow("truncated sequence", "[\"\xE2\x82\"]", false);
    addRow("invalid lead byte", "[\"\xFF\"]", false);
    addRow("UTF-8 outside a string", "[1,\xC3\xA9]", false);
    addRow("comment", "[1] // no", false);
}

void TestJsonValidation::agreesWithTheParser() {
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QCOMPARE(isValidJson(view(text), 64), valid);
    QCOMPARE(nlohmann::json::accept(view(text)), valid);
}

void TestJsonValidation::limitsNesting() {
    const auto nested = [](int depth) {
        return std::string(static_cast<std::size_t>(depth), '[') +
               std::string(static_cast<std::size_t>(depth), ']');
    };
    QVERIFY(isValidJson(nested(64), 64));
    QVERIFY(!isValidJson(nested(65), 64));
    QVERIFY(isValidJson("[{\"a\":[{}]}]", 4));
    QVERIFY(!isValidJson("[{\"a\":[{}]}]", 3));
    QVERIFY(isValidJson("1", 0));
    QVERIFY(!isValidJson("[]", 0));
    // Beyond the fixed buffer the validator keeps its own stack; 100 000 levels stay cheap.
    QVERIFY(isValidJson(nested(300), 1000));
    QVERIFY(!isValidJson(nested(100'000), 64));
    QVERIFY(isValidJson(nested(100'000), 100'000));
    std::string mixed;
    for (int i = 0; i < 200; ++i)
        mixed += i % 2 ? "[" : "{\"k\":";
    std::string closing;
    for (int i = 199; i >= 0; --i)
        closing += i % 2 ? "]" : "}";
    QVERIFY(isValidJson(mixed + "1" + closing, 200));
    QVERIFY(!isValidJson(mixed + "1" + closing, 199));
    std::string swapped = closing;
    std::swap(swapped[0], swapped[1]); // "}]" where "]}" belongs
    QVERIFY(!isValidJson(mixed + "1" + swapped, 1000));
}

void TestJsonValidation::acceptsNumbersTooLargeForADouble() {
    // Valid JSON that nlohmann refuses for want of a place to store it (its one difference).
    QVERIFY(isValidJson("[1e400]", 64));
    QVERIFY(isValidJson("1" + std::string(400, '0'), 64));
    QVERIFY(!nlohmann::json::accept("[1e400]"));
}

void TestJsonValidation::agreesOnEveryTruncation() {
    const std::string whole =
        R"({"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"caf\u00e9 )"
        "\xE2\x82\xAC"
        R"("}],"isError":false,"n":-1.5e3}})";
    QVERIFY(isValidJson(whole, 64));
    for (std::size_t n = 0; n < whole.size(); ++n) {
        const std::string_view prefix(whole.data(), n);
        QVERIFY2(isValidJson(prefix, 64) == nlohmann::json::accept(prefix),
                 std::string(prefix).c_str());
    }
}

void TestJsonValidation::refusesANulByteWhereTheParserStops() {
    // nlohmann reads a NUL outside a string as the end of the text; JSON has no NUL there.
    const std::string text("[1]\0[2]", 7);
    QVERIFY(!isValidJson(text, 64));
    QVERIFY(nlohmann::json::accept(text));
    QVERIFY(!isValidJson(std::string("[1,\0 2]", 7), 64));
}

void TestJsonValidation::reportsMembersAsWritten() {
    const std::string text =
        R"( {"id":1, "result":{"id":[2,{"deep":0}],"isError":true}, "\u0069d":"x" , "e":{}} )";
    QStringList seen;
    const bool valid = isValidJson(text, 64, 2, [&](const portcullis::JsonMember& m) {
        seen << QStringLiteral("%1 %2 %3")
                    .arg(m.depth)
                    .arg(QString::fromUtf8(m.keyToken.data(),
                                           static_cast<qsizetype>(m.keyToken.size())))
                    .arg(QString::fromStdString(
                        text.substr(m.valueBegin, m.valueEnd - m.valueBegin)));
    });
    QVERIFY(valid);
    // In the order each value ends; members of arrays and of deeper objects are not reported.
    QCOMPARE(seen, (QStringList{
                       QStringLiteral(R"(1 "id" 1)"),
                       QStringLiteral(R"(2 "id" [2,{"deep":0}])"),
                       QStringLiteral(R"(2 "isError" true)"),
                       QStringLiteral(R"(1 "result" {"id":[2,{"deep":0}],"isError":true})"),
                       QStringLiteral(R"(1 "\u0069d" "x")"),
                       QStringLiteral(R"(1 "e" {})"),
                   }));
    seen.clear();
    QVERIFY(isValidJson(
        text, 64, 1, [&](const portcullis::JsonMember& m) { seen << QString::number(m.depth); }));
    QCOMPARE(seen.size(), 4);
    QVERIFY(!seen.contains(QStringLiteral("2")));
}

void TestJsonValidation::findsTheFirstByteThatIsNotPlain() {
    // Eight bytes are tested at once; the answer must not depend on where in a block, or after
    // which other byte, the first one that is not plain stands.
    const std::string stoppers{'"', '\\', '\0', '\x01', '\x1f', '\x80', '\xC3', '\xFF'};
    for (const char stop : stoppers) {
        for (std::size_t at = 0; at < 20; ++at) {
            for (const char after : std::string{'a', '"', '\x00', '\x20', '\x21', '\x7f'}) {
                std::string text(24, ' ');
                text[at] = stop;
                text[at + 1] = after;
                QCOMPARE(portcullis::jsonbytes::plainPrefix(text.data(), text.size()), at);
            }
        }
    }
    const std::string plain = "all printable ASCII, DEL \x7f and ~ included";
    QCOMPARE(portcullis::jsonbytes::plainPrefix(plain.data(), plain.size()), plain.size());
}

QTEST_GUILESS_MAIN(TestJsonValidation)
#include "test_jsonvalidation.moc"
