#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

class QNetworkAccessManager;

namespace portcullis {

// Help > Send demo traffic: an MCP client of its own that calls the demo server's tools through
// the gateway so that one call of each kind shows up in the monitor: allowed, rate-limited,
// denied, hidden, and one held for a person (the strict starter policy decides which is
// which). It speaks Streamable HTTP like any agent, with the workspace's token.
class DemoTraffic final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoTraffic)

public:
    struct Call {
        std::string tool; // the demo server's own name; the exposed name is looked up
        nlohmann::json arguments;
    };

    DemoTraffic(QUrl endpoint, QString token, QObject* parent = nullptr);
    ~DemoTraffic() override;

    // The calls sent, in order; the held one goes last so the others are not behind it.
    static std::vector<Call> script();
    void start();

Q_SIGNALS:
    // All calls were sent and every answer but the held one's has come.
    void sent(int calls);
    // Nothing was sent: the gateway did not answer, or lists none of the demo tools.
    void failed(const QString& error);
    // The held call was answered (approved, rejected or timed out).
    void finished();

private:
    void post(const nlohmann::json& message, std::function<void(const nlohmann::json&)> done);
    void onTools(const nlohmann::json& response);
    void sendNext();

    QUrl m_endpoint;
    QString m_token;
    QByteArray m_session;
    QNetworkAccessManager* m_network = nullptr;
    std::vector<std::pair<std::string, nlohmann::json>> m_queue; // exposed name, arguments
    std::size_t m_next = 0;
    int m_nextId = 1;
    bool m_failed = false;
};

} // namespace portcullis
