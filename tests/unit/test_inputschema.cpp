#include "mcp/inputschema.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <initializer_list>
#include <string>

using namespace portcullis;
using json = nlohmann::json;

namespace {

// Hostile schemas must be answered at once; a generous bound that a runaway check would miss
// by orders of magnitude, even in a Debug build on a busy machine.
constexpr qint64 kPromptMs = 3'000;

// Expected problems are written "path|substring", or "path|=whole message" where the exact
// wording matters (for instance to show that something was left out of it).
QString mismatch(const std::vector<SchemaProblem>& problems, const QStringList& expected) {
    const QString all = QString::fromStdString(describe(problems));
    if (problems.size() != static_cast<std::size_t>(expected.size()))
        return QStringLiteral("expected %1 problem(s), got %2:\n%3")
            .arg(expected.size())
            .arg(problems.size())
            .arg(all);
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const qsizetype bar = expected[i].indexOf(QLatin1Char('|'));
        const QString path = expected[i].left(bar);
        const QString wanted = expected[i].mid(bar + 1);
        const QString gotPath = QString::fromStdString(problems[static_cast<std::size_t>(i)].path);
        const QString got = QString::fromStdString(problems[static_cast<std::size_t>(i)].message);
        const bool exact = wanted.startsWith(QLatin1Char('='));
        const bool messageFits = exact ? got == wanted.mid(1) : got.contains(wanted);
        if (gotPath != path || !messageFits)
            return QStringLiteral("problem %1: expected \"%2\", got:\n%3")
                .arg(i)
                .arg(expected[i], all);
    }
    return {};
}

void row(const char* name, const char* schema, const char* arguments,
         std::initializer_list<const char*> expected = {}) {
    QStringList list;
    for (const char* e : expected)
        list << QString::fromUtf8(e);
    QTest::newRow(name) << QString::fromUtf8(schema) << QString::fromUtf8(arguments) << list;
}

void columns() {
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("arguments");
    QTest::addColumn<QStringList>("expected");
}

QString checkRow() {
    QFETCH(QString, schema);
    QFETCH(QString, arguments);
    QFETCH(QStringList, expected);
    const auto problems =
        checkArguments(json::parse(schema.toStdString()), json::parse(arguments.toStdString()));
    return mismatch(problems, expected);
}

json fixtureTool(const QString& file, const QString& tool) {
    QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/fixtures/") + file);
    if (!f.open(QIODevice::ReadOnly))
        return nullptr;
    const json all = json::parse(f.readAll().toStdString());
    for (const json& t : all.at("tools")) {
        if (t.at("name") == tool.toStdString())
            return t;
    }
    return nullptr;
}

// allOf wrapped `levels` times around `inner`, built by a loop so that neither the parser's
// nor our own recursion is involved in making it.
json nestedAllOf(json inner, int levels) {
    for (int i = 0; i < levels; ++i) {
        json branches = json::array();
        branches.push_back(std::move(inner));
        inner = json::object();
        inner["allOf"] = std::move(branches);
    }
    return inner;
}

} // namespace

class TestInputSchema final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void types_data();
    void types() {
        const QString m = checkRow();
        QVERIFY2(m.isEmpty(), qPrintable(m));
    }
    void objects_data();
    void objects() {
        const QString m = checkRow();
        QVERIFY2(m.isEmpty(), qPrintable(m));
    }
    void values_data();
    void values() {
        const QString m = checkRow();
        QVERIFY2(m.isEmpty(), qPrintable(m));
    }
    void numbers_data();
    void numbers() {
        const QString m = checkRow();
        QVERIFY2(m.isEmpty(), qPrintable(m));
    }
    void strings_data();
    void strings() {
        const QString m = checkRow();
        QVERIFY2(m.isEmpty(), qPrintable(m));
    }
    void arrays_data();
    void arrays() {
        const QString m = checkRow();
        QVERIFY2(m.isEmpty(), qPrintable(m));
    }
    void combinations_data();
    void combinations() {
        const QString m = checkRow();
        QVERIFY2(m.isEmpty(), qPrintable(m));
    }
    void references_data();
    void references() {
        const QString m = checkRow();
        QVERIFY2(m.isEmpty(), qPrintable(m));
    }
    void schemaShapes_data();
    void schemaShapes() {
        const QString m = checkRow();
        QVERIFY2(m.isEmpty(), qPrintable(m));
    }

    void realTools_data();
    void realTools();
    void refCycles_data();
    void refCycles();
    void deepAllOfStopsAtTheLimit();
    void depthLimitIsExact();
    void deepArgumentsUnderARecursiveSchema();
    void exponentialSchemaIsCutShort();
    void problemsAreCapped();
    void describeWritesOneLineEach();
};

