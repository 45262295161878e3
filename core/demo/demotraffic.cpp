#include "demo/demotraffic.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace portcullis {

using json = nlohmann::json;

namespace {

// The JSON-RPC message in a reply: a JSON body, or the last `data:` event of an SSE body that
// carries a response (progress notifications come before it).
json messageOf(const QByteArray& body) {
    json parsed = json::parse(body.constData(), body.constData() + body.size(), nullptr, false);
    if (!parsed.is_discarded())
        return parsed;
    json last;
    for (const QByteArray& line : body.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (!trimmed.startsWith("data:"))
            continue;
        const QByteArray data = trimmed.mid(5).trimmed();
        json event = json::parse(data.constData(), data.constData() + data.size(), nullptr, false);
        if (!event.is_discarded() && (event.contains("result") || event.contains("error")))
            last = std::move(event);
    }
    return last;
}

} // namespace

DemoTraffic::DemoTraffic(QUrl endpoint, QString token, QObject* parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_token(std::move(token))
    , m_network(new QNetworkAccessManager(this)) {}

DemoTraffic::~DemoTraffic() = default;

std::vector<DemoTraffic::Call> DemoTraffic::script() {
    const json service = {{"cluster", "demo"}, {"service_name", "web"}};
    return {
        {"aws_knowledge_aws___search_documentation", {{"search_phrase", "ECS express mode"}}},
        {"wait_for_service_ready", service},
        {"wait_for_service_ready", service},
        {"wait_for_service_ready", service}, // the third poll in a minute is over the limit
        {"ecs_resource_management",
         {{"api_operation", "DeleteService"},
          {"api_params", {{"cluster", "demo"}, {"service", "web"}}}}},
        {"delete_app", {{"app_name", "web"}}},
        {"build_and_push_image_to_ecr", {{"app_name", "web"}, {"app_path", "/srv/web"}}},
    };
}

void DemoTraffic::start() {
    const json initialize = {
        {"jsonrpc", "2.0"},
        {"id", m_nextId++},
        {"method", "initialize"},
        {"params",
         {{"protocolVersion", "2025-06-18"},
          {"capabilities", json::object()},
          {"clientInfo", {{"name", "portcullis-demo-traffic"}, {"version", "1"}}}}}};
    post(initialize, [this](const json& response) {
        if (!response.contains("result")) {
            Q_EMIT failed(tr("The gateway did not accept the demo client: %1")
                              .arg(QString::fromStdString(response.dump())));
            return;
        }
        post({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}, nullptr);
        post({{"jsonrpc", "2.0"}, {"id", m_nextId++}, {"method", "tools/list"}},
             [this](const json& tools) { onTools(tools); });
    });
}

void DemoTraffic::onTools(const json& response) {
    std::vector<std::string> names;
    if (const auto* tools = response.contains("result") ? &response["result"]["tools"] : nullptr;
        tools && tools->is_array()) {
        for (const json& t : *tools) {
            if (t.is_object() && t.contains("name") && t["name"].is_string())
                names.push_back(t["name"].get<std::string>());
        }
    }
    auto exposed = [&names](const std::string& tool) -> std::string {
        for (const std::string& n : names) {
            if (n == tool ||
                (n.size() > tool.size() + 2 &&
                 n.compare(n.size() - tool.size() - 2, std::string::npos, "__" + tool) == 0))
                return n;
        }
        return {};
    };
    int found = 0;
    for (Call& c : script()) {
        std::string name = exposed(c.tool);
        if (!name.empty())
            ++found;
        else
            name = c.tool; // hidden tools are not listed; calling one shows what the agent gets
        m_queue.emplace_back(std::move(name), std::move(c.arguments));
    }
    if (found == 0) {
        Q_EMIT failed(tr("None of the demo server's tools is listed by this workspace's "
                         "servers; open the demo workspace to send demo traffic."));
        return;
    }
    sendNext();
}

void DemoTraffic::sendNext() {
    if (m_next >= m_queue.size())
        return;
    const auto& [name, arguments] = m_queue[m_next++];
    const bool last = m_next == m_queue.size();
    const json call = {{"jsonrpc", "2.0"},
                       {"id", m_nextId++},
                       {"method", "tools/call"},
                       {"params", {{"name", name}, {"arguments", arguments}}}};
    if (last) {
        // The held call: sent, and not waited for; the person decides in the window.
        post(call, [this](const json&) { Q_EMIT finished(); });
        Q_EMIT sent(static_cast<int>(m_queue.size()));
        return;
    }
    post(call, [this](const json&) { sendNext(); });
}

void DemoTraffic::post(const json& message, std::function<void(const json&)> done) {
    QNetworkRequest request(m_endpoint);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json, text/event-stream");
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    request.setRawHeader("MCP-Protocol-Version", "2025-06-18");
    if (!m_session.isEmpty())
        request.setRawHeader("Mcp-Session-Id", m_session);
    // Held calls wait for a person for up to a day.
    request.setTransferTimeout(0);
    const std::string body = message.dump();
    QNetworkReply* reply =
        m_network->post(request, QByteArray(body.data(), static_cast<qsizetype>(body.size())));
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        if (reply->hasRawHeader("Mcp-Session-Id"))
            m_session = reply->rawHeader("Mcp-Session-Id");
        if (reply->error() != QNetworkReply::NoError &&
            reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 0) {
            if (!m_failed) {
                m_failed = true;
                Q_EMIT failed(tr("The gateway could not be reached: %1").arg(reply->errorString()));
            }
            return;
        }
        if (done)
            done(messageOf(reply->readAll()));
    });
}

} // namespace portcullis
