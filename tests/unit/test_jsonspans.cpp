#include "util/jsonspans.h"

#include <QTest>

using namespace portcullis;

namespace {
QStringList asList(const std::vector<std::string_view>& spans) {
    QStringList out;
    for (std::string_view s : spans)
        out << QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
    return out;
}
} // namespace

class TestJsonSpans final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void elementsKeepTheirBytes();
    void pathFollowsTheLastDuplicateKey();
    void missingPathsGiveNothing_data();
    void missingPathsGiveNothing();
    void memberValueFindsEscapedKeys();
    void minifyKeepsStrings();
};

void TestJsonSpans::elementsKeepTheirBytes() {
    const std::string_view text = R"( { "result" : { "tools" : [ {"z":1,"a":1.50},
        {"name":"b\u00e9 ]}","s":"[{"} , 7 , "x" ] } } )";
    const auto spans = jsonspans::arrayElements(text, {"result", "tools"});
    QVERIFY(spans);
    QCOMPARE(asList(*spans), (QStringList{QStringLiteral(R"({"z":1,"a":1.50})"),
                                          QStringLiteral(R"({"name":"b\u00e9 ]}","s":"[{"})"),
                                          QStringLiteral("7"), QStringLiteral(R"("x")")}));
}

void TestJsonSpans::pathFollowsTheLastDuplicateKey() {
    // A DOM keeps the last of two equal keys; the spans must describe the same array.
    const auto spans = jsonspans::arrayElements(R"({"tools":[1],"tools":[2,3]})", {"tools"});
    QVERIFY(spans);
    QCOMPARE(asList(*spans), (QStringList{QStringLiteral("2"), QStringLiteral("3")}));
    const auto empty = jsonspans::arrayElements(R"({"tools":[ ]})", {"tools"});
    QVERIFY(empty && empty->empty());
}

void TestJsonSpans::missingPathsGiveNothing_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("no such key") << R"({"result":{}})";
    QTest::newRow("not an array") << R"({"result":{"tools":{}}})";
    QTest::newRow("not an object") << R"({"result":[{"tools":[]}]})";
    QTest::newRow("top level array") << R"([{"result":{"tools":[]}}])";
}

void TestJsonSpans::missingPathsGiveNothing() {
    QFETCH(QString, text);
    const std::string utf8 = text.toStdString();
    QVERIFY(!jsonspans::arrayElements(utf8, {"result", "tools"}));
}

void TestJsonSpans::memberValueFindsEscapedKeys() {
    const std::string text = R"({"description":"has \"name\": inside","na\u006de" : "tool" })";
    const auto span = jsonspans::memberValue(text, "name");
    QVERIFY(span);
    QCOMPARE(QString::fromStdString(text.substr(span->begin, span->end - span->begin)),
             QStringLiteral(R"("tool")"));
    QVERIFY(!jsonspans::memberValue(text, "title"));
}

void TestJsonSpans::minifyKeepsStrings() {
    QCOMPARE(QString::fromStdString(jsonspans::minify("{ \"a b\" :\n [ 1 ,\t\"x \\\" y\" ] }")),
             QStringLiteral(R"({"a b":[1,"x \" y"]})"));
}

QTEST_GUILESS_MAIN(TestJsonSpans)
#include "test_jsonspans.moc"
