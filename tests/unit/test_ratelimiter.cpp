#include "policy/memorycounterstore.h"
#include "policy/ratelimiter.h"

#include <QTest>

using namespace portcullis;

namespace {

Limit limit(const char* counter, LimitWindow window, std::int64_t max,
            LimitScope scope = LimitScope::Grant) {
    Limit l;
    l.counter = counter;
    l.window = window;
    l.max = max;
    l.scope = scope;
    return l;
}

} // namespace

class TestRateLimiter final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void slidingWindowEdges_data();
    void slidingWindowEdges();
    void noDoubleBurstAtBoundary();
    void burstThenTrickle();
    void retryAfter();
    void scopes();
    void sharedCounterTakesOneUnit();
    void allOrNothing();
    void releaseGivesUnitBack();
    void releaseAfterExpiryIsHarmless();
    void largeMaxUsesBoundedMemory();
    void idleCountersAreSwept();

private:
    std::shared_ptr<ManualClock> m_clock;
    std::shared_ptr<MemoryCounterStore> m_store;
    std::unique_ptr<RateLimiter> m_limiter;
    const CallerIdentity m_alice{"alice", "s1"};

    bool take(const Limit& l, const CallerIdentity& who) {
        return m_limiter->reserve({&l}, who).granted;
    }
};

void TestRateLimiter::init() {
    m_clock = std::make_shared<ManualClock>(1'000'000);
    m_store = std::make_shared<MemoryCounterStore>();
    m_limiter = std::make_unique<RateLimiter>(m_store, m_clock);
}

