#include "calls/auditlog.h"
#include "calls/auditverify.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace portcullis;
using Mode = AuditLog::ArgumentsMode;

Q_DECLARE_METATYPE(AuditLog::ArgumentsMode)

namespace {

const QByteArray kZeros(64, '0');

CallEvent makeEvent(std::uint64_t id) {
    CallEvent e;
    e.id = id;
    e.timeMs = 1'700'000'000'000 + static_cast<std::int64_t>(id);
    e.session = "s-1";
    e.client = "agent";
    e.grant = "default";
    e.server = "files";
    e.tool = "read_file";
    e.exposedName = "files__read_file";
    e.arguments = {{"path", "/tmp/notes.txt"}, {"n", id}};
    e.decision = CallDecision::Allowed;
    e.rule = "tools.read_file";
    e.upstreamMs = 3;
    e.outcome = CallOutcome::Ok;
    e.responseBytes = 120;
    return e;
}

QByteArray sha256Hex(const QByteArray& bytes) {
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

// The lines of a file; a torn last line is kept, the empty piece after a final '\n' is not.
QList<QByteArray> linesOf(const QString& path) {
    QList<QByteArray> lines = readAll(path).split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

nlohmann::json parseLine(const QByteArray& line) {
    return nlohmann::json::parse(line.begin(), line.end());
}

bool writeLog(const QString& path, int count, Mode mode = Mode::Hash, std::uint64_t firstId = 1) {
    QString error;
    const auto log = AuditLog::open(path, mode, &error);
    if (!log) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    for (int i = 0; i < count; ++i) {
        if (!log->append(makeEvent(firstId + static_cast<std::uint64_t>(i))))
            return false;
    }
    return log->flush();
}

enum class Tamper {
    EditClient,     // change a field of line k
    EditAndRechain, // change line k and fix the prev of line k + 1 to match
    EditSeq,        // set the seq of line k to 70
    Delete,         // remove line k
    SwapWithNext,   // exchange lines k and k + 1
    Duplicate,      // insert a copy of line k after it
    TruncateLast,   // cut the end of the last line (and its '\n')
    InsertGarbage,  // a line of text before line k
    InsertBlank,    // an empty line before line k
    InsertArray,    // a JSON array line before line k
};

QByteArray tamper(QList<QByteArray> lines, Tamper how, int k) {
    const qsizetype i = k - 1;
    bool torn = false;
    switch (how) {
    case Tamper::EditClient:
        lines[i].replace("\"client\":\"agent\"", "\"client\":\"mallory\"");
        break;
    case Tamper::EditAndRechain: {
        lines[i].replace("\"client\":\"agent\"", "\"client\":\"mallory\"");
        auto next = parseLine(lines.at(i + 1));
        next["prev"] = sha256Hex(lines.at(i)).toStdString();
        // nlohmann sorts keys; only the hash link matters to the check at line k + 1.
        lines[i + 1] = QByteArray::fromStdString(next.dump());
        break;
    }
    case Tamper::EditSeq:
        lines[i].replace(QByteArray("\"seq\":" + QByteArray::number(k)), "\"seq\":70");
        break;
    case Tamper::Delete:
        lines.removeAt(i);
        break;
    case Tamper::SwapWithNext:
        lines.swapItemsAt(i, i + 1);
        break;
    case Tamper::Duplicate:
        lines.insert(i + 1, lines.at(i));
        break;
    case Tamper::TruncateLast:
        lines.last().chop(15);
        torn = true;
        break;
    case Tamper::InsertGarbage:
        lines.insert(i, "this is not json");
        break;
    case Tamper::InsertBlank:
        lines.insert(i, QByteArray());
        break;
    case Tamper::InsertArray:
        lines.insert(i, "[1,2,3]");
        break;
    }
    QByteArray out = lines.join('\n');
    if (!torn)
        out += '\n';
    return out;
}

} // namespace

class TestAuditLog final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void chainVerifies_data();
    void chainVerifies();
    void emptyLogVerifies();
    void lineLayout();
    void reopenContinuesChain();
    void timerFlushes();
    void arguments_data();
    void arguments();
    void hugeFullArgumentsFallBackToHash();
    void argumentsModeNames();
    void tampering_data();
    void tampering();
    void brokenLastLineOnReopen_data();
    void brokenLastLineOnReopen();
    void missingNewlineOnlyIsRepaired();
    void twoBrokenLinesRefuseToOpen();
    void unwritablePath_data();
    void unwritablePath();
    void writeFailureKeepsRecords();
    void droppedRecordsLeaveAGapLine();
    void verifyMissingFile();
    void verifyOverlongLine();
};

void TestAuditLog::chainVerifies_data() {
    QTest::addColumn<int>("count");
    QTest::newRow("one") << 1;
    QTest::newRow("two") << 2;
    QTest::newRow("fifty") << 50;
}

void TestAuditLog::chainVerifies() {
    QFETCH(int, count);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    {
        QString error;
        const auto log = AuditLog::open(path, Mode::Hash, &error);
        QVERIFY2(log, qPrintable(error));
        QCOMPARE(log->path(), path);
        for (int i = 1; i <= count; ++i)
            QVERIFY(log->append(makeEvent(static_cast<std::uint64_t>(i))));
        QCOMPARE(log->recordsBuffered(), static_cast<std::size_t>(count));
        QVERIFY(log->flush());
        QCOMPARE(log->recordsWritten(), static_cast<std::uint64_t>(count));
        QCOMPARE(log->recordsBuffered(), std::size_t{0});
    }
    const auto lines = linesOf(path);
    QCOMPARE(lines.size(), count);
    const QRegularExpression utcMs(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"));
    QByteArray prev = kZeros;
    for (int i = 0; i < count; ++i) {
        const auto record = parseLine(lines.at(i));
        QCOMPARE(record["seq"].get<std::uint64_t>(), static_cast<std::uint64_t>(i + 1));
        QCOMPARE(record["id"].get<std::uint64_t>(), static_cast<std::uint64_t>(i + 1));
        QVERIFY(utcMs.match(QString::fromStdString(record["time"].get<std::string>())).hasMatch());
        QCOMPARE(QByteArray::fromStdString(record["prev"].get<std::string>()), prev);
        prev = sha256Hex(lines.at(i));
    }
    const AuditVerifyResult result = verifyAuditLog(path);
    QVERIFY2(result.ok, result.message.c_str());
    QCOMPARE(result.records, static_cast<std::uint64_t>(count));
    QCOMPARE(result.firstBadLine, std::uint64_t{0});
}

void TestAuditLog::emptyLogVerifies() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(writeLog(path, 0));
    QVERIFY(QFile::exists(path));
    QCOMPARE(QFileInfo(path).size(), qint64{0});
    QVERIFY(QFileInfo(path).permissions().testFlag(QFileDevice::ReadOwner));
    QVERIFY(!QFileInfo(path).permissions().testFlag(QFileDevice::ReadOther));
    const AuditVerifyResult result = verifyAuditLog(path);
    QVERIFY(result.ok);
    QCOMPARE(result.records, std::uint64_t{0});
}

void TestAuditLog::lineLayout() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(writeLog(path, 1));
    const QByteArray line = linesOf(path).first();
    const auto record = nlohmann::ordered_json::parse(line.begin(), line.end());
    std::vector<std::string> keys;
    for (const auto& [key, value] : record.items())
        keys.push_back(key);
    const std::vector<std::string> expected{
        "seq",   "time",        "id",      "time_ms",        "session",   "client",
        "grant", "server",      "tool",    "exposed_name",   "arguments", "decision",
        "rule",  "upstream_ms", "outcome", "response_bytes", "finished",  "prev"};
    QCOMPARE(keys, expected);
    QVERIFY(line.startsWith("{\"seq\":1,\"time\":\""));
    QVERIFY(line.endsWith(QByteArray("\"prev\":\"" + kZeros + "\"}")));
}

