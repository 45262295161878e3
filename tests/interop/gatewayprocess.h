#pragma once

#include <QNetworkAccessManager>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <memory>

// A real `portcullis-gateway serve` for interop tests: writes the workspace, starts the gateway,
// waits for its "listening on" line, and stops it (SIGTERM, then SIGKILL) when destroyed, so no
// process outlives the test.
class GatewayProcess final {
public:
    static constexpr const char* kToken = "interop-test-token";

    GatewayProcess();
    ~GatewayProcess();

    // false with a message in error() when the gateway did not come up within 15 s.
    bool start(const nlohmann::json& servers, const QByteArray& policy);
    // start() with portcullis-demo-server as the one upstream, returning once its tools are
    // listed (the upstream starts in the background).
    bool startWithDemoServer(const QByteArray& policy);
    // SIGTERM and wait; returns the exit code (-1 if it had to be killed).
    int stop();

    QString url() const { return m_url; }
    qint64 pid() const { return m_process.processId(); }
    QString error() const { return m_error; }
    QString path(const QString& name) const { return m_dir.filePath(name); }

    nlohmann::json adminGet(const QString& path);
    int adminPost(const QString& path, const nlohmann::json& body);

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QString m_url;
    QString m_error;
    QNetworkAccessManager m_http;
};

struct ClientRun {
    int exitCode = -1;
    nlohmann::json output;
    QByteArray outputText; // as printed, keys in the order the client received them
    QString err;
};

// The reference SDK client (tests/interop/sdk-client.mjs) against a Streamable HTTP URL.
std::unique_ptr<QProcess> startSdkClient(const QString& url, const QStringList& options);
ClientRun finishSdkClient(QProcess& p);
ClientRun runSdkClient(const QString& url, const QStringList& options);
