#include "calls/auditlog.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run gateway(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(PORTCULLIS_GATEWAY_EXE), args);
    Run r;
    if (!p.waitForFinished(30'000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString source(const QString& relative) {
    return QStringLiteral(PORTCULLIS_SOURCE_DIR "/") + relative;
}

// An audit log of `count` calls, written the way the gateway writes it.
QString writeAuditLog(const QTemporaryDir& dir, int count) {
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    const auto log =
        portcullis::AuditLog::open(path, portcullis::AuditLog::ArgumentsMode::Hash, nullptr);
    if (!log)
        return {};
    for (int i = 1; i <= count; ++i) {
        portcullis::CallEvent e;
        e.id = static_cast<std::uint64_t>(i);
        e.client = "agent";
        e.tool = "read_file";
        e.arguments = {{"path", "/tmp/x"}};
        log->append(e);
    }
    return path;
}

} // namespace

class TestGatewayCli final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validateAcceptsExamplesAndSeeds();
    void validateReportsThreeProblems();
    void validateSyntaxError();
    void validateMissingFile();
    void usageErrors_data();
    void usageErrors();
    void scanSeedLabels();
    void scanTable();
    void scanBadInput();
    void scanLiveServers();
    void scanServerThatCannotStart();
    void auditVerifyOk();
    void auditVerifyTampered();
    void auditUsage_data();
    void auditUsage();
};

void TestGatewayCli::validateAcceptsExamplesAndSeeds() {
    QStringList files;
    for (const QString& dir : {source(QStringLiteral("policies/examples")),
                               source(QStringLiteral("tests/data/seed-policies"))}) {
        const QDir d(dir);
        for (const QString& name : d.entryList({QStringLiteral("*.json")}, QDir::Files))
            files << d.filePath(name);
    }
    QVERIFY(files.size() >= 7);
    const Run r = gateway(QStringList{QStringLiteral("validate")} + files);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QCOMPARE(r.out, QString());
    QCOMPARE(r.err.count(QStringLiteral(": ok\n")), files.size());
}

void TestGatewayCli::validateReportsThreeProblems() {
    const QString file = source(QStringLiteral("tests/data/invalid/three-problems.json"));
    const Run r = gateway({QStringLiteral("validate"), file});
    QCOMPARE(r.exitCode, 1);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    // FILE:LINE:COL: path: message, in file order.
    const QRegularExpression shape(
        QStringLiteral("^%1:\\d+:\\d+: tools\\.[a-z_]+\\.").arg(QRegularExpression::escape(file)));
    for (const QString& line : lines)
        QVERIFY2(shape.match(line).hasMatch(), qPrintable(line));
    QVERIFY(lines.at(0).contains(QStringLiteral("unknown key \"limts\"")) ||
            r.out.contains(QStringLiteral("unknown key \"limts\"")));
    QVERIFY(r.out.contains(
        QStringLiteral(".window: expected one of second, minute, hour, day, got \"fortnight\"")));
    QVERIFY(r.out.contains(QStringLiteral("invalid regular expression \"(\"")));
    QVERIFY(r.err.contains(QStringLiteral("3 problems")));
}

void TestGatewayCli::validateSyntaxError() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("broken.json"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\n  \"version\": \"1\"\n  \"default\": \"deny\"\n}\n");
    f.close();
    const Run r = gateway({QStringLiteral("validate"), file});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(file + QStringLiteral(":3:3: invalid JSON: ")), qPrintable(r.out));
}

void TestGatewayCli::validateMissingFile() {
    const Run r = gateway({QStringLiteral("validate"), QStringLiteral("/nonexistent/policy.json")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(QStringLiteral("/nonexistent/policy.json: cannot read: ")),
             qPrintable(r.out));
}

void TestGatewayCli::usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList{} << QStringLiteral("usage: portcullis-gateway");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")}
                                     << QStringLiteral("unknown command: frobnicate");
    QTest::newRow("validate without file")
        << QStringList{QStringLiteral("validate")} << QStringLiteral("validate needs at least one");
    QTest::newRow("validate unknown option")
        << QStringList{QStringLiteral("validate"), QStringLiteral("--strict"), QStringLiteral("x")}
        << QStringLiteral("Unknown option 'strict'");
    QTest::newRow("scan without source")
        << QStringList{QStringLiteral("scan")}
        << QStringLiteral("scan needs either --tools-file FILE or --servers FILE");
    QTest::newRow("scan stray argument")
        << QStringList{QStringLiteral("scan"), QStringLiteral("x.json")}
        << QStringLiteral("unexpected argument: x.json");
}