void TestAuditLog::reopenContinuesChain() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(writeLog(path, 3));
    QVERIFY(writeLog(path, 2, Mode::Hash, 4));
    QVERIFY(writeLog(path, 0));
    QVERIFY(writeLog(path, 1, Mode::Full, 6));
    const auto lines = linesOf(path);
    QCOMPARE(lines.size(), 6);
    for (int i = 0; i < lines.size(); ++i)
        QCOMPARE(parseLine(lines.at(i))["seq"].get<int>(), i + 1);
    QCOMPARE(QByteArray::fromStdString(parseLine(lines.at(3))["prev"].get<std::string>()),
             sha256Hex(lines.at(2)));
    const AuditVerifyResult result = verifyAuditLog(path);
    QVERIFY2(result.ok, result.message.c_str());
    QCOMPARE(result.records, std::uint64_t{6});
}

void TestAuditLog::timerFlushes() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    const auto log = AuditLog::open(path, Mode::Hash, nullptr);
    QVERIFY(log);
    QVERIFY(log->append(makeEvent(1)));
    QVERIFY(log->append(makeEvent(2)));
    // Buffered, not written per call.
    QCOMPARE(QFileInfo(path).size(), qint64{0});
    QCOMPARE(log->recordsWritten(), std::uint64_t{0});
    // Flushed by the one-second timer alone; the timeout only allows for a loaded machine.
    QTRY_VERIFY_WITH_TIMEOUT(log->recordsWritten() == 2, 10'000);
    QCOMPARE(linesOf(path).size(), 2);
    QCOMPARE(log->recordsBuffered(), std::size_t{0});
    QVERIFY(verifyAuditLog(path).ok);
}

