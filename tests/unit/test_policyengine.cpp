#include "policy/memorycounterstore.h"
#include "policy/policyengine.h"
#include "policy/policyio.h"

#include <QTest>

using namespace portcullis;
using nlohmann::json;

namespace {

// One policy exercises every step; each row calls one tool.
const char* const kPolicy = R"json({
  "version": "1",
  "default": "deny",
  "hide": ["detach_user_policy"],
  "all_tools": { "limits": [ { "counter": "all", "window": "minute", "max": 1000, "scope": "global" } ] },
  "tools": {
    "list_clusters": {},
    "put_user_policy": { "action": "deny", "reason": "IAM changes go through the platform team" },
    "put_role_policy": { "action": "deny" },
    "ecs_resource_management": {
      "require":    [ { "path": "args.api_operation", "op": "exists", "value": true } ],
      "deny_if":    [ { "path": "args.api_operation", "op": "regex", "value": "^Delete" },
                      { "path": "args.api_params.force", "op": "eq", "value": true } ],
      "approve_if": [ { "path": "args.api_operation", "op": "regex", "value": "^(Create|Update)" } ],
      "limits":     [ { "counter": "ecs_rate", "window": "minute", "max": 1000, "scope": "grant" } ],
      "approval":   { "timeout_s": 30, "on_timeout": "allow" }
    },
    "scale": {
      "require": [ { "path": "args.count", "op": "lte", "value": 10 } ],
      "reason": "at most 10 at once"
    },
    "delete_app": { "action": "approve" },
    "tight": { "limits": [ { "counter": "tight", "window": "minute", "max": 1 } ] }
  },
  "servers": {
    "iam": {
      "default": "allow",
      "hide": ["delete_user"],
      "tools": { "list_clusters": { "action": "deny", "reason": "not on iam" } }
    },
    "open": { "all_tools": { "limits": [ { "counter": "open", "window": "minute", "max": 1 } ] } }
  }
})json";

} // namespace

class TestPolicyEngine final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void decisionOrder_data();
    void decisionOrder();
    void hiddenByWildcard();
    void rateLimitedNamesTheLimitAndReleasesNothing();
    void approvalKeepsReservation();
    void sectionAllToolsLimitsReplaceTopLevel();
    void countersSurvivePolicySwap();
    void snapshotsAreImmutableAcrossThreads();

private:
    PolicySnapshot m_policy;
    std::shared_ptr<ManualClock> m_clock;
    std::unique_ptr<RateLimiter> m_limiter;
    std::unique_ptr<PolicyEngine> m_engine;

    PolicyDecision call(const char* server, const char* tool, const json& args = json::object()) {
        ToolCall c;
        c.server = server;
        c.tool = tool;
        c.arguments = &args;
        c.caller = {"grant-1", "session-1"};
        return m_engine->decide(*m_policy, c);
    }
};

void TestPolicyEngine::initTestCase() {
    auto r = PolicyIo::parse(kPolicy);
    QVERIFY(r.ok());
    m_policy = std::make_shared<const Policy>(std::move(*r.policy));
}

void TestPolicyEngine::init() {
    m_clock = std::make_shared<ManualClock>();
    m_limiter = std::make_unique<RateLimiter>(std::make_shared<MemoryCounterStore>(), m_clock);
    m_engine = std::make_unique<PolicyEngine>(*m_limiter);
}

