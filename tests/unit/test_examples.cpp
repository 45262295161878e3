#include "policy/policyio.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace portcullis;

namespace {

QString source(const char* relative) {
    return QStringLiteral(PORTCULLIS_SOURCE_DIR "/") + QString::fromUtf8(relative);
}

std::string problems(const PolicyLoadResult& r, const QString& file) {
    std::string out;
    for (const auto& p : r.problems)
        out += p.format(file.toStdString()) + '\n';
    return out;
}

} // namespace

// Every policy the project ships, and the PolicyLayer policies of the seed pages, load cleanly
// and survive a save.
class TestExamples final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void loads_data();
    void loads();
    void schemaIsJson();
};

void TestExamples::loads_data() {
    QTest::addColumn<QString>("file");
    const QDir examples(source("policies/examples"));
    const QStringList names = examples.entryList({QStringLiteral("*.json")}, QDir::Files);
    QVERIFY(names.size() >= 3);
    for (const QString& name : names)
        QTest::newRow(qPrintable(QStringLiteral("examples/") + name)) << examples.filePath(name);
    const QDir seeds(source("tests/data/seed-policies"));
    const QStringList seedNames = seeds.entryList({QStringLiteral("*.json")}, QDir::Files);
    QCOMPARE(seedNames.size(), 4);
    for (const QString& name : seedNames)
        QTest::newRow(qPrintable(QStringLiteral("seeds/") + name)) << seeds.filePath(name);
}

void TestExamples::loads() {
    QFETCH(QString, file);
    const auto r = PolicyIo::loadFile(file);
    QVERIFY2(r.ok(), problems(r, file).c_str());
    QVERIFY2(r.problems.empty(), problems(r, file).c_str());
    const auto again = PolicyIo::parse(PolicyIo::serialize(*r.policy));
    QVERIFY(again.ok());
    QCOMPARE(*again.policy, *r.policy);
}

void TestExamples::schemaIsJson() {
    QFile f(source("policies/policy.schema.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    const auto schema = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    QVERIFY(!schema.is_discarded());
    QCOMPARE(schema.value("$schema", std::string()),
             std::string("https://json-schema.org/draft/2020-12/schema"));
    // Every key the loader knows is described by the schema.
    const auto& props = schema["properties"];
    for (const char* key :
         {"version", "description", "default", "hide", "all_tools", "tools", "servers"})
        QVERIFY2(props.contains(key), key);
}

QTEST_GUILESS_MAIN(TestExamples)
#include "test_examples.moc"