void TestAuditLog::arguments_data() {
    QTest::addColumn<AuditLog::ArgumentsMode>("mode");
    QTest::addColumn<QByteArray>("expected"); // the "arguments" value as JSON, empty when absent
    // The hash covers the canonical form: sorted keys, no whitespace.
    const QByteArray canonical = R"({"a":[1,2.5,"x"],"b":{"c":null,"d":true}})";
    QTest::newRow("hash") << Mode::Hash << QByteArray("\"sha256:" + sha256Hex(canonical) + '"');
    QTest::newRow("full") << Mode::Full << canonical;
    QTest::newRow("none") << Mode::None << QByteArray();
}

void TestAuditLog::arguments() {
    QFETCH(AuditLog::ArgumentsMode, mode);
    QFETCH(QByteArray, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    {
        const auto log = AuditLog::open(path, mode, nullptr);
        QVERIFY(log);
        QCOMPARE(log->argumentsMode(), mode);
        CallEvent e = makeEvent(1);
        e.arguments =
            nlohmann::json::parse(R"({ "b": {"d": true, "c": null}, "a": [1, 2.5, "x"] })");
        QVERIFY(log->append(e));
    }
    const auto record = parseLine(linesOf(path).first());
    if (expected.isEmpty()) {
        QVERIFY(!record.contains("arguments"));
    } else {
        QVERIFY(record.contains("arguments"));
        QCOMPARE(QByteArray::fromStdString(record["arguments"].dump()), expected);
    }
    QVERIFY(!record.contains("result"));
    QVERIFY(verifyAuditLog(path).ok);
}

void TestAuditLog::hugeFullArgumentsFallBackToHash() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    {
        const auto log = AuditLog::open(path, Mode::Full, nullptr);
        QVERIFY(log);
        CallEvent e = makeEvent(1);
        e.arguments = {{"blob", std::string(static_cast<std::size_t>(kAuditMaxLineBytes), 'x')}};
        QVERIFY(log->append(e));
        QVERIFY(log->append(makeEvent(2)));
    }
    const auto lines = linesOf(path);
    QCOMPARE(lines.size(), 2);
    QVERIFY(parseLine(lines.at(0))["arguments"].get<std::string>().starts_with("sha256:"));
    QVERIFY(parseLine(lines.at(1))["arguments"].is_object());
    QVERIFY(verifyAuditLog(path).ok);
}

void TestAuditLog::argumentsModeNames() {
    for (const Mode mode : {Mode::Hash, Mode::Full, Mode::None})
        QVERIFY(AuditLog::argumentsModeFromString(AuditLog::toString(mode)) == mode);
    QVERIFY(!AuditLog::argumentsModeFromString("sha256"));
}

void TestAuditLog::tampering_data() {
    QTest::addColumn<int>("how");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("badLine");
    QTest::addColumn<QString>("message");
    const auto row = [](const char* name, Tamper how, int line, int badLine, const char* message) {
        QTest::newRow(name) << static_cast<int>(how) << line << badLine
                            << QString::fromUtf8(message);
    };
    // An edit can only show on the line after it, whose prev no longer matches.
    row("edit line 4", Tamper::EditClient, 4, 5,
        "prev does not match line 4 (line 4 edited or a line deleted)");
    row("edit line 1", Tamper::EditClient, 1, 2,
        "prev does not match line 1 (line 1 edited or a line deleted)");
    row("edit line 4, re-chain line 5", Tamper::EditAndRechain, 4, 6,
        "prev does not match line 5 (line 5 edited or a line deleted)");
    row("edit seq of line 7", Tamper::EditSeq, 7, 7,
        "seq 70 follows 6 (a line was deleted or moved)");
    row("delete line 4", Tamper::Delete, 4, 4, "seq 5 follows 3 (a line was deleted or moved)");
    row("delete line 1", Tamper::Delete, 1, 1,
        "seq 2 at the start of the file, expected 1 (lines deleted from the start)");
    row("delete line 9", Tamper::Delete, 9, 9, "seq 10 follows 8 (a line was deleted or moved)");
    row("swap lines 3 and 4", Tamper::SwapWithNext, 3, 3,
        "seq 4 follows 2 (a line was deleted or moved)");
    row("swap lines 9 and 10", Tamper::SwapWithNext, 9, 9,
        "seq 10 follows 8 (a line was deleted or moved)");
    row("duplicate line 5", Tamper::Duplicate, 5, 6,
        "seq 5 follows 5 (a line was repeated or moved)");
    row("truncate the last line", Tamper::TruncateLast, 10, 10, "no trailing newline (torn write)");
    row("garbage before line 6", Tamper::InsertGarbage, 6, 6, "not valid JSON");
    row("garbage before line 1", Tamper::InsertGarbage, 1, 1, "not valid JSON");
    row("blank line before line 2", Tamper::InsertBlank, 2, 2, "not valid JSON");
    row("array before line 8", Tamper::InsertArray, 8, 8, "not a JSON object");
}

