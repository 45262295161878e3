#include "gateway/gatewayservice.h"
#include "policy/policyio.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <memory>

using namespace portcullis;
using nlohmann::json;

namespace {

constexpr const char* kToken = "sessions-test-token";

// The HTTP side of sessions, in process: a gateway with no upstreams is enough, since what is
// tested is when sessions end.
class SessionClient final {
public:
    explicit SessionClient(QUrl url)
        : m_url(std::move(url)) {}

    // POST one message; returns the status, and the session id of an initialize.
    int post(const QByteArray& body, const QByteArray& session, QByteArray* newSession = nullptr) {
        QNetworkReply* reply = m_http.post(request(session), body);
        wait(reply);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (newSession)
            *newSession = reply->rawHeader("Mcp-Session-Id");
        reply->deleteLater();
        return status;
    }
    QByteArray initialize() {
        QByteArray session;
        const int status = post(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{
            "protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})",
                                {}, &session);
        return status == 200 ? session : QByteArray();
    }
    int list(const QByteArray& session) {
        return post(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", session);
    }
    // Opens the session's GET stream and leaves it open (until the client is destroyed).
    void openStream(const QByteArray& session) {
        QNetworkRequest r = request(session);
        r.setRawHeader("Accept", "text/event-stream");
        QNetworkReply* reply = m_http.get(r);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::metaDataChanged, &loop, &QEventLoop::quit);
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        loop.exec();
    }

private:
    QNetworkRequest request(const QByteArray& session) const {
        QNetworkRequest r(m_url);
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        r.setRawHeader("Accept", "application/json, text/event-stream");
        r.setRawHeader("Authorization", QByteArrayLiteral("Bearer ") + kToken);
        if (!session.isEmpty())
            r.setRawHeader("Mcp-Session-Id", session);
        return r;
    }
    static void wait(QNetworkReply* reply) {
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        loop.exec();
    }

    QUrl m_url;
    QNetworkAccessManager m_http;
};

std::unique_ptr<GatewayService> startGateway(int idleS, std::size_t maxSessions) {
    GatewayService::Options o;
    o.token = QString::fromLatin1(kToken);
    o.sessionIdleS = idleS;
    o.maxSessions = maxSessions;
    auto service = std::make_unique<GatewayService>(o);
    auto policy = PolicyIo::parse(R"({"version":"1","default":"allow"})");
    QString error;
    if (!policy.ok() || !service->start(std::make_shared<const Policy>(*policy.policy), &error))
        return nullptr;
    return service;
}

} // namespace

// HTTP sessions end when a client leaves without DELETE, and their number is bounded.
class TestGatewaySessions final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void idleSessionEnds();
    void sessionWithOpenStreamStays();
    void oldestIdleSessionMakesRoom();
    void tooManyBusySessionsGet503();
};

void TestGatewaySessions::idleSessionEnds() {
    auto gateway = startGateway(1, 100);
    QVERIFY(gateway);
    SessionClient client(gateway->endpoint());
    const QByteArray session = client.initialize();
    QVERIFY(!session.isEmpty());
    QCOMPARE(client.list(session), 200);
    QTest::qWait(2500); // idle for more than its second
    QCOMPARE(client.list(session), 404);
}

void TestGatewaySessions::sessionWithOpenStreamStays() {
    // A client listening on its GET stream is still there, however long it stays quiet.
    auto gateway = startGateway(1, 100);
    QVERIFY(gateway);
    SessionClient client(gateway->endpoint());
    const QByteArray session = client.initialize();
    QVERIFY(!session.isEmpty());
    client.openStream(session);
    QTest::qWait(2500);
    QCOMPARE(client.list(session), 200);
}

void TestGatewaySessions::oldestIdleSessionMakesRoom() {
    auto gateway = startGateway(3600, 2);
    QVERIFY(gateway);
    SessionClient client(gateway->endpoint());
    const QByteArray first = client.initialize();
    QTest::qWait(20); // distinct last-seen times
    const QByteArray second = client.initialize();
    QTest::qWait(20);
    const QByteArray third = client.initialize();
    QVERIFY(!first.isEmpty() && !second.isEmpty() && !third.isEmpty());
    QCOMPARE(client.list(first), 404);
    QCOMPARE(client.list(second), 200);
    QCOMPARE(client.list(third), 200);
}

void TestGatewaySessions::tooManyBusySessionsGet503() {
    auto gateway = startGateway(3600, 2);
    QVERIFY(gateway);
    SessionClient client(gateway->endpoint());
    for (int i = 0; i < 2; ++i) {
        const QByteArray session = client.initialize();
        QVERIFY(!session.isEmpty());
        client.openStream(session);
    }
    QCOMPARE(client.initialize(), QByteArray());
    QCOMPARE(client.post(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})", {}), 503);
}

QTEST_GUILESS_MAIN(TestGatewaySessions)
#include "test_gateway_sessions.moc"