void TestGatewayCli::usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = gateway(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

void TestGatewayCli::scanSeedLabels() {
    // The seed labels file is an object with a "tools" array of {name, description, ...}.
    const QString file = source(QStringLiteral("tests/data/fixtures/seed-risk-labels.json"));
    const Run r = gateway(
        {QStringLiteral("scan"), QStringLiteral("--tools-file"), file, QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto rows = nlohmann::json::parse(r.out.toStdString());
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray labelBytes = f.readAll();
    const auto labels = nlohmann::json::parse(labelBytes.begin(), labelBytes.end())["tools"];
    QCOMPARE(rows.size(), labels.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        // Exactly these keys, in this order.
        std::vector<std::string> keys;
        for (const auto& [k, v] : row.items())
            keys.push_back(k);
        std::sort(keys.begin(), keys.end());
        QCOMPARE(keys,
                 (std::vector<std::string>{"category", "confidence", "name", "rationale", "risk"}));
        QVERIFY(row["name"] == labels[i]["name"]);
        QVERIFY2(row["category"] == labels[i]["category"], row.dump().c_str());
        QVERIFY2(row["risk"] == labels[i]["risk"], row.dump().c_str());
        QVERIFY(row["confidence"].is_number());
        QVERIFY(row["confidence"].get<double>() >= 0.0 && row["confidence"].get<double>() <= 1.0);
        QVERIFY(row["rationale"].get<std::string>().size() > 10);
    }
}

void TestGatewayCli::scanTable() {
    const Run r = gateway({QStringLiteral("scan"), QStringLiteral("--tools-file"),
                           source(QStringLiteral("tests/data/fixtures/aws-policy-tools.json"))});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(lines.first().startsWith(QStringLiteral("NAME")));
    QCOMPARE(lines.size(), 1 + 4);
    QVERIFY(r.out.contains(
        QRegularExpression(QStringLiteral("detach_user_policy +Destructive +Critical"))));
}

void TestGatewayCli::scanBadInput() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("t.json"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"tools\": 3}");
    f.close();
    Run r = gateway({QStringLiteral("scan"), QStringLiteral("--tools-file"), file});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(QStringLiteral("expected an object with a \"tools\" array")));
    r = gateway({QStringLiteral("scan"), QStringLiteral("--tools-file"),
                 dir.filePath(QStringLiteral("nope.json"))});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(QStringLiteral("cannot read")));
}

void TestGatewayCli::auditVerifyOk() {
    QTemporaryDir dir;
    const QString file = writeAuditLog(dir, 5);
    QVERIFY(!file.isEmpty());
    Run r = gateway({QStringLiteral("audit"), QStringLiteral("verify"), file});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QCOMPARE(r.out, QStringLiteral("ok 5 records\n"));

    const QString empty = dir.filePath(QStringLiteral("empty.jsonl"));
    QFile f(empty);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    r = gateway({QStringLiteral("audit"), QStringLiteral("verify"), empty});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("ok 0 records\n"));
}

void TestGatewayCli::auditVerifyTampered() {
    QTemporaryDir dir;
    const QString file = writeAuditLog(dir, 5);
    QVERIFY(!file.isEmpty());
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = f.readAll().split('\n');
    f.close();
    lines.removeAt(1);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(lines.join('\n'));
    f.close();

    Run r = gateway({QStringLiteral("audit"), QStringLiteral("verify"), file});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out, file + QStringLiteral(":2: seq 3 follows 1 (a line was deleted or moved)\n"));

    const QString missing = dir.filePath(QStringLiteral("nope.jsonl"));
    r = gateway({QStringLiteral("audit"), QStringLiteral("verify"), missing});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(missing + QStringLiteral(": cannot read: ")), qPrintable(r.out));
}

void TestGatewayCli::auditUsage_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no subcommand")
        << QStringList{QStringLiteral("audit")} << QStringLiteral("audit needs a subcommand");
    QTest::newRow("unknown subcommand")
        << QStringList{QStringLiteral("audit"), QStringLiteral("frob"), QStringLiteral("a.jsonl")}
        << QStringLiteral("unknown audit command: frob");
    QTest::newRow("verify without file")
        << QStringList{QStringLiteral("audit"), QStringLiteral("verify")}
        << QStringLiteral("audit verify needs exactly one file");
    QTest::newRow("verify two files")
        << QStringList{QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("a"),
                       QStringLiteral("b")}
        << QStringLiteral("audit verify needs exactly one file");
    QTest::newRow("verify unknown option")
        << QStringList{QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--deep"),
                       QStringLiteral("a")}
        << QStringLiteral("Unknown option 'deep'");
}

void TestGatewayCli::auditUsage() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = gateway(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("audit verify AUDIT.jsonl")));
    QCOMPARE(r.out, QString());
}

void TestGatewayCli::scanLiveServers() {
    QTemporaryDir dir;
    const QString servers = dir.filePath(QStringLiteral("servers.json"));
    QFile f(servers);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(nlohmann::json{{"mcpServers", {{"demo", {{"command", PORTCULLIS_DEMO_SERVER_EXE}}}}}}
                .dump()
                .c_str());
    f.close();
    const Run r = gateway(
        {QStringLiteral("scan"), QStringLiteral("--servers"), servers, QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto rows = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(rows.size(), std::size_t(14)); // the demo's ECS and IAM tools
    bool sawDetach = false;
    for (const auto& row : rows) {
        QVERIFY(row["server"] == "demo");
        if (row["name"] == "detach_user_policy") {
            sawDetach = true;
            QVERIFY(row["category"] == "Destructive");
            QVERIFY(row["risk"] == "Critical");
        }
    }
    QVERIFY(sawDetach);
}

void TestGatewayCli::scanServerThatCannotStart() {
    QTemporaryDir dir;
    const QString servers = dir.filePath(QStringLiteral("servers.json"));
    QFile f(servers);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"mcpServers":{"ghost":{"command":"/nonexistent/mcp-server"}}})");
    f.close();
    const Run r = gateway({QStringLiteral("scan"), QStringLiteral("--servers"), servers});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("ghost: not scanned: upstream ghost failed to start")),
             qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestGatewayCli)
#include "test_gatewaycli.moc"