void TestInputSchema::types_data() {
    columns();
    row("string fits", R"({"type":"string"})", R"("x")");
    row("string refuses number", R"({"type":"string"})", "5",
        {"|=expected a string, got a number"});
    row("list fits null", R"({"type":["string","null"]})", "null");
    row("list refuses boolean", R"({"type":["string","null"]})", "true",
        {"|=expected a string or null, got a boolean"});
    row("three kinds", R"({"type":["string","number","boolean"]})", "{}",
        {"|=expected a string, a number or a boolean, got an object"});
    row("integer takes 3.0", R"({"type":"integer"})", "3.0");
    row("integer takes a large unsigned", R"({"type":"integer"})", "18446744073709551615");
    row("integer refuses 2.5", R"({"type":"integer"})", "2.5",
        {"|=expected an integer, got a fractional number"});
    row("number takes an integer", R"({"type":"number"})", "7");
    row("number refuses a string", R"({"type":"number"})", R"("7")",
        {"|=expected a number, got a string"});
    row("object refuses array", R"({"type":"object"})", "[]",
        {"|=expected an object, got an array"});
    row("array refuses object", R"({"type":"array"})", "{}",
        {"|=expected an array, got an object"});
    row("boolean refuses null", R"({"type":"boolean"})", "null",
        {"|=expected a boolean, got null"});
    row("null refuses zero", R"({"type":"null"})", "0", {"|=expected null, got a number"});
    row("unknown name ignored", R"({"type":"any"})", "5");
    row("unknown name in list ignored", R"({"type":["string","file"]})", "5");
    row("empty list ignored", R"({"type":[]})", "5");
    row("non-string type ignored", R"({"type":7})", "5");
}

void TestInputSchema::objects_data() {
    columns();
    const char* cluster =
        R"({"type":"object","required":["cluster","service"],
            "properties":{"cluster":{"type":"string"},"service":{"type":"string"}}})";
    row("required present", cluster, R"({"cluster":"prod","service":"web"})");
    row("required missing", cluster, R"({"service":"web"})",
        {R"(|=missing required property "cluster")"});
    row("both missing", cluster, "{}",
        {R"(|missing required property "cluster")", R"(|missing required property "service")"});
    row("required on a non-object ignored", R"({"required":["a"]})", "[1]");
    row("nested property path", R"({"properties":{"a":{"properties":{"b":{"type":"integer"}}}}})",
        R"({"a":{"b":"x"}})", {"/a/b|expected an integer, got a string"});
    row("properties on a non-object ignored", R"({"properties":{"a":{"type":"string"}}})", "5");
    row("undeclared members are free", R"({"properties":{"a":{"type":"string"}}})",
        R"({"a":"x","b":1})");
    row("path escapes ~ and /", R"({"properties":{"a/b~c":{"type":"string"}}})", R"({"a/b~c":1})",
        {"/a~1b~0c|expected a string"});
    const char* closed = R"({"properties":{"a":{},"b":{}},"additionalProperties":false})";
    row("additional false fits", closed, R"({"a":1,"b":2})");
    row("additional false refuses", closed, R"({"a":1,"c":2})",
        {"/c|=not an allowed property (allowed: a, b)"});
    row("additional false, no properties", R"({"additionalProperties":false})", R"({"x":1})",
        {"/x|=not an allowed property"});
    row("additional schema", R"({"properties":{"x":{}},"additionalProperties":{"type":"number"}})",
        R"({"x":"free","y":1,"z":"no"})", {"/z|expected a number, got a string"});
    row("additional true", R"({"additionalProperties":true})", R"({"x":1})");
    row("pattern properties",
        R"({"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false})",
        R"({"x-a":"ok","x-b":1,"y":2})",
        {"/x-b|=expected a string, got a number", "/y|=not an allowed property"});
    row("unreadable pattern property is not extra",
        R"({"patternProperties":{"(":{}},"additionalProperties":false})", R"({"z":1})");
    row("min properties", R"({"minProperties":1})", "{}",
        {"|=must have at least 1 property (has 0)"});
    row("max properties", R"({"maxProperties":1})", R"({"a":1,"b":2})",
        {"|=must have at most 1 property (has 2)"});
    row("min and max properties fit", R"({"minProperties":1,"maxProperties":2})", R"({"a":1})");
}

