// ChildPipes with a real child (cat): what goes in comes back whole, however the pipe splits it,
// and closing the input ends the child.
#include "upstream/childpipes.h"

#include <QProcess>
#include <QTest>

using portcullis::ChildPipes;

class TestChildPipes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void echoesMoreThanAPipeHolds();
};

void TestChildPipes::echoesMoreThanAPipeHolds() {
    QByteArray received;
    ChildPipes pipes([&received](QByteArrayView bytes) { received.append(bytes); });
    QVERIFY(pipes.open());
    QProcess cat;
    cat.setStandardInputFile(QProcess::nullDevice());
    cat.setStandardOutputFile(QProcess::nullDevice());
    cat.setChildProcessModifier(pipes.childSetup());
    cat.start(QStringLiteral("cat"), {});
    pipes.closeChildEnds();
    QVERIFY(cat.waitForStarted(5'000));

    // 4 MiB in three writes: far more than the 64 KiB a pipe holds, so most of it waits for
    // the child to read, and the later writes queue behind it.
    std::string sent;
    for (int i = 0; i < 3; ++i) {
        std::string part(1'400'000, '\0');
        for (std::size_t j = 0; j < part.size(); ++j)
            part[j] = static_cast<char>('a' + (j * 7 + static_cast<std::size_t>(i)) % 26);
        pipes.write(part);
        sent += part;
    }
    pipes.closeInput(); // after everything written has gone through
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), static_cast<qsizetype>(sent.size()), 20'000);
    QVERIFY(received == QByteArray::fromStdString(sent));
    // cat saw the end of its input (its exit may already have been reported meanwhile).
    QTRY_COMPARE_WITH_TIMEOUT(cat.state(), QProcess::NotRunning, 5'000);
    QCOMPARE(cat.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cat.exitCode(), 0);
    pipes.drain();
    QCOMPARE(received.size(), static_cast<qsizetype>(sent.size()));
}

QTEST_GUILESS_MAIN(TestChildPipes)
#include "test_childpipes.moc"
