#include "policy/condition.h"
#include "policy/policyio.h"

#include <QTest>

using namespace portcullis;
using nlohmann::json;

class TestCondition final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesPaths_data();
    void parsesPaths();
    void operators_data();
    void operators();
};

void TestCondition::parsesPaths_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("steps");

    QTest::newRow("root") << "args" << true << 0;
    QTest::newRow("key") << "args.a" << true << 1;
    QTest::newRow("nested") << "args.a.b.c" << true << 3;
    QTest::newRow("index") << "args.a[0]" << true << 2;
    QTest::newRow("index then key") << "args.items[12].name" << true << 3;
    QTest::newRow("double index") << "args.m[0][1]" << true << 3;
    QTest::newRow("root index") << "args[0]" << true << 1;
    QTest::newRow("no root") << "a.b" << false << 0;
    QTest::newRow("other root") << "arguments.a" << false << 0;
    QTest::newRow("empty key") << "args..a" << false << 0;
    QTest::newRow("trailing dot") << "args.a." << false << 0;
    QTest::newRow("negative index") << "args.a[-1]" << false << 0;
    QTest::newRow("word index") << "args.a[x]" << false << 0;
    QTest::newRow("unclosed") << "args.a[1" << false << 0;
    QTest::newRow("empty index") << "args.a[]" << false << 0;
    QTest::newRow("glued") << "argsx" << false << 0;
}

void TestCondition::parsesPaths() {
    QFETCH(QString, path);
    QFETCH(bool, valid);
    QFETCH(int, steps);
    const auto parsed = parseArgumentPath(path.toStdString());
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(int(parsed->size()), steps);
}

void TestCondition::operators_data() {
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("value");     // JSON
    QTest::addColumn<QString>("arguments"); // JSON
    QTest::addColumn<bool>("holds");

    const QString args = QStringLiteral(
        R"({"s":"DeleteCluster","n":5,"f":2.5,"b":true,"arr":["x","y",3],"o":{"k":[{"id":7}]},"nul":null})");
    auto row = [&](const char* name, const char* op, const char* path, const char* value,
                   bool holds) {
        QTest::newRow(name) << QString::fromUtf8(op) << QString::fromUtf8(path)
                            << QString::fromUtf8(value) << args << holds;
    };
    row("eq string", "eq", "args.s", R"("DeleteCluster")", true);
    row("eq string differs", "eq", "args.s", R"("deletecluster")", false);
    row("eq int vs float", "eq", "args.n", "5.0", true);
    row("eq number vs string", "eq", "args.n", R"("5")", false);
    row("eq object deep", "eq", "args.o.k[0]", R"({"id":7})", true);
    row("eq null", "eq", "args.nul", "null", true);
    row("eq missing", "eq", "args.zz", "null", false);
    row("neq", "neq", "args.s", R"("CreateCluster")", true);
    row("neq same", "neq", "args.n", "5", false);
    row("neq missing is false", "neq", "args.zz", "1", false);
    row("in", "in", "args.s", R"(["CreateCluster","DeleteCluster"])", true);
    row("in numbers", "in", "args.n", "[1,5.0]", true);
    row("in absent", "in", "args.s", R"(["CreateCluster"])", false);
    row("in missing", "in", "args.zz", R"(["x"])", false);
    row("not_in", "not_in", "args.s", R"(["CreateCluster"])", true);
    row("not_in present", "not_in", "args.s", R"(["DeleteCluster"])", false);
    row("not_in missing", "not_in", "args.zz", R"(["x"])", false);
    row("lt", "lt", "args.n", "6", true);
    row("lt equal", "lt", "args.n", "5", false);
    row("lte equal", "lte", "args.n", "5", true);
    row("lte float", "lte", "args.f", "2.4", false);
    row("gt", "gt", "args.f", "2", true);
    row("gt equal", "gt", "args.n", "5", false);
    row("gte", "gte", "args.n", "5", true);
    row("gte below", "gte", "args.n", "5.5", false);
    row("gt on string is false", "gt", "args.s", "1", false);
    row("lt on bool is false", "lt", "args.b", "10", false);
    row("lt missing", "lt", "args.zz", "10", false);
    row("regex partial match", "regex", "args.s", R"("^Delete")", true);
    row("regex no match", "regex", "args.s", R"("^Create")", false);
    row("regex case sensitive", "regex", "args.s", R"("cluster")", false);
    row("regex inline flag", "regex", "args.s", R"("(?i)cluster")", true);
    row("regex on number is false", "regex", "args.n", R"("5")", false);
    row("regex missing", "regex", "args.zz", R"(".*")", false);
    row("contains substring", "contains", "args.s", R"("Clus")", true);
    row("contains substring absent", "contains", "args.s", R"("Task")", false);
    row("contains array element", "contains", "args.arr", R"("y")", true);
    row("contains array number", "contains", "args.arr", "3", true);
    row("contains array absent", "contains", "args.arr", R"("z")", false);
    row("contains on number is false", "contains", "args.n", "5", false);
    row("contains missing", "contains", "args.zz", R"("a")", false);
    row("exists true", "exists", "args.o.k[0].id", "true", true);
    row("exists true missing", "exists", "args.o.k[1].id", "true", false);
    row("exists false missing", "exists", "args.zz", "false", true);
    row("exists false present", "exists", "args.s", "false", false);
    row("exists null value", "exists", "args.nul", "true", true);
    row("index past end", "eq", "args.arr[9]", "1", false);
    row("index into object", "eq", "args.o[0]", "1", false);
    row("key into array", "eq", "args.arr.x", "1", false);
}

void TestCondition::operators() {
    QFETCH(QString, op);
    QFETCH(QString, path);
    QFETCH(QString, value);
    QFETCH(QString, arguments);
    QFETCH(bool, holds);

    // Built through the loader, so conditions are exactly what a policy file produces.
    const std::string policy =
        R"({"version":"1","default":"deny","tools":{"t":{"deny_if":[{"path":")" +
        path.toStdString() + R"(","op":")" + op.toStdString() + R"(","value":)" +
        value.toStdString() + "}]}}}";
    const auto r = PolicyIo::parse(policy);
    QVERIFY(r.ok());
    const Condition& c = r.policy->top.rule("t")->denyIf->front();
    QCOMPARE(conditionHolds(c, json::parse(arguments.toStdString())), holds);
}

QTEST_GUILESS_MAIN(TestCondition)
#include "test_condition.moc"