void TestInputSchema::values_data() {
    columns();
    const char* choice = R"({"enum":["a","b",1,null]})";
    row("enum fits", choice, R"("b")");
    row("enum fits null", choice, "null");
    row("enum refuses", choice, R"("c")", {R"(|=expected one of "a", "b", 1, null)"});
    row("enum compares numbers by value", R"({"enum":[1]})", "1.0");
    row("enum is type-strict", R"({"enum":[1]})", R"("1")", {"|expected one of 1"});
    row("enum member object fits", R"({"enum":[{"a":[1,2]}]})", R"({"a":[1,2.0]})");
    row("enum member object refuses", R"({"enum":[{"a":[1,2]}]})", R"({"a":[2,1]})",
        {"|=expected one of {…}"});
    row("enum list is shortened", R"({"enum":[1,2,3,4,5,6,7,8,9,10,11,12]})", "0",
        {"|=expected one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …"});
    row("empty enum allows nothing", R"({"enum":[]})", "1", {"|=no value is allowed here"});
    row("wrong type says so once", R"({"type":"string","enum":["a"]})", "5",
        {"|=expected a string, got a number"});
    row("const fits", R"({"const":"prod"})", R"("prod")");
    row("const refuses", R"({"const":"prod"})", R"("dev")", {R"(|=expected exactly "prod")"});
    row("const null", R"({"const":null})", "0", {"|=expected exactly null"});
    row("const compares numbers by value", R"({"const":2})", "2.0");
    row("const array", R"({"const":[1,{"a":true}]})", R"([1,{"a":false}])",
        {"|=expected exactly […]"});
    row("long const is shortened",
        R"({"const":"0123456789012345678901234567890123456789012345678901234567890123456789"})",
        R"("x")",
        {R"(|=expected exactly "01234567890123456789012345678901234567890123456789012345678…)"});
}

void TestInputSchema::numbers_data() {
    columns();
    const char* range = R"({"minimum":1,"maximum":10})";
    row("minimum fits at the bound", range, "1");
    row("maximum fits at the bound", range, "10");
    row("below minimum", range, "0", {"|=must be at least 1"});
    row("above maximum", range, "10.5", {"|=must be at most 10"});
    row("exclusive minimum", R"({"exclusiveMinimum":0})", "0", {"|=must be greater than 0"});
    row("exclusive minimum fits", R"({"exclusiveMinimum":0})", "0.001");
    row("exclusive maximum", R"({"exclusiveMaximum":1.5})", "1.5", {"|=must be less than 1.5"});
    row("exclusive maximum fits", R"({"exclusiveMaximum":1.5})", "1");
    row("draft 4 exclusive minimum", R"({"minimum":5,"exclusiveMinimum":true})", "5",
        {"|=must be greater than 5"});
    row("draft 4 exclusive maximum", R"({"maximum":5,"exclusiveMaximum":true})", "5",
        {"|=must be less than 5"});
    row("draft 4 inclusive when false", R"({"maximum":5,"exclusiveMaximum":false})", "5");
    row("large integers compared exactly", R"({"maximum":9007199254740992})", "9007199254740993",
        {"|=must be at most 9007199254740992"});
    row("unsigned above a negative minimum", R"({"minimum":-1})", "18446744073709551615");
    row("negative below an unsigned maximum", R"({"maximum":18446744073709551615})", "-5");
    row("fraction against integer bound", R"({"minimum":2})", "1.999", {"|=must be at least 2"});
    row("string bound ignored", R"({"minimum":"5"})", "1");
    row("bounds ignore strings", R"({"minimum":5})", R"("1")");
}

void TestInputSchema::strings_data() {
    columns();
    row("min length", R"({"minLength":3})", R"("ab")",
        {"|=must be at least 3 characters long (is 2)"});
    row("min length one", R"({"minLength":1})", R"("")",
        {"|=must be at least 1 character long (is 0)"});
    row("max length counts code points", R"({"maxLength":3})", "\"\u00e9\u00e9\u00e9\"");
    row("max length over", R"({"maxLength":3})", "\"\u00e9\u00e9\u00e9\u00e9\"",
        {"|=must be at most 3 characters long (is 4)"});
    row("astral character is one", R"({"minLength":1,"maxLength":1})", "\"\U0001F600\"");
    row("escaped surrogate pair is one", R"({"maxLength":1})", R"("\ud83d\ude00")");
    row("length given as 2.0", R"({"minLength":2.0})", R"("a")", {"|must be at least 2"});
    row("negative length ignored", R"({"minLength":-1,"maxLength":"2"})", R"("abc")");
    row("lengths ignore numbers", R"({"maxLength":1})", "12345");
    row("pattern fits", R"({"pattern":"^[a-z]+$"})", R"("abc")");
    row("pattern refuses", R"({"pattern":"^[a-z]+$"})", R"("ab1")",
        {"|=does not match the pattern ^[a-z]+$"});
    row("pattern is unanchored", R"({"pattern":"b"})", R"("abc")");
    row("pattern unanchored refuses", R"({"pattern":"\\d"})", R"("abc")",
        {"|=does not match the pattern \\d"});
    row("unreadable pattern ignored", R"({"pattern":"(["})", R"("x")");
    row("pattern with non-ASCII", "{\"pattern\":\"^\u00e9+$\"}", "\"\u00e9\u00e9\"");
    row("pattern ignores numbers", R"({"pattern":"^a$"})", "1");
}

void TestInputSchema::arrays_data() {
    columns();
    row("items", R"({"items":{"type":"string"}})", R"(["a",1,"b",true])",
        {"/1|=expected a string, got a number", "/3|=expected a string, got a boolean"});
    row("items fit", R"({"items":{"type":"string"}})", R"(["a","b"])");
    row("items false", R"({"items":false})", "[1]",
        {"/0|=unexpected item: the array must be empty"});
    row("items false, empty array", R"({"items":false})", "[]");
    row("tuple", R"({"items":[{"type":"string"},{"type":"integer"}]})", R"(["a","b",3])",
        {"/1|expected an integer"});
    row("tuple, additional false", R"({"items":[{"type":"string"}],"additionalItems":false})",
        R"(["a","b"])", {"/1|=unexpected item: at most 1 item is allowed"});
    row("tuple, additional schema",
        R"({"items":[{"type":"string"}],"additionalItems":{"type":"null"}})", R"(["a",null,0])",
        {"/2|expected null"});
    row("additionalItems alone ignored", R"({"additionalItems":false})", "[1,2]");
    row("prefix items then items",
        R"({"prefixItems":[{"type":"integer"}],"items":{"type":"string"}})", R"([1,"a",2])",
        {"/2|expected a string"});
    row("prefix items, items false", R"({"prefixItems":[{},{}],"items":false})", "[1,2,3]",
        {"/2|=unexpected item: at most 2 items are allowed"});
    row("min items", R"({"minItems":2})", "[1]", {"|=must have at least 2 items (has 1)"});
    row("max items", R"({"maxItems":1})", "[1,2]", {"|=must have at most 1 item (has 2)"});
    row("item counts fit", R"({"minItems":1,"maxItems":2})", "[1,2]");
    row("unique refuses", R"({"uniqueItems":true})", R"([1,2,1.0,"1"])",
        {"/2|=repeats item 0; items must be unique"});
    row("unique objects", R"({"uniqueItems":true})", R"([{"a":1},{"a":2},{"a":1},{"a":2}])",
        {"/2|repeats item 0", "/3|repeats item 1"});
    row("unique deep arrays", R"({"uniqueItems":true})", "[[[1,[2]]],[[1,[3]]],[[1,[2]]]]",
        {"/2|repeats item 0"});
    row("unique fits", R"({"uniqueItems":true})", R"([1,"1",[1],{"1":1},true,null])");
    row("unique false allows repeats", R"({"uniqueItems":false})", "[1,1]");
    row("array keywords ignore objects", R"({"minItems":1,"items":false})", R"({"a":1})");
}

void TestInputSchema::combinations_data() {
    columns();
    row("allOf", R"({"allOf":[{"type":"object"},{"required":["a"]}]})", "{}",
        {R"(|=missing required property "a")"});
    row("allOf fits", R"({"allOf":[{"type":"object"},{"required":["a"]}]})", R"({"a":0})");
    row("allOf in document order",
        R"({"allOf":[{"properties":{"b":{"type":"string"}}},{"properties":{"a":{"type":"string"}}}]})",
        R"({"a":1,"b":2})", {"/a|expected a string", "/b|expected a string"});
    const char* nullable = R"({"anyOf":[{"type":"string"},{"type":"null"}]})";
    row("anyOf fits", nullable, "null");
    row("anyOf names the types", nullable, "5",
        {"|=matches none of the 2 allowed shapes: expected a string or null, got a number"});
    row("anyOf without a type hint",
        R"({"anyOf":[{"type":"string","minLength":5},{"type":"integer"}]})", R"("abc")",
        {"|=matches none of the 2 allowed shapes"});
    row("anyOf of one", R"({"anyOf":[{"required":["a"]}]})", "{}",
        {"|=does not match the allowed shape"});
    row("empty anyOf ignored", R"({"anyOf":[]})", "1");
    const char* exclusive = R"({"oneOf":[{"type":"integer"},{"type":"number"}]})";
    row("oneOf fits one", exclusive, "2.5");
    row("oneOf matches two", exclusive, "2",
        {"|=matches more than one of the 2 allowed shapes (1 and 2); exactly one must match"});
    row("oneOf matches none", exclusive, R"("x")",
        {"|=matches none of the 2 allowed shapes: expected an integer or a number, got a string"});
    row("oneOf of three", R"({"oneOf":[{"required":["a"]},{"required":["b"]},{"required":["c"]}]})",
        "{}", {"|=matches none of the 3 allowed shapes"});
    row("not fits", R"({"not":{"type":"string"}})", "1");
    row("not refuses", R"({"not":{"type":"string"}})", R"("x")",
        {"|=matches a shape that is not allowed here"});
    const char* conditional =
        R"({"if":{"properties":{"kind":{"const":"s3"}}},
            "then":{"required":["bucket"]},"else":{"required":["path"]}})";
    row("if then", conditional, R"({"kind":"s3"})", {R"(|=missing required property "bucket")"});
    row("if else", conditional, R"({"kind":"fs"})", {R"(|=missing required property "path")"});
    row("if then fits", conditional, R"({"kind":"s3","bucket":"b"})");
    row("if without then or else", R"({"if":false})", "1");
    row("problems inside a branch keep their path",
        R"({"allOf":[{"properties":{"tags":{"items":{"type":"string"}}}}]})",
        R"({"tags":["a","b",3]})", {"/tags/2|expected a string"});
}

void TestInputSchema::references_data() {
    columns();
    row("$defs",
        R"({"$defs":{"port":{"type":"integer","minimum":1}},"properties":{"p":{"$ref":"#/$defs/port"}}})",
        R"({"p":0})", {"/p|=must be at least 1"});
    row("definitions",
        R"({"definitions":{"s":{"type":"string"}},"items":{"$ref":"#/definitions/s"}})", "[1]",
        {"/0|expected a string"});
    row("root recursion",
        R"({"type":"object","properties":{"name":{"type":"string"},
            "children":{"type":"array","items":{"$ref":"#"}}}})",
        R"({"name":"a","children":[{"name":"b","children":[{"name":3}]}]})",
        {"/children/0/children/0/name|expected a string"});
    row("root recursion fits",
        R"({"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#"}}}})",
        R"({"children":[{"children":[{}]},{}]})");
    row("escaped pointer",
        R"({"$defs":{"a/b":{"type":"string"},"m~n":{"type":"integer"}},
            "properties":{"x":{"$ref":"#/$defs/a~1b"},"y":{"$ref":"#/$defs/m~0n"}}})",
        R"({"x":1,"y":"s"})", {"/x|expected a string", "/y|expected an integer"});
    row("percent-encoded pointer", R"({"$defs":{"a b":{"type":"string"}},"$ref":"#/$defs/a%20b"})",
        "1", {"|expected a string"});
    row("array index in pointer",
        R"({"prefixItems":[{"type":"string"}],"items":{"$ref":"#/prefixItems/0"}})", R"(["a",1])",
        {"/1|expected a string"});
    row("siblings of $ref apply",
        R"({"$defs":{"s":{"type":"string"}},"$ref":"#/$defs/s","maxLength":2})", R"("abc")",
        {"|must be at most 2 characters"});
    row("missing target ignored", R"({"$ref":"#/$defs/missing"})", "1");
    row("other documents ignored", R"({"$ref":"https://example.com/s.json#/x"})", "1");
    row("anchors ignored", R"({"$ref":"#thing"})", "1");
    row("bad escape ignored", R"({"$defs":{"x":false},"$ref":"#/$defs/x~2"})", "1");
    row("bad percent ignored", R"({"$defs":{"x":false},"$ref":"#/$defs/%zz"})", "1");
    row("index with leading zero ignored", R"({"allOf":[true,false],"$ref":"#/allOf/01"})", "1",
        {"|=no value is allowed here"});
    row("reference to a false schema", R"({"$defs":{"never":false},"$ref":"#/$defs/never"})", "1",
        {"|=no value is allowed here"});
}

void TestInputSchema::schemaShapes_data() {
    columns();
    row("true", "true", R"({"anything":[1,2]})");
    row("false", "false", "{}", {"|=no value is allowed here"});
    row("false property", R"({"properties":{"a":false}})", R"({"a":1})",
        {"/a|=no value is allowed here"});
    row("empty object", "{}", "[1]");
    row("null schema", "null", "5");
    row("string schema", R"("string")", "5");
    row("array schema", R"([{"type":"string"}])", "5");
    row("nullable is not JSON Schema", R"({"type":"string","nullable":true})", "null",
        {"|=expected a string, got null"});
    row("unknown keywords ignored", R"({"format":"email","x-custom":{"type":"string"}})",
        R"("not an email")");
    row("malformed keywords ignored",
        R"({"required":"a","properties":[],"enum":"a","items":3,"allOf":{},"anyOf":[],
            "oneOf":"x","minLength":-1,"maxItems":"2","uniqueItems":"yes","pattern":5,
            "additionalProperties":7,"$ref":3})",
        R"({"b":[1,1]})");
    row("malformed keywords on an array", R"({"items":3,"maxItems":"0","uniqueItems":1})", "[1,1]");
}

void TestInputSchema::realTools_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("arguments");
    QTest::addColumn<QStringList>("expected");
    const auto add = [](const char* name, const char* file, const char* tool, const char* args,
                        std::initializer_list<const char*> expected) {
        QStringList list;
        for (const char* e : expected)
            list << QString::fromUtf8(e);
        QTest::newRow(name) << QString::fromUtf8(file) << QString::fromUtf8(tool)
                            << QString::fromUtf8(args) << list;
    };
    const char* ecs = "ecs-mcp-server.tools.json";
    const char* iam = "aws-policy-tools.json";
    add("wait_for_service_ready fits", ecs, "wait_for_service_ready",
        R"({"cluster":"prod","service_name":"web","timeout_seconds":600})", {});
    add("wait_for_service_ready wrong", ecs, "wait_for_service_ready",
        R"({"service_name":"web","timeout_seconds":"600"})",
        {R"(|=missing required property "cluster")",
         "/timeout_seconds|=expected an integer, got a string"});
    add("ecs_troubleshooting_tool fits", ecs, "ecs_troubleshooting_tool",
        R"({"action":"fetch_task_logs","parameters":{"cluster_name":"prod"}})", {});
    add("ecs_troubleshooting_tool takes nothing", ecs, "ecs_troubleshooting_tool", "{}", {});
    add("ecs_troubleshooting_tool wrong", ecs, "ecs_troubleshooting_tool",
        R"({"action":"fetch_logs","parameters":["prod"]})",
        {R"(/action|expected one of "get_ecs_troubleshooting_guidance", "fetch_cloudformation_status")",
         "/parameters|=matches none of the 2 allowed shapes: expected an object or null, got an "
         "array"});
    add("build_and_push_image_to_ecr fits", ecs, "build_and_push_image_to_ecr",
        R"({"app_name":"web","app_path":"/src/web","tag":null})", {});
    add("build_and_push_image_to_ecr wrong", ecs, "build_and_push_image_to_ecr",
        R"({"app_name":"web","app_path":"/src/web","tag":5})",
        {"/tag|expected a string or null, got a number"});
    add("put_user_policy fits with text", iam, "put_user_policy",
        R"({"user_name":"alice","policy_name":"read","policy_document":"{}","confirmed":true})",
        {});
    add("put_user_policy fits with an object", iam, "put_user_policy",
        R"({"user_name":"alice","policy_name":"read","policy_document":{"Version":"2012-10-17"}})",
        {});
    add("put_user_policy wrong", iam, "put_user_policy",
        R"({"user_name":"alice","policy_document":42,"confirmed":"yes"})",
        {R"(|=missing required property "policy_name")",
         "/confirmed|=expected a boolean, got a string",
         "/policy_document|=matches none of the 2 allowed shapes: expected a string or an "
         "object, got a number"});
    add("a tool without a schema takes anything", ecs, "aws_knowledge_aws___recommend",
        R"({"url":5})", {});
}

void TestInputSchema::realTools() {
    QFETCH(QString, file);
    QFETCH(QString, tool);
    QFETCH(QString, arguments);
    QFETCH(QStringList, expected);
    const json definition = fixtureTool(file, tool);
    QVERIFY2(definition.is_object(), qPrintable(file + QLatin1Char(' ') + tool));
    const json schema = definition.value("inputSchema", json());
    const QString m =
        mismatch(checkArguments(schema, json::parse(arguments.toStdString())), expected);
    QVERIFY2(m.isEmpty(), qPrintable(m));
}

void TestInputSchema::refCycles_data() {
    columns();
    row("itself", R"({"$ref":"#"})", "5");
    row("two that name each other",
        R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"})",
        R"({"x":[1,2,3]})");
    row("through allOf, once", R"({"type":"string","allOf":[{"$ref":"#"}]})", "5",
        {"|=expected a string, got a number"});
    row("through anyOf", R"({"$defs":{"a":{"anyOf":[{"$ref":"#/$defs/a"},{"type":"null"}]}},
                            "$ref":"#/$defs/a","type":"integer"})",
        R"("x")", {"|=expected an integer, got a string"});
    row("through a property that loops",
        R"({"$defs":{"p":{"allOf":[{"$ref":"#/$defs/p"}],"minimum":3}},
            "properties":{"n":{"$ref":"#/$defs/p"}}})",
        R"({"n":1})", {"/n|=must be at least 3"});
}

