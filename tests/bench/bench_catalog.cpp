// The catalog as the window shows it: 2 000 tools of 10 servers through ToolCatalogModel, the
// sort/filter proxy and the table. Every figure is given twice where a view is involved: the
// model and proxy alone, and the real CatalogView shown (offscreen), where the time includes the
// table's layout and the repaint of the rows on screen, which is what a user waits for.
#include "policy/policyedit.h"
#include "risk/riskclassifier.h"
#include "risk/starterpolicy.h"
#include "ui/catalog/catalogview.h"
#include "ui/catalog/toolcatalogmodel.h"

#include <QApplication>
#include <QFile>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>

#include <benchmark/benchmark.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace portcullis;
using namespace portcullis::ui;
using nlohmann::json;

namespace {

constexpr int kServers = 10;
constexpr int kToolsPerServer = 200;

// --- 2 000 tool definitions ---------------------------------------------------------------

struct ServerShape {
    const char* key;
    bool trusted; // annotations count as evidence
    std::array<const char*, 8> nouns;
};

const std::array<ServerShape, kServers> kShapes{{
    {"github",
     true,
     {"repository", "issue", "pull_request", "branch", "release", "workflow", "gist", "comment"}},
    {"ecs",
     false,
     {"cluster", "service", "task", "task_definition", "container_instance", "capacity_provider",
      "ecr_image", "load_balancer"}},
    {"iam",
     false,
     {"user", "role", "group", "user_policy", "access_key", "instance_profile", "mfa_device",
      "login_profile"}},
    {"postgres",
     false,
     {"table", "row", "index", "schema", "view", "database", "extension", "replication_slot"}},
    {"slack",
     true,
     {"message", "channel", "reminder", "file", "reaction", "bookmark", "usergroup", "pin"}},
    {"jira",
     false,
     {"ticket", "sprint", "board", "epic", "worklog", "attachment", "version", "filter"}},
    {"stripe",
     false,
     {"payment_intent", "customer", "invoice", "subscription", "refund", "payout", "price",
      "coupon"}},
    {"kubernetes",
     true,
     {"pod", "deployment", "namespace", "configmap", "secret", "cronjob", "ingress",
      "persistent_volume"}},
    {"s3",
     false,
     {"bucket", "object", "bucket_policy", "lifecycle_rule", "multipart_upload", "access_point",
      "inventory", "object_lock"}},
    {"filesystem",
     false,
     {"file", "directory", "symlink", "archive", "permission", "snapshot", "watch", "mount"}},
}};

enum class Verb {
    Get,
    List,
    Describe,
    Search,
    Create,
    Update,
    Put,
    Delete,
    Remove,
    Run,
    Send,
    Pay
};

struct VerbShape {
    Verb verb;
    const char* word;
};

const std::array<VerbShape, 12> kVerbs{{
    {Verb::Get, "get"},
    {Verb::List, "list"},
    {Verb::Describe, "describe"},
    {Verb::Search, "search"},
    {Verb::Create, "create"},
    {Verb::Update, "update"},
    {Verb::Put, "put"},
    {Verb::Delete, "delete"},
    {Verb::Remove, "remove"},
    {Verb::Run, "run"},
    {Verb::Send, "send"},
    {Verb::Pay, "charge"},
}};

// After every verb and noun has been used once, names go on with a qualifier, as real servers
// do (list_tasks, list_tasks_by_tag, ...).
const std::array<const char*, 3> kQualifiers{{"", "_by_tag", "_batch"}};

std::string readable(std::string s) {
    for (char& c : s) {
        if (c == '_')
            c = ' ';
    }
    return s;
}

json property(const char* type, const std::string& description) {
    return json{{"type", type}, {"description", description}};
}

json definitionFor(const ServerShape& server, const VerbShape& v, const std::string& noun,
                   const char* qualifier, int n) {
    const std::string thing = readable(noun);
    std::string name = std::string(v.word) + "_" + noun;
    if (v.verb == Verb::List || v.verb == Verb::Search)
        name += "s";
    name += qualifier;

    json props = json::object();
    json required = json::array();
    props["region"] = property("string", "Region or location of the " + thing + ".");
    props["region"]["enum"] = json::array({"us-east-1", "eu-west-1", "ap-southeast-2"});
    std::string description;
    switch (v.verb) {
    case Verb::Get:
    case Verb::Describe:
        description = "Returns one " + thing + " of " + server.key +
                      " by its identifier, with its metadata, tags and current status.";
        props[noun + "_id"] = property("string", "Identifier of the " + thing + ".");
        props["include_history"] = property("boolean", "Also return the change history.");
        required.push_back(noun + "_id");
        break;
    case Verb::List:
    case Verb::Search:
        description = "Lists the " + thing +
                      "s the credentials can see, newest first. Results "
                      "are paginated: pass next_token from the previous page to continue.";
        props["query"] = property("string", "Text to match against the " + thing + " name.");
        props["max_results"] = property("integer", "At most this many results (1-100).");
        props["max_results"]["minimum"] = 1;
        props["max_results"]["maximum"] = 100;
        props["next_token"] = property("string", "Pagination token from a previous call.");
        props["tags"] = {{"type", "object"},
                         {"description", "Only " + thing + "s with all of these tags."},
                         {"additionalProperties", {{"type", "string"}}}};
        break;
    case Verb::Create:
    case Verb::Put:
        description = "Creates a " + thing + " in " + server.key +
                      " with the given settings, or replaces its configuration when it exists.";
        props["name"] = property("string", "Name of the new " + thing + ".");
        props["settings"] = {{"type", "object"},
                             {"description", "Settings of the " + thing + "."},
                             {"properties",
                              {{"description", property("string", "Free text.")},
                               {"labels", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
        props["dry_run"] = property("boolean", "Validate only; change nothing.");
        required.push_back("name");
        break;
    case Verb::Update:
        description = "Updates the settings of an existing " + thing +
                      ". Fields left out keep their current value.";
        props[noun + "_id"] = property("string", "Identifier of the " + thing + ".");
        props["changes"] = {{"type", "object"}, {"description", "The fields to change."}};
        props["expected_version"] = property("integer", "Fail when the version differs.");
        required.push_back(noun + "_id");
        required.push_back("changes");
        break;
    case Verb::Delete:
    case Verb::Remove:
        description =
            "Permanently deletes the " + thing + " and everything in it. This cannot be undone.";
        props[noun + "_id"] = property("string", "Identifier of the " + thing + " to delete.");
        props["force"] = property("boolean", "Delete even when it is in use.");
        required.push_back(noun + "_id");
        break;
    case Verb::Run:
        description = "Runs a command against the " + thing +
                      " and returns its output. The command runs with the server's credentials.";
        props["command"] = property("string", "The shell command to run.");
        props["args"] = {{"type", "array"}, {"items", {{"type", "string"}}}};
        props["timeout_seconds"] = property("integer", "Stop the command after this long.");
        required.push_back("command");
        break;
    case Verb::Send:
        description = "Sends a notification about the " + thing + " to the given recipients.";
        props["recipients"] = {{"type", "array"}, {"items", {{"type", "string"}}}};
        props["text"] = property("string", "The message.");
        required.push_back("recipients");
        required.push_back("text");
        break;
    case Verb::Pay:
        description = "Charges the customer's card for the " + thing +
                      ". The amount is billed immediately in the given currency.";
        props["amount"] = property("integer", "Amount in the smallest currency unit.");
        props["currency"] = property("string", "Three-letter ISO currency code.");
        props["customer_id"] = property("string", "The customer to bill.");
        required.push_back("amount");
        required.push_back("currency");
        break;
    }

    json tool{{"name", name},
              {"description", description},
              {"inputSchema", {{"type", "object"}, {"properties", props}, {"required", required}}}};
    // Some servers give titles and hints, as the MCP spec allows; most do not.
    if (n % 3 == 0) {
        const bool readOnly = v.verb == Verb::Get || v.verb == Verb::List ||
                              v.verb == Verb::Describe || v.verb == Verb::Search;
        tool["annotations"] = {{"title", readable(name)},
                               {"readOnlyHint", readOnly},
                               {"destructiveHint", v.verb == Verb::Delete}};
    }
    return tool;
}

// Real definitions (the ECS server, IAM policy tools), renamed so each server's copy is its own.
std::vector<json> fixtureTools() {
    std::vector<json> out;
    for (const char* name : {"ecs-mcp-server.tools.json", "aws-policy-tools.json"}) {
        QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/fixtures/") +
                QString::fromUtf8(name));
        if (!f.open(QIODevice::ReadOnly))
            throw std::runtime_error("fixture missing: " + std::string(name));
        const QByteArray bytes = f.readAll();
        const json doc = json::parse(bytes.begin(), bytes.end());
        for (const json& t : doc.at("tools"))
            out.push_back(t);
    }
    return out;
}

// 10 servers of 200 tools each: one in ten is a real definition, the rest generated.
std::vector<std::pair<std::string, std::vector<json>>> definitions() {
    const std::vector<json> real = fixtureTools();
    std::vector<std::pair<std::string, std::vector<json>>> out;
    std::size_t nextReal = 0;
    for (const ServerShape& server : kShapes) {
        std::vector<json> tools;
        int generated = 0;
        for (int i = 0; i < kToolsPerServer; ++i) {
            if (i % 10 == 9) {
                json t = real[nextReal++ % real.size()];
                t["name"] = t["name"].get<std::string>() + "_" + server.key;
                tools.push_back(std::move(t));
                continue;
            }
            const auto& verb = kVerbs[static_cast<std::size_t>(generated) % kVerbs.size()];
            const int round = generated / static_cast<int>(kVerbs.size());
            const std::string noun =
                server.nouns[static_cast<std::size_t>(round) % server.nouns.size()];
            const char* qualifier =
                kQualifiers[static_cast<std::size_t>(round) / server.nouns.size()];
            tools.push_back(definitionFor(server, verb, noun, qualifier, generated));
            ++generated;
        }
        out.emplace_back(server.key, std::move(tools));
    }
    return out;
}

// --- What the window has once the servers are up -------------------------------------------

struct Catalog {
    std::vector<std::pair<std::string, std::vector<json>>> definitions;
    std::vector<UpstreamStatus> upstreams;      // classified, as GatewayHost reports them
    std::vector<UpstreamStatus> oneToolChanged; // a server changed one tool's description
    std::vector<UpstreamStatus> oneRestarting;  // the same tools, one server restarting
    PolicySnapshot policy;                      // the starter policy for all 2 000 tools
    PolicySnapshot edited;                      // the same with one tool set to need approval
};

RiskContext contextFor(const std::string& server) {
    RiskContext context;
    for (const ServerShape& s : kShapes) {
        if (server == s.key)
            context.trustedServer = s.trusted;
    }
    return context;
}

const Catalog& catalog() {
    static const Catalog c = [] {
        Catalog out;
        out.definitions = definitions();
        const RiskClassifier classifier;
        std::vector<ClassifiedTool> all;
        for (const auto& [key, tools] : out.definitions) {
            UpstreamStatus s;
            s.key = key;
            s.state = UpstreamClient::State::Up;
            s.transport = QStringLiteral("npx -y @example/%1-mcp").arg(QString::fromStdString(key));
            for (const json& t : tools)
                s.tools.push_back({t, classifier.classify(t, contextFor(key))});
            all.insert(all.end(), s.tools.begin(), s.tools.end());
            out.upstreams.push_back(std::move(s));
        }
        out.oneToolChanged = out.upstreams;
        UpstreamStatus& server = out.oneToolChanged[3];
        ClassifiedTool& changed = server.tools[0];
        changed.definition["description"] =
            changed.definition["description"].get<std::string>() + " Now also for views.";
        changed.assessment = classifier.classify(changed.definition, contextFor(server.key));
        out.oneRestarting = out.upstreams;
        out.oneRestarting[5].state = UpstreamClient::State::Restarting;
        out.policy = std::make_shared<const Policy>(starterPolicy(all));
        const std::string tool = out.upstreams[1].tools[0].definition.at("name");
        PolicyEdit::EditResult r =
            PolicyEdit::setKind(*out.policy, {"ecs", tool}, PolicyEdit::RuleKind::NeedsApproval);
        if (!r.ok())
            throw std::runtime_error(r.problem);
        out.edited = std::make_shared<const Policy>(std::move(*r.policy));
        return out;
    }();
    return c;
}

// --- Model and proxy alone, and the real view ----------------------------------------------

// The proxy as CatalogView sets it up (ui/catalog/catalogview.cpp), sorted as the window opens.
void configureLikeCatalogView(QSortFilterProxyModel& proxy, ToolCatalogModel& model) {
    proxy.setSourceModel(&model);
    proxy.setSortRole(ToolCatalogModel::SortRole);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setFilterKeyColumn(-1);
    proxy.setSortCaseSensitivity(Qt::CaseInsensitive);
    proxy.sort(ToolCatalogModel::Risk, Qt::DescendingOrder);
}

struct Headless {
    ToolCatalogModel model;
    QSortFilterProxyModel proxy;

    Headless() {
        model.setPolicy(catalog().policy);
        model.setUpstreams(catalog().upstreams);
        configureLikeCatalogView(proxy, model);
    }
};

// Counts the table's paint events, to show that the timed work includes drawing the rows.
class PaintCounter final : public QObject {
public:
    int paints = 0;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(watched, event);
    }
};

// The catalog pane at about the size it has in a 1280x800 window.
struct Shown {
    ToolCatalogModel model;
    CatalogView view;
    PaintCounter counter;

    explicit Shown(bool filled = true)
        : view(model) {
        model.setPolicy(catalog().policy);
        if (filled)
            model.setUpstreams(catalog().upstreams);
        view.resize(760, 700);
        view.show();
        view.table()->viewport()->installEventFilter(&counter);
        settle();
        counter.paints = 0;
    }

    // Everything the change set off: the view's delayed layout, then the repaint of what is on
    // screen (posted update requests are handled like the event loop would).
    void settle() {
        QCoreApplication::processEvents();
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
};

// Paint events of the table per iteration (at least 1 when the rows were drawn again).
void reportPaints(benchmark::State& state, int paints) {
    state.counters["paints"] = benchmark::Counter(paints, benchmark::Counter::kAvgIterations);
}

void reportRows(benchmark::State& state, int rows) {
    state.counters["rows"] = rows;
}

// --- Classification (gateway thread) ------------------------------------------------------

void BM_Classify2000Tools(benchmark::State& state) {
    const auto& defs = catalog().definitions;
    const RiskClassifier classifier;
    for (auto _ : state) {
        for (const auto& [key, tools] : defs) {
            const RiskContext context = contextFor(key);
            for (const json& t : tools) {
                RiskAssessment a = classifier.classify(t, context);
                benchmark::DoNotOptimize(a);
            }
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kServers *
                            kToolsPerServer);
}

// --- Model reset: the servers report and the catalog is rebuilt ---------------------------

// A fresh model with the policy set, filled with the 2 000 tools (the first report).
void BM_ModelReset(benchmark::State& state) {
    const Catalog& c = catalog();
    for (auto _ : state) {
        state.PauseTiming();
        auto model = std::make_unique<ToolCatalogModel>();
        model->setPolicy(c.policy);
        state.ResumeTiming();
        model->setUpstreams(c.upstreams);
        benchmark::DoNotOptimize(model->rowCount());
        state.PauseTiming();
        model.reset();
        state.ResumeTiming();
    }
    reportRows(state, kServers * kToolsPerServer);
}

// The same with the proxy (sorted by risk, as the window opens) and the table shown.
void BM_ModelResetShown(benchmark::State& state) {
    int paints = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto shown = std::make_unique<Shown>(false);
        state.ResumeTiming();
        shown->model.setUpstreams(catalog().upstreams);
        shown->settle();
        state.PauseTiming();
        paints += shown->counter.paints;
        shown.reset();
        state.ResumeTiming();
    }
    reportPaints(state, paints);
    reportRows(state, kServers * kToolsPerServer);
}

// Later reports while the catalog is filled: the window passes every server again each time.
// Here one server changed the description of one tool (tools/list_changed).
void BM_UpstreamsToolChangedShown(benchmark::State& state) {
    Shown shown;
    bool changed = false;
    for (auto _ : state) {
        changed = !changed;
        shown.model.setUpstreams(changed ? catalog().oneToolChanged : catalog().upstreams);
        shown.settle();
    }
    reportPaints(state, shown.counter.paints);
}

// Here only the state of one server changed (restarting, up again); its tools did not.
void BM_UpstreamsStateOnlyShown(benchmark::State& state) {
    Shown shown;
    bool restarting = false;
    for (auto _ : state) {
        restarting = !restarting;
        shown.model.setUpstreams(restarting ? catalog().oneRestarting : catalog().upstreams);
        shown.settle();
    }
    reportPaints(state, shown.counter.paints);
}

// --- Sort by a column header --------------------------------------------------------------

void BM_Sort(benchmark::State& state, int column) {
    Headless h;
    bool ascending = false;
    for (auto _ : state) {
        ascending = !ascending; // a click on the same header flips the order
        h.proxy.sort(column, ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
        benchmark::DoNotOptimize(h.proxy.rowCount());
    }
}

void BM_SortShown(benchmark::State& state, int column) {
    Shown shown;
    bool ascending = false;
    for (auto _ : state) {
        ascending = !ascending;
        shown.view.table()->sortByColumn(column,
                                         ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
        shown.settle();
    }
    reportPaints(state, shown.counter.paints);
}

// --- Filter: text typed into the filter box -----------------------------------------------

void BM_Filter(benchmark::State& state, const char* text) {
    Headless h;
    const QString filter = QString::fromUtf8(text);
    for (auto _ : state) {
        h.proxy.setFilterFixedString(filter);
        benchmark::DoNotOptimize(h.proxy.rowCount());
        state.PauseTiming();
        h.proxy.setFilterFixedString(QString());
        state.ResumeTiming();
    }
    h.proxy.setFilterFixedString(filter);
    reportRows(state, h.proxy.rowCount());
}

void BM_FilterShown(benchmark::State& state, const char* text) {
    Shown shown;
    QLineEdit* box = shown.view.filterBox();
    const QString filter = QString::fromUtf8(text);
    int paints = 0;
    for (auto _ : state) {
        box->setText(filter);
        shown.settle();
        state.PauseTiming();
        paints += shown.counter.paints;
        box->clear();
        shown.settle();
        shown.counter.paints = 0;
        state.ResumeTiming();
    }
    reportPaints(state, paints);
    box->setText(filter);
    reportRows(state, shown.view.proxy()->rowCount());
}

// Clearing the filter box: every row comes back and is sorted again.
void BM_FilterClearShown(benchmark::State& state) {
    Shown shown;
    QLineEdit* box = shown.view.filterBox();
    int paints = 0;
    for (auto _ : state) {
        state.PauseTiming();
        box->setText(QStringLiteral("delete"));
        shown.settle();
        shown.counter.paints = 0;
        state.ResumeTiming();
        box->clear();
        shown.settle();
        paints += shown.counter.paints;
    }
    reportPaints(state, paints);
}

// --- A policy edit: the rule column of every row is refreshed ------------------------------

void BM_SetPolicy(benchmark::State& state) {
    Headless h;
    bool edited = false;
    for (auto _ : state) {
        edited = !edited;
        h.model.setPolicy(edited ? catalog().edited : catalog().policy);
    }
}

// Shown, sorted by risk (as the window opens) or by the rule column itself, when the proxy has
// to sort again after the change.
void BM_SetPolicyShown(benchmark::State& state, int sortColumn) {
    Shown shown;
    shown.view.table()->sortByColumn(sortColumn, Qt::DescendingOrder);
    shown.settle();
    shown.counter.paints = 0;
    bool edited = false;
    for (auto _ : state) {
        edited = !edited;
        shown.model.setPolicy(edited ? catalog().edited : catalog().policy);
        shown.settle();
    }
    reportPaints(state, shown.counter.paints);
}

} // namespace

BENCHMARK(BM_Classify2000Tools)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ModelReset)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ModelResetShown)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_UpstreamsToolChangedShown)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_UpstreamsStateOnlyShown)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Sort, risk, ToolCatalogModel::Risk)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Sort, tool, ToolCatalogModel::Tool)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Sort, rule, ToolCatalogModel::Rule)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SortShown, risk, ToolCatalogModel::Risk)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SortShown, tool, ToolCatalogModel::Tool)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SortShown, rule, ToolCatalogModel::Rule)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Filter, delete, "delete")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Filter, ecs, "ecs")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Filter, needs_approval, "needs approval")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FilterShown, delete, "delete")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FilterShown, ecs, "ecs")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FilterShown, needs_approval, "needs approval")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FilterClearShown)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SetPolicy)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SetPolicyShown, sortedByRisk, ToolCatalogModel::Risk)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SetPolicyShown, sortedByRule, ToolCatalogModel::Rule)
    ->Unit(benchmark::kMillisecond);

namespace {

QtMessageHandler qtDefaultHandler = nullptr;

// The offscreen platform says so each time a window is shown; it says nothing about the figures.
void quietOffscreen(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.startsWith(QLatin1String("This plugin does not support")))
        return;
    qtDefaultHandler(type, context, message);
}

} // namespace

// Widgets need a QApplication before the first benchmark runs; offscreen unless the caller
// chose a platform (QT_QPA_PLATFORM=xcb shows the table while it is measured).
int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qtDefaultHandler = qInstallMessageHandler(quietOffscreen);
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
