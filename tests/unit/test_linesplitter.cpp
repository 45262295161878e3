#include "util/linesplitter.h"

#include <QTest>

using portcullis::LineSplitter;

class TestLineSplitter final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void splits_data();
    void splits();
    void dropsAnOverlongLineUpToItsNewline();
    void stopsWhenTheHandlerSaysSo();
};

void TestLineSplitter::splits_data() {
    QTest::addColumn<QByteArrayList>("pieces");
    QTest::addColumn<QByteArrayList>("lines");
    QTest::newRow("one") << QByteArrayList{"a\n"} << QByteArrayList{"a"};
    QTest::newRow("two in one read") << QByteArrayList{"a\nb\n"} << QByteArrayList{"a", "b"};
    QTest::newRow("split across reads")
        << QByteArrayList{"{\"x\"", ":1}\n"} << QByteArrayList{"{\"x\":1}"};
    QTest::newRow("crlf and blanks")
        << QByteArrayList{"a\r\n\r\n\n  b  \n"} << QByteArrayList{"a", "b"};
    QTest::newRow("unfinished kept") << QByteArrayList{"a\nb"} << QByteArrayList{"a"};
    QTest::newRow("byte by byte") << QByteArrayList{"x", "y", "\n", "z", "\n"}
                                  << QByteArrayList{"xy", "z"};
}

void TestLineSplitter::splits() {
    QFETCH(QByteArrayList, pieces);
    QFETCH(QByteArrayList, lines);
    LineSplitter splitter(1024);
    QByteArrayList got;
    for (const QByteArray& p : pieces) {
        const auto status = splitter.feed(p, [&](const QByteArray& line) {
            got << line;
            return true;
        });
        QCOMPARE(status, LineSplitter::Status::Ok);
    }
    QCOMPARE(got, lines);
}

void TestLineSplitter::dropsAnOverlongLineUpToItsNewline() {
    LineSplitter splitter(8);
    QByteArrayList got;
    auto collect = [&](const QByteArray& line) {
        got << line;
        return true;
    };
    QCOMPARE(splitter.feed("0123456789", collect), LineSplitter::Status::Overflow);
    QCOMPARE(splitter.feed("more of it\nnext\n", collect), LineSplitter::Status::Ok);
    QCOMPARE(got, QByteArrayList{"next"});
}

void TestLineSplitter::stopsWhenTheHandlerSaysSo() {
    LineSplitter splitter(1024);
    QByteArrayList got;
    splitter.feed("a\nb\nc\n", [&](const QByteArray& line) {
        got << line;
        return line != "a";
    });
    QCOMPARE(got, QByteArrayList{"a"});
    // The rest is delivered with the next read.
    splitter.feed("", [&](const QByteArray& line) {
        got << line;
        return true;
    });
    QCOMPARE(got, (QByteArrayList{"a", "b", "c"}));
}

QTEST_GUILESS_MAIN(TestLineSplitter)
#include "test_linesplitter.moc"