void TestAuditLog::tampering() {
    QFETCH(int, how);
    QFETCH(int, line);
    QFETCH(int, badLine);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(writeLog(path, 10));
    QVERIFY(verifyAuditLog(path).ok);
    writeAll(path, tamper(linesOf(path), static_cast<Tamper>(how), line));

    const AuditVerifyResult result = verifyAuditLog(path);
    QVERIFY(!result.ok);
    QCOMPARE(result.firstBadLine, static_cast<std::uint64_t>(badLine));
    QCOMPARE(QString::fromStdString(result.message), message);
    QCOMPARE(result.records, static_cast<std::uint64_t>(badLine - 1));
}

void TestAuditLog::brokenLastLineOnReopen_data() {
    QTest::addColumn<int>("cut");             // bytes removed from the end of the file
    QTest::addColumn<QByteArray>("appended"); // then added to it
    QTest::addColumn<QString>("message");     // what verify says about line 3 afterwards
    QTest::newRow("torn by a crash") << 10 << QByteArray() << QStringLiteral("not valid JSON");
    QTest::newRow("foreign line") << 0 << QByteArray("echo was here\n")
                                  << QStringLiteral("not valid JSON");
}

void TestAuditLog::brokenLastLineOnReopen() {
    QFETCH(int, cut);
    QFETCH(QByteArray, appended);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(writeLog(path, 2));
    if (cut > 0) {
        QVERIFY(writeLog(path, 1, Mode::Hash, 3));
        QByteArray bytes = readAll(path);
        bytes.chop(cut);
        writeAll(path, bytes);
        const AuditVerifyResult torn = verifyAuditLog(path);
        QCOMPARE(torn.firstBadLine, std::uint64_t{3});
        QCOMPARE(QString::fromStdString(torn.message),
                 QStringLiteral("no trailing newline (torn write)"));
    }
    writeAll(path, readAll(path) + appended);

    QVERIFY(writeLog(path, 2, Mode::Hash, 4));
    const auto lines = linesOf(path);
    QCOMPARE(lines.size(), 5);
    // The broken line keeps its place and its seq; the new records chain on from its bytes.
    const auto fourth = parseLine(lines.at(3));
    QCOMPARE(fourth["seq"].get<int>(), 4);
    QCOMPARE(fourth["id"].get<int>(), 4);
    QCOMPARE(QByteArray::fromStdString(fourth["prev"].get<std::string>()), sha256Hex(lines.at(2)));
    QCOMPARE(QByteArray::fromStdString(parseLine(lines.at(4))["prev"].get<std::string>()),
             sha256Hex(lines.at(3)));

    const AuditVerifyResult result = verifyAuditLog(path);
    QVERIFY(!result.ok);
    QCOMPARE(result.firstBadLine, std::uint64_t{3});
    QCOMPARE(QString::fromStdString(result.message), message);
}

void TestAuditLog::missingNewlineOnlyIsRepaired() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(writeLog(path, 3));
    QByteArray bytes = readAll(path);
    bytes.chop(1);
    writeAll(path, bytes);
    QCOMPARE(verifyAuditLog(path).firstBadLine, std::uint64_t{3});

    QVERIFY(writeLog(path, 1, Mode::Hash, 4));
    const AuditVerifyResult result = verifyAuditLog(path);
    QVERIFY2(result.ok, result.message.c_str());
    QCOMPARE(result.records, std::uint64_t{4});
}

void TestAuditLog::twoBrokenLinesRefuseToOpen() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(writeLog(path, 2));
    writeAll(path, readAll(path) + "junk\nmore junk\n");
    QString error;
    QVERIFY(!AuditLog::open(path, Mode::Hash, &error));
    QVERIFY2(error.contains(QStringLiteral("last two lines are not audit records")),
             qPrintable(error));
    QVERIFY(error.contains(path));
}