void TestPolicyEngine::decisionOrder_data() {
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("arguments");
    QTest::addColumn<QString>("decision");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("reason");

    auto row = [](const char* name, const char* server, const char* tool, const char* args,
                  const char* decision, const char* rule, const char* reason) {
        QTest::newRow(name) << QString::fromUtf8(server) << QString::fromUtf8(tool)
                            << QString::fromUtf8(args) << QString::fromUtf8(decision)
                            << QString::fromUtf8(rule) << QString::fromUtf8(reason);
    };
    // 1. hidden wins over everything, even a rule that would allow.
    row("1 hidden", "ecs", "detach_user_policy", "{}", "hidden", "hide",
        "Unknown tool: detach_user_policy");
    row("1 hidden in section", "iam", "delete_user", "{}", "hidden", "servers.iam.hide",
        "Unknown tool: delete_user");
    // 2. not listed under default deny.
    row("2 default deny", "ecs", "create_cluster", "{}", "deny", "default",
        "not permitted by policy");
    row("2 section default allow", "iam", "create_user", "{}", "allow", "default", "");
    // 3. action deny, with and without a reason.
    row("3 action deny reason", "ecs", "put_user_policy", "{}", "deny",
        "tools.put_user_policy.action", "IAM changes go through the platform team");
    row("3 action deny no reason", "ecs", "put_role_policy", "{}", "deny",
        "tools.put_role_policy.action", "tool is denied");
    row("3 section rule replaces top rule", "iam", "list_clusters", "{}", "deny",
        "servers.iam.tools.list_clusters.action", "not on iam");
    // 4. require fails / deny_if holds.
    row("4 require missing arg", "ecs", "ecs_resource_management", "{}", "deny",
        "tools.ecs_resource_management.require[0]",
        "required condition not met: args.api_operation exists true");
    row("4 require lte fails", "ecs", "scale", R"({"count":11})", "deny", "tools.scale.require[0]",
        "at most 10 at once");
    row("4 require missing is deny", "ecs", "scale", "{}", "deny", "tools.scale.require[0]",
        "at most 10 at once");
    row("4 deny_if first", "ecs", "ecs_resource_management", R"({"api_operation":"DeleteCluster"})",
        "deny", "tools.ecs_resource_management.deny_if[0]",
        "arguments match a deny rule: args.api_operation regex ^Delete");
    row("4 deny_if second", "ecs", "ecs_resource_management",
        R"({"api_operation":"CreateService","api_params":{"force":true}})", "deny",
        "tools.ecs_resource_management.deny_if[1]",
        "arguments match a deny rule: args.api_params.force eq true");
    // 6. approval.
    row("6 approve_if", "ecs", "ecs_resource_management", R"({"api_operation":"CreateCluster"})",
        "approve", "tools.ecs_resource_management.approve_if[0]",
        "needs a human: args.api_operation regex ^(Create|Update)");
    row("6 action approve", "ecs", "delete_app", "{}", "approve", "tools.delete_app.action",
        "every call of this tool needs a human");
    // 7. allow.
    row("7 allow listed", "ecs", "list_clusters", "{}", "allow", "tools.list_clusters", "");
    row("7 allow read op", "ecs", "ecs_resource_management",
        R"({"api_operation":"DescribeClusters"})", "allow", "tools.ecs_resource_management", "");
    row("7 require holds", "ecs", "scale", R"({"count":10})", "allow", "tools.scale", "");
    row("7 no server section", "", "list_clusters", "{}", "allow", "tools.list_clusters", "");
}

void TestPolicyEngine::decisionOrder() {
    QFETCH(QString, server);
    QFETCH(QString, tool);
    QFETCH(QString, arguments);
    QFETCH(QString, decision);
    QFETCH(QString, rule);
    QFETCH(QString, reason);

    const std::string s = server.toStdString();
    const std::string t = tool.toStdString();
    const PolicyDecision d = call(s.c_str(), t.c_str(), json::parse(arguments.toStdString()));
    QCOMPARE(QString::fromUtf8(toString(d.kind)), decision);
    QCOMPARE(QString::fromStdString(d.rule), rule);
    QCOMPARE(QString::fromStdString(d.reason), reason);
    // Only calls that reach the limit step hold units.
    const bool reachedLimits =
        d.kind == DecisionKind::Allow || d.kind == DecisionKind::NeedsApproval;
    QCOMPARE(!d.reservation.empty(), reachedLimits);
}