void TestInputSchema::refCycles() {
    QElapsedTimer timer;
    timer.start();
    const QString m = checkRow();
    QVERIFY2(m.isEmpty(), qPrintable(m));
    QVERIFY(timer.elapsed() < kPromptMs);
}

void TestInputSchema::deepAllOfStopsAtTheLimit() {
    // The innermost schema would refuse the value; only the depth limit may be reported.
    const json schema = nestedAllOf(json{{"type", "string"}}, 10'000);
    QElapsedTimer timer;
    timer.start();
    const auto problems = checkArguments(schema, 5);
    QVERIFY(timer.elapsed() < kPromptMs);
    const QString m = mismatch(problems, {QStringLiteral("|=schema too deeply nested")});
    QVERIFY2(m.isEmpty(), qPrintable(m));
}

void TestInputSchema::depthLimitIsExact() {
    // kMaxSchemaDepth applications are allowed: the wrappers plus the innermost schema.
    const json inner{{"type", "string"}};
    const auto within = checkArguments(nestedAllOf(inner, kMaxSchemaDepth - 1), 5);
    QString m = mismatch(within, {QStringLiteral("|=expected a string, got a number")});
    QVERIFY2(m.isEmpty(), qPrintable(m));
    const auto beyond = checkArguments(nestedAllOf(inner, kMaxSchemaDepth), 5);
    m = mismatch(beyond, {QStringLiteral("|=schema too deeply nested")});
    QVERIFY2(m.isEmpty(), qPrintable(m));
}

void TestInputSchema::deepArgumentsUnderARecursiveSchema() {
    json arguments = "leaf";
    for (int i = 0; i < 10'000; ++i) {
        json wrapper = json::array();
        wrapper.push_back(std::move(arguments));
        arguments = std::move(wrapper);
    }
    const json schema = json::parse(R"({"type":"array","items":{"$ref":"#"}})");
    QElapsedTimer timer;
    timer.start();
    const auto problems = checkArguments(schema, arguments);
    QVERIFY(timer.elapsed() < kPromptMs);
    QCOMPARE(problems.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(problems[0].message),
             QStringLiteral("schema too deeply nested"));
    // Each array level costs two applications (items, then the $ref'd root).
    std::string path;
    for (int i = 0; i < kMaxSchemaDepth / 2; ++i)
        path += "/0";
    QCOMPARE(QString::fromStdString(problems[0].path), QString::fromStdString(path));

    // The same schema is no obstacle at a depth people write.
    json shallow = json::parse(R"([[["leaf"]]])");
    const auto bottom = checkArguments(schema, shallow);
    const QString m = mismatch(bottom, {QStringLiteral("/0/0/0|=expected an array, got a string")});
    QVERIFY2(m.isEmpty(), qPrintable(m));
}

void TestInputSchema::exponentialSchemaIsCutShort() {
    // Each level names the next twice: 2^30 applications within the depth limit.
    constexpr int levels = 30;
    json defs = json::object();
    for (int i = 0; i < levels; ++i) {
        const json next{{"$ref", "#/$defs/d" + std::to_string(i + 1)}};
        defs["d" + std::to_string(i)] = json{{"allOf", json::array({next, next})}};
    }
    defs["d" + std::to_string(levels)] = json{{"type", "string"}};
    const json schema{{"$defs", defs}, {"$ref", "#/$defs/d0"}};
    QElapsedTimer timer;
    timer.start();
    const auto problems = checkArguments(schema, "fits");
    QVERIFY(timer.elapsed() < kPromptMs);
    const QString m = mismatch(problems, {QStringLiteral("|=schema too complex to check")});
    QVERIFY2(m.isEmpty(), qPrintable(m));
}

void TestInputSchema::problemsAreCapped() {
    json arguments = json::array();
    for (int i = 0; i < 200; ++i)
        arguments.push_back(i);
    const auto problems = checkArguments(json::parse(R"({"items":{"type":"string"}})"), arguments);
    QCOMPARE(problems.size(), kMaxSchemaProblems);
    QCOMPARE(QString::fromStdString(problems.front().path), QStringLiteral("/0"));
    QCOMPARE(QString::fromStdString(problems.back().path),
             QStringLiteral("/%1").arg(kMaxSchemaProblems - 1));
    // Array items in numeric order, not as text ("/10" after "/9").
    QCOMPARE(QString::fromStdString(problems[10].path), QStringLiteral("/10"));
}

void TestInputSchema::describeWritesOneLineEach() {
    const auto problems = checkArguments(
        json::parse(R"({"required":["cluster"],"properties":{"port":{"type":"integer"}}})"),
        json::parse(R"({"port":"80"})"));
    QCOMPARE(QString::fromStdString(describe(problems)),
             QStringLiteral("(arguments): missing required property \"cluster\"\n"
                            "/port: expected an integer, got a string"));
    QCOMPARE(QString::fromStdString(describe({})), QString());
}

QTEST_GUILESS_MAIN(TestInputSchema)
#include "test_inputschema.moc"