void TestAuditLog::unwritablePath_data() {
    QTest::addColumn<QString>("relative");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing directory")
        << QStringLiteral("no/such/dir/audit.jsonl") << QStringLiteral("No such file or directory");
    QTest::newRow("a directory") << QStringLiteral("logs") << QStringLiteral("directory");
    QTest::newRow("under a regular file")
        << QStringLiteral("file/audit.jsonl") << QStringLiteral("Not a directory");
}

void TestAuditLog::unwritablePath() {
    QFETCH(QString, relative);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("logs")));
    writeAll(dir.filePath(QStringLiteral("file")), "x");
    const QString path = dir.filePath(relative);
    QString error;
    QVERIFY(!AuditLog::open(path, Mode::Hash, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot ")), qPrintable(error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.contains(reason, Qt::CaseInsensitive), qPrintable(error));
    QVERIFY(!AuditLog::open(path, Mode::Hash, nullptr)); // no error out-parameter is fine too
}

void TestAuditLog::writeFailureKeepsRecords() {
    // /dev/full accepts the open and fails every write with ENOSPC: a disk that filled up.
    const QString path = QStringLiteral("/dev/full");
    if (!QFileInfo(path).isWritable())
        QSKIP("no writable /dev/full here");
    QString error;
    const auto log = AuditLog::open(path, Mode::Hash, &error);
    QVERIFY2(log, qPrintable(error));
    for (std::uint64_t id = 1; id <= 3; ++id)
        QVERIFY(log->append(makeEvent(id)));
    QVERIFY(!log->flush());
    QVERIFY(!log->flush());
    QCOMPARE(log->recordsWritten(), std::uint64_t{0});
    QCOMPARE(log->recordsBuffered(), std::size_t{3});

    log->setMaxBufferedRecords(5);
    QVERIFY(log->append(makeEvent(4)));
    QVERIFY(log->append(makeEvent(5)));
    QVERIFY(!log->append(makeEvent(6)));
    QVERIFY(!log->append(makeEvent(7)));
    QCOMPARE(log->recordsDropped(), std::uint64_t{2});
    QCOMPARE(log->recordsBuffered(), std::size_t{5});
}

void TestAuditLog::droppedRecordsLeaveAGapLine() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    {
        const auto log = AuditLog::open(path, Mode::Hash, nullptr);
        QVERIFY(log);
        log->setMaxBufferedRecords(2);
        QVERIFY(log->append(makeEvent(1)));
        QVERIFY(log->append(makeEvent(2)));
        QVERIFY(!log->append(makeEvent(3)));
        QVERIFY(!log->append(makeEvent(4)));
        QCOMPARE(log->recordsDropped(), std::uint64_t{2});
        QVERIFY(log->flush());
        QVERIFY(log->append(makeEvent(5)));
        QVERIFY(log->flush());
        QCOMPARE(log->recordsWritten(), std::uint64_t{4});
    }
    const auto lines = linesOf(path);
    QCOMPARE(lines.size(), 4);
    const auto gap = nlohmann::ordered_json::parse(lines.at(2).begin(), lines.at(2).end());
    QCOMPARE(gap.size(), std::size_t{4});
    QCOMPARE(gap["seq"].get<int>(), 3);
    QCOMPARE(gap["dropped"].get<int>(), 2);
    QCOMPARE(parseLine(lines.at(3))["id"].get<int>(), 5);
    const AuditVerifyResult result = verifyAuditLog(path);
    QVERIFY2(result.ok, result.message.c_str());
    QCOMPARE(result.records, std::uint64_t{4});
}

void TestAuditLog::verifyMissingFile() {
    const AuditVerifyResult result = verifyAuditLog(QStringLiteral("/nonexistent/audit.jsonl"));
    QVERIFY(!result.ok);
    QCOMPARE(result.firstBadLine, std::uint64_t{0});
    QVERIFY2(result.message.starts_with("cannot read: "), result.message.c_str());
}

void TestAuditLog::verifyOverlongLine() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(writeLog(path, 1));
    writeAll(path, readAll(path) + QByteArray(kAuditMaxLineBytes + 10, 'x') + '\n');
    const AuditVerifyResult result = verifyAuditLog(path);
    QVERIFY(!result.ok);
    QCOMPARE(result.firstBadLine, std::uint64_t{2});
    QCOMPARE(QString::fromStdString(result.message),
             QStringLiteral("longer than 16 MiB (not written by the audit log)"));
    QCOMPARE(result.records, std::uint64_t{1});
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "test_auditlog.moc"
