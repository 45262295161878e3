#include "gateway/gatewayhost.h"

#include "risk/riskclassifier.h"

#include <QMetaObject>
#include <QTimer>

namespace portcullis {

void GatewayHost::ThreadStopper::operator()(QThread* t) const {
    t->quit();
    t->wait();
    delete t;
}

GatewayHost::GatewayHost(GatewayService::Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_thread(new QThread) {
    m_thread->setObjectName(QStringLiteral("portcullis-gateway"));
    m_context = new QObject;
    m_context->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_context, &QObject::deleteLater);
    m_thread->start();
}

GatewayHost::~GatewayHost() {
    // Held calls are rejected and the audit log flushed before the thread ends. retire() does
    // this without waiting; deleting a running host waits for it.
    if (m_thread->isRunning()) {
        QMetaObject::invokeMethod(
            m_context,
            [this] {
                if (m_service)
                    m_service->stop();
                m_service.reset();
            },
            Qt::BlockingQueuedConnection);
    }
    m_thread.reset();
}

void GatewayHost::retire() {
    disconnect(this, nullptr, nullptr, nullptr); // nobody hears from a retired gateway
    connect(m_thread.get(), &QThread::finished, this, &QObject::deleteLater);
    post([this] {
        if (m_service)
            m_service->stop();
        m_service.reset();
        QThread::currentThread()->quit();
    });
}

void GatewayHost::post(std::function<void()> work) {
    QMetaObject::invokeMethod(m_context, std::move(work), Qt::QueuedConnection);
}

void GatewayHost::start(PolicySnapshot policy) {
    post([this, policy = std::move(policy)] {
        if (m_service)
            return;
        m_service = std::make_unique<GatewayService>(m_options);
        // Signals of an object on this thread reach the host (on the GUI thread) queued.
        connect(m_service.get(), &GatewayService::callEvents, this, &GatewayHost::callEvents);
        ApprovalQueue& approvals = m_service->approvals();
        connect(&approvals, &ApprovalQueue::callHeld, m_context,
                [this, &approvals](const CallEvent&, std::uint64_t id) {
                    if (const ApprovalQueue::Held* h = approvals.find(id))
                        Q_EMIT callHeld(*h);
                });
        connect(&approvals, &ApprovalQueue::callResolved, this, &GatewayHost::callResolved);
        auto* statsTimer = new QTimer(m_context);
        connect(statsTimer, &QTimer::timeout, m_context, [this] { publishStats(); });
        statsTimer->start(1000);
        connect(m_service.get(), &GatewayService::upstreamStateChanged, m_context,
                [this] { scheduleStatus(); });
        connect(m_service.get(), &GatewayService::toolsChanged, m_context,
                [this] { scheduleStatus(); });
        QString error;
        if (!m_service->start(policy, &error)) {
            m_service.reset();
            Q_EMIT startFailed(error);
            return;
        }
        scheduleStatus();
        Q_EMIT started(m_service->endpoint());
    });
}

void GatewayHost::setPolicy(PolicySnapshot policy) {
    post([this, policy = std::move(policy)] {
        if (m_service)
            m_service->setPolicy(policy);
    });
}

void GatewayHost::decide(std::uint64_t approvalId, ApprovalQueue::Outcome outcome) {
    post([this, approvalId, outcome = std::move(outcome)] {
        if (m_service)
            m_service->decide(approvalId, outcome);
    });
}

void GatewayHost::allowForSession(const std::string& sessionId, const std::string& server,
                                  const std::string& tool) {
    post([this, sessionId, server, tool] {
        if (m_service)
            m_service->router().allowForSession(sessionId, server, tool);
    });
}

void GatewayHost::publishStats() {
    if (!m_service)
        return;
    GatewayStats now;
    now.sessions = m_service->sessionCount();
    if (now == m_stats)
        return;
    m_stats = now;
    Q_EMIT statsChanged(now);
}

void GatewayHost::restartUpstream(const std::string& key) {
    post([this, key] {
        if (!m_service)
            return;
        for (const auto& u : m_service->upstreams()) {
            if (u->name().toStdString() == key) {
                u->stop();
                u->start();
            }
        }
    });
}

void GatewayHost::scheduleStatus() {
    // Several upstreams report at start-up in one burst; one status covers them all.
    if (m_statusScheduled)
        return;
    m_statusScheduled = true;
    QMetaObject::invokeMethod(
        m_context, [this] { publishStatus(); }, Qt::QueuedConnection);
}

void GatewayHost::publishStatus() {
    m_statusScheduled = false;
    if (!m_service)
        return;
    const RiskClassifier classifier;
    std::vector<UpstreamStatus> out;
    for (const auto& u : m_service->upstreams()) {
        UpstreamStatus s;
        s.key = u->name().toStdString();
        s.state = u->state();
        s.lastError = u->lastError();
        s.transport = u->describe();
        const ServerConfig* config = m_options.servers.find(s.key);
        RiskContext context;
        context.trustedServer = config && config->trusted;
        for (const nlohmann::json& tool : u->tools())
            s.tools.push_back({tool, classifier.classify(tool, context)});
        out.push_back(std::move(s));
    }
    Q_EMIT upstreamsChanged(out);
}

} // namespace portcullis