void TestRateLimiter::slidingWindowEdges_data() {
    QTest::addColumn<int>("window"); // LimitWindow
    QTest::addColumn<qint64>("windowMs");
    QTest::newRow("second") << int(LimitWindow::Second) << qint64(1000);
    QTest::newRow("minute") << int(LimitWindow::Minute) << qint64(60'000);
    QTest::newRow("hour") << int(LimitWindow::Hour) << qint64(3'600'000);
    QTest::newRow("day") << int(LimitWindow::Day) << qint64(86'400'000);
}

void TestRateLimiter::slidingWindowEdges() {
    QFETCH(int, window);
    QFETCH(qint64, windowMs);
    const Limit l = limit("c", LimitWindow(window), 2);
    // Buckets are at most window/4096 wide: a unit is held that much longer, never shorter.
    const qint64 slack = std::max<qint64>(1, windowMs / 4096);

    QVERIFY(take(l, m_alice));
    QVERIFY(take(l, m_alice));
    QVERIFY(!take(l, m_alice));
    m_clock->advance(windowMs - 1);
    QVERIFY2(!take(l, m_alice), "a unit left the window early");
    m_clock->advance(slack);
    QVERIFY2(take(l, m_alice), "units stayed longer than window + bucket width");
    QVERIFY(take(l, m_alice)); // both units of the first burst have left
    QVERIFY(!take(l, m_alice));
}

void TestRateLimiter::noDoubleBurstAtBoundary() {
    // Calendar windows would allow 2 x max around a minute boundary; sliding ones never do.
    const Limit l = limit("c", LimitWindow::Second, 5);
    m_clock->set(10'900);
    for (int i = 0; i < 5; ++i)
        QVERIFY(take(l, m_alice));
    m_clock->set(11'050); // past a second boundary, but within 1 s of the burst
    QVERIFY(!take(l, m_alice));
    m_clock->set(11'900);
    QVERIFY(take(l, m_alice));
}

void TestRateLimiter::burstThenTrickle() {
    const Limit l = limit("c", LimitWindow::Second, 3);
    QVERIFY(take(l, m_alice)); // t=0
    m_clock->advance(400);
    QVERIFY(take(l, m_alice)); // t=400
    m_clock->advance(400);
    QVERIFY(take(l, m_alice)); // t=800
    QVERIFY(!take(l, m_alice));
    m_clock->advance(200); // t=1000: the first unit leaves
    QVERIFY(take(l, m_alice));
    QVERIFY(!take(l, m_alice));
    m_clock->advance(399); // t=1399: the t=400 unit still counts
    QVERIFY(!take(l, m_alice));
    m_clock->advance(1);
    QVERIFY(take(l, m_alice));
}

void TestRateLimiter::retryAfter() {
    const Limit l = limit("c", LimitWindow::Minute, 2);
    QVERIFY(take(l, m_alice));
    m_clock->advance(10'000);
    QVERIFY(take(l, m_alice));
    m_clock->advance(5'000);
    const ReserveOutcome r = m_limiter->reserve({&l}, m_alice);
    QVERIFY(!r.granted);
    QCOMPARE(r.fullIndex, 0);
    // The oldest unit leaves 60 s after it was taken, 15 s ago.
    QVERIFY2(r.retryAfterMs >= 45'000 && r.retryAfterMs <= 45'000 + 60'000 / 4096,
             QByteArray::number(qint64(r.retryAfterMs)).constData());
}

void TestRateLimiter::scopes() {
    const CallerIdentity aliceOtherSession{"alice", "s2"};
    const CallerIdentity bob{"bob", "s3"};

    const Limit grant = limit("g", LimitWindow::Minute, 1, LimitScope::Grant);
    QVERIFY(take(grant, m_alice));
    QVERIFY(!take(grant, aliceOtherSession)); // same credential, same count
    QVERIFY(take(grant, bob));

    const Limit session = limit("s", LimitWindow::Minute, 1, LimitScope::Session);
    QVERIFY(take(session, m_alice));
    QVERIFY(take(session, aliceOtherSession));
    QVERIFY(!take(session, m_alice));

    const Limit global = limit("x", LimitWindow::Minute, 2, LimitScope::Global);
    QVERIFY(take(global, m_alice));
    QVERIFY(take(global, bob));
    QVERIFY(!take(global, aliceOtherSession));
}

void TestRateLimiter::sharedCounterTakesOneUnit() {
    // all_tools and a tool rule naming the same counter count a call once.
    const Limit a = limit("shared", LimitWindow::Minute, 3);
    const Limit b = limit("shared", LimitWindow::Minute, 2);
    QVERIFY(m_limiter->reserve({&a, &b}, m_alice).granted);
    QCOMPARE(m_limiter->used(a, m_alice), 1);
    QVERIFY(m_limiter->reserve({&a, &b}, m_alice).granted);
    // Now 2 used: the stricter limit (max 2) is full.
    const auto r = m_limiter->reserve({&a, &b}, m_alice);
    QVERIFY(!r.granted);
    QCOMPARE(r.fullIndex, 1);
    // Another tool that names only the looser limit still gets the third unit.
    QVERIFY(m_limiter->reserve({&a}, m_alice).granted);
    QVERIFY(!m_limiter->reserve({&a}, m_alice).granted);
}

void TestRateLimiter::allOrNothing() {
    const Limit roomy = limit("roomy", LimitWindow::Minute, 100);
    const Limit tight = limit("tight", LimitWindow::Minute, 1);
    QVERIFY(take(tight, m_alice));
    const auto r = m_limiter->reserve({&roomy, &tight}, m_alice);
    QVERIFY(!r.granted);
    QCOMPARE(r.fullIndex, 1);
    QVERIFY(r.reservation.empty());
    QCOMPARE(m_limiter->used(roomy, m_alice), 0); // nothing taken from the counter with room
}

void TestRateLimiter::releaseGivesUnitBack() {
    const Limit l = limit("c", LimitWindow::Minute, 1);
    const Limit other = limit("o", LimitWindow::Minute, 5);
    const auto r = m_limiter->reserve({&l, &other}, m_alice);
    QVERIFY(r.granted);
    QCOMPARE(r.reservation.holds.size(), std::size_t(2));
    QVERIFY(!take(l, m_alice));
    m_clock->advance(1000);
    m_limiter->release(r.reservation);
    QCOMPARE(m_limiter->used(l, m_alice), 0);
    QCOMPARE(m_limiter->used(other, m_alice), 0);
    QVERIFY(take(l, m_alice));
}

void TestRateLimiter::releaseAfterExpiryIsHarmless() {
    const Limit l = limit("c", LimitWindow::Second, 1);
    const auto first = m_limiter->reserve({&l}, m_alice);
    m_clock->advance(1500);
    QVERIFY(take(l, m_alice));             // a new unit in a new window
    m_limiter->release(first.reservation); // must not free the new unit
    QCOMPARE(m_limiter->used(l, m_alice), 1);
    QVERIFY(!take(l, m_alice));
}

void TestRateLimiter::largeMaxUsesBoundedMemory() {
    const Limit l = limit("big", LimitWindow::Minute, 1'000'000'000);
    for (int i = 0; i < 100'000; ++i) {
        QVERIFY(take(l, m_alice));
        m_clock->advance(1);
    }
    // Exactly the last minute's units, plus at most one bucket (60 000 / 4096 ms) held longer.
    const auto used = m_limiter->used(l, m_alice);
    QVERIFY2(used >= 60'000 && used <= 60'000 + 60'000 / 4096,
             QByteArray::number(qint64(used)).constData());
}

void TestRateLimiter::idleCountersAreSwept() {
    const Limit l = limit("c", LimitWindow::Second, 10, LimitScope::Session);
    for (int i = 0; i < 5000; ++i) {
        const std::string session = "session-" + std::to_string(i);
        QVERIFY(take(l, CallerIdentity{"alice", session}));
        m_clock->advance(10);
    }
    // Sessions older than the window were dropped by the periodic sweep.
    QVERIFY2(m_store->counterCount() < 5000,
             QByteArray::number(qulonglong(m_store->counterCount())).constData());
}

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "test_ratelimiter.moc"
