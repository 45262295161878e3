#include "gatewayprocess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <sys/prctl.h>

using nlohmann::json;

namespace {

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QProcessEnvironment withToken() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTCULLIS_TOKEN"), QString::fromLatin1(GatewayProcess::kToken));
    return env;
}

} // namespace

GatewayProcess::GatewayProcess() = default;

GatewayProcess::~GatewayProcess() {
    stop();
}

bool GatewayProcess::start(const json& servers, const QByteArray& policy) {
    if (!m_dir.isValid() ||
        !writeFile(path(QStringLiteral("servers.json")),
                   QByteArray::fromStdString(servers.dump())) ||
        !writeFile(path(QStringLiteral("policy.json")), policy)) {
        m_error = QStringLiteral("cannot write the workspace");
        return false;
    }
    m_process.setProcessEnvironment(withToken());
    // Even if this test crashes, the gateway (and through it its upstreams) does not outlive it.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process.start(QStringLiteral(PORTCULLIS_GATEWAY_EXE),
                    {QStringLiteral("serve"), QStringLiteral("--servers"),
                     path(QStringLiteral("servers.json")), QStringLiteral("--policy"),
                     path(QStringLiteral("policy.json")), QStringLiteral("--audit"),
                     path(QStringLiteral("audit.jsonl")), QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:0")});
    QByteArray out;
    const QDeadlineTimer deadline(15'000);
    while (!out.contains('\n') && !deadline.hasExpired() &&
           m_process.state() != QProcess::NotRunning) {
        m_process.waitForReadyRead(200);
        out += m_process.readAllStandardOutput();
    }
    const QByteArray line = out.left(out.indexOf('\n'));
    if (!line.startsWith("listening on http://127.0.0.1:")) {
        m_error =
            QStringLiteral("no listening line: %1 %2")
                .arg(QString::fromUtf8(line), QString::fromUtf8(m_process.readAllStandardError()));
        return false;
    }
    m_url = QString::fromUtf8(line.mid(int(sizeof("listening on ")) - 1));
    return true;
}

bool GatewayProcess::startWithDemoServer(const QByteArray& policy) {
    const json servers = {
        {"mcpServers",
         {{"demo", {{"command", PORTCULLIS_DEMO_SERVER_EXE}, {"args", json::array()}}}}}};
    if (!start(servers, policy))
        return false;
    const QDeadlineTimer deadline(15'000);
    while (adminGet(QStringLiteral("/admin/tools")).size() < 10) {
        if (deadline.hasExpired()) {
            m_error = QStringLiteral("the demo server's tools were not listed within 15 s");
            return false;
        }
        QTest::qWait(100);
    }
    return true;
}

int GatewayProcess::stop() {
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    m_process.terminate();
    if (!m_process.waitForFinished(15'000)) {
        m_process.kill();
        m_process.waitForFinished(5'000);
        return -1;
    }
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

json GatewayProcess::adminGet(const QString& adminPath) {
    QUrl url(m_url);
    url.setPath(adminPath);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", QByteArray("Bearer ") + kToken);
    std::unique_ptr<QNetworkReply> reply(m_http.get(request));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    if (!done.wait(10'000) || reply->error() != QNetworkReply::NoError)
        return json();
    const QByteArray body = reply->readAll();
    const json parsed = json::parse(body.begin(), body.end(), nullptr, false);
    return parsed.is_discarded() ? json() : parsed;
}

int GatewayProcess::adminPost(const QString& adminPath, const json& body) {
    QUrl url(m_url);
    url.setPath(adminPath);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", QByteArray("Bearer ") + kToken);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    std::unique_ptr<QNetworkReply> reply(
        m_http.post(request, QByteArray::fromStdString(body.dump())));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    if (!done.wait(10'000))
        return -1;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

std::unique_ptr<QProcess> startSdkClient(const QString& url, const QStringList& options) {
    auto p = std::make_unique<QProcess>();
    p->setProcessEnvironment(withToken());
    p->start(QStringLiteral(PORTCULLIS_NODE_EXE),
             QStringList{QStringLiteral(PORTCULLIS_SDK_CLIENT)} + options +
                 QStringList{QStringLiteral("http"), url});
    return p;
}

ClientRun finishSdkClient(QProcess& p) {
    ClientRun r;
    // waitForFinished() is false for a process that already ended while the test's event loop
    // ran, so ask whether it still runs first.
    if (p.state() != QProcess::NotRunning && !p.waitForFinished(30'000)) {
        p.kill();
        p.waitForFinished(5'000);
        r.err = QStringLiteral("client timed out");
        return r;
    }
    r.exitCode = p.exitCode();
    r.err = QString::fromUtf8(p.readAllStandardError());
    const QByteArray out = p.readAllStandardOutput();
    r.outputText = out;
    const json parsed = json::parse(out.begin(), out.end(), nullptr, false);
    r.output = parsed.is_discarded() ? json::object() : parsed;
    return r;
}

ClientRun runSdkClient(const QString& url, const QStringList& options) {
    auto p = startSdkClient(url, options);
    return finishSdkClient(*p);
}