void TestPolicyEngine::hiddenByWildcard() {
    auto r = PolicyIo::parse(R"({"version":"1","default":"allow","hide":["*"],"tools":{"a":{}}})");
    QVERIFY(r.ok());
    ToolCall c;
    c.tool = "a";
    const auto d = m_engine->decide(*r.policy, c);
    QCOMPARE(d.kind, DecisionKind::Hidden);
    QVERIFY(PolicyEngine::isHidden(*r.policy, "", "anything"));
    QVERIFY(!PolicyEngine::isHidden(*m_policy, "ecs", "list_clusters"));
    QVERIFY(PolicyEngine::isHidden(*m_policy, "iam", "delete_user"));
    QVERIFY(!PolicyEngine::isHidden(*m_policy, "ecs", "delete_user"));
}

void TestPolicyEngine::rateLimitedNamesTheLimitAndReleasesNothing() {
    QCOMPARE(call("ecs", "tight").kind, DecisionKind::Allow);
    m_clock->advance(20'000);
    const PolicyDecision d = call("ecs", "tight");
    QCOMPARE(d.kind, DecisionKind::RateLimited);
    QCOMPARE(d.rule, std::string("tools.tight.limits[0]"));
    QCOMPARE(d.retryAfterS, 40);
    QCOMPARE(d.reason, std::string("rate limit reached: at most 1 call per minute (counter tight, "
                                   "per grant); retry in 40 s"));
    QVERIFY(d.reservation.empty());
    // The refused call took nothing from the global counter it passed.
    Limit all;
    all.counter = "all";
    all.scope = LimitScope::Global;
    QCOMPARE(m_limiter->used(all, {"grant-1", "session-1"}), 1);
}

void TestPolicyEngine::approvalKeepsReservation() {
    const PolicyDecision d =
        call("ecs", "ecs_resource_management", json{{"api_operation", "UpdateService"}});
    QCOMPARE(d.kind, DecisionKind::NeedsApproval);
    QCOMPARE(d.approval.timeoutS, 30);
    QCOMPARE(d.approval.onTimeout, TimeoutAction::Allow);
    QCOMPARE(d.reservation.holds.size(), std::size_t(2));
    // A rejection gives the units back.
    m_limiter->release(d.reservation);
    Limit ecs;
    ecs.counter = "ecs_rate";
    QCOMPARE(m_limiter->used(ecs, {"grant-1", "session-1"}), 0);
}

void TestPolicyEngine::sectionAllToolsLimitsReplaceTopLevel() {
    const auto first = call("open", "list_clusters");
    QCOMPARE(first.kind, DecisionKind::Allow);
    const auto second = call("open", "list_clusters");
    QCOMPARE(second.kind, DecisionKind::RateLimited);
    QCOMPARE(second.rule, std::string("servers.open.all_tools.limits[0]"));
}

void TestPolicyEngine::countersSurvivePolicySwap() {
    QCOMPARE(call("ecs", "tight").kind, DecisionKind::Allow);
    // A new snapshot, e.g. after an edit that touched another tool.
    auto r = PolicyIo::parse(
        R"({"version":"1","default":"deny","tools":{"other":{},"tight":{"limits":[{"counter":"tight","window":"minute","max":1}]}}})");
    QVERIFY(r.ok());
    m_policy = std::make_shared<const Policy>(std::move(*r.policy));
    QCOMPARE(call("ecs", "tight").kind, DecisionKind::RateLimited);
    initTestCase(); // restore the shared policy for later tests
}

void TestPolicyEngine::snapshotsAreImmutableAcrossThreads() {
    // The gateway reads a snapshot while the editor publishes a new one: readers keep theirs.
    PolicySnapshot held = m_policy;
    auto r = PolicyIo::parse(R"({"version":"1","default":"allow"})");
    PolicySnapshot replacement = std::make_shared<const Policy>(std::move(*r.policy));
    std::atomic_store(&m_policy, replacement);
    QCOMPARE(held->defaultAction(), DefaultAction::Deny);
    QCOMPARE(std::atomic_load(&m_policy)->defaultAction(), DefaultAction::Allow);
    m_policy = held;
}

QTEST_GUILESS_MAIN(TestPolicyEngine)
#include "test_policyengine.moc"
