#include "ui/catalog/toolcatalogmodel.h"

#include "policy/policyedit.h"
#include "risk/toolfingerprint.h"

#include <algorithm>
#include <set>

namespace portcullis::ui {

using nlohmann::json;

namespace {

QString str(const std::string& s) {
    return QString::fromStdString(s);
}

QString levelName(RiskLevel level) {
    return QString::fromLatin1(toString(level));
}

bool sameTool(const ClassifiedTool& a, const ClassifiedTool& b) {
    const RiskAssessment& x = a.assessment;
    const RiskAssessment& y = b.assessment;
    return x.category == y.category && x.risk == y.risk && x.confidence == y.confidence &&
           x.rationale == y.rationale && x.fingerprint == y.fingerprint &&
           a.definition == b.definition;
}

bool sameServer(const UpstreamStatus& a, const UpstreamStatus& b) {
    return a.key == b.key &&
           std::equal(a.tools.begin(), a.tools.end(), b.tools.begin(), b.tools.end(), sameTool);
}

// Whether two reports offer the same tools, classified alike. The rows show nothing else of a
// server (not its state), so a report that only changes states changes no row.
bool sameTools(const std::vector<UpstreamStatus>& a, const std::vector<UpstreamStatus>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), sameServer);
}

} // namespace

ToolCatalogModel::ToolCatalogModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_policy(std::make_shared<const Policy>()) {}

int ToolCatalogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ToolCatalogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ToolCatalogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Server:
        return tr("Server");
    case Tool:
        return tr("Tool");
    case Title:
        return tr("Title");
    case Risk:
        return tr("Risk");
    case Category:
        return tr("Category");
    case Confidence:
        return tr("Confidence");
    case Rule:
        return tr("Rule");
    case Changed:
        return tr("Changed");
    default:
        return {};
    }
}

QVariant ToolCatalogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const CatalogRow& r = m_rows[static_cast<std::size_t>(index.row())];
    const RiskAssessment& a = r.assessment;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Server:
            return r.offered ? str(r.server) : tr("(not offered)");
        case Tool:
            return str(r.tool);
        case Title:
            return r.title;
        case Risk:
            return r.offered ? levelName(a.risk) : QString();
        case Category:
            return r.offered ? QString::fromLatin1(toString(a.category)) +
                                   (r.userCategory ? tr(" (yours)") : QString())
                             : QString();
        case Confidence:
            return r.offered && !r.userCategory
                       ? QStringLiteral("%1%").arg(qRound(a.confidence * 100))
                       : QString();
        case Rule:
            return r.rule;
        case Changed:
            return r.changed ? tr("changed") : QString();
        }
        return {};
    case Qt::ToolTipRole:
        if (!r.offered)
            return tr("No connected server offers this tool; its rule is kept in the policy.");
        if (index.column() == Risk || index.column() == Category)
            return str(a.rationale);
        if (index.column() == Changed && r.changed)
            return tr("The server changed this tool's definition since you last reviewed it.");
        return r.description.isEmpty() ? QVariant() : QVariant(r.description.left(500));
    case SortRole:
        switch (index.column()) {
        case Risk:
            return r.offered ? static_cast<int>(a.risk) : -1;
        case Confidence:
            return a.confidence;
        case Changed:
            return r.changed ? 1 : 0;
        default:
            return data(index, Qt::DisplayRole);
        }
    case RiskLevelRole:
        return r.offered ? static_cast<int>(a.risk) : -1;
    case CategoryNameRole:
        return QString::fromLatin1(toString(a.category));
    case OfferedRole:
        return r.offered;
    default:
        return {};
    }
}

int ToolCatalogModel::rowOf(const std::string& server, const std::string& tool) const {
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].tool == tool && (server.empty() || m_rows[i].server == server))
            return static_cast<int>(i);
    }
    return -1;
}

void ToolCatalogModel::setUpstreams(const std::vector<UpstreamStatus>& upstreams) {
    // Every report lists every server; most only say that one changed state. Rebuilding 2 000
    // rows for that (copying each definition twice) took 30 ms and cleared the selection.
    if (sameTools(m_upstreams, upstreams))
        return;
    m_upstreams = upstreams;
    rebuild();
}

void ToolCatalogModel::setWorkspaceState(const WorkspaceState& state) {
    m_state = state;
    rebuild();
}

QString ToolCatalogModel::summary(const CatalogRow& r) const {
    return str(PolicyEdit::ruleSummary(*m_policy, {r.server, r.tool}));
}

void ToolCatalogModel::setPolicy(PolicySnapshot policy) {
    m_policy = std::move(policy);
    // Rules for tools nobody offers have rows of their own: when that set changes, so do rows.
    std::set<std::string> shown;
    for (const CatalogRow& r : m_rows) {
        if (!r.offered)
            shown.insert(r.tool);
    }
    if (shown != unofferedRules()) {
        rebuild();
        return;
    }
    for (CatalogRow& r : m_rows)
        r.rule = summary(r);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, Rule), index(rowCount() - 1, Rule));
}

std::set<std::string> ToolCatalogModel::unofferedRules() const {
    std::set<std::string> out;
    for (const auto& [name, rule] : m_policy->top.tools) {
        if (!m_offeredNames.count(name))
            out.insert(name);
    }
    return out;
}

void ToolCatalogModel::rebuild() {
    beginResetModel();
    m_rows.clear();
    m_offeredNames.clear();
    for (const UpstreamStatus& u : m_upstreams) {
        for (const ClassifiedTool& t : u.tools) {
            CatalogRow r;
            r.server = u.key;
            r.tool = t.definition.value("name", "");
            r.title = str(t.definition.value("title", ""));
            if (r.title.isEmpty()) {
                if (auto a = t.definition.find("annotations");
                    a != t.definition.end() && a->is_object())
                    r.title = str(a->value("title", ""));
            }
            r.description = str(t.definition.value("description", ""));
            r.definition = t.definition;
            r.assessment = t.assessment;
            const std::string key = Workspace::toolKey(r.server, r.tool);
            if (auto o = m_state.categoryOverrides.find(key);
                o != m_state.categoryOverrides.end()) {
                r.userCategory = true;
                r.assessment.category = o->second;
                r.assessment.risk = defaultRisk(o->second);
                r.assessment.confidence = 1.0;
                r.assessment.rationale = "your own label: " + std::string(toString(o->second));
            }
            if (auto seen = m_state.reviewed.find(key); seen != m_state.reviewed.end())
                r.changed = seen->second != r.assessment.fingerprint;
            r.rule = summary(r);
            m_offeredNames.insert(r.tool);
            m_rows.push_back(std::move(r));
        }
    }
    for (const std::string& name : unofferedRules()) {
        CatalogRow r;
        r.tool = name;
        r.offered = false;
        r.rule = summary(r);
        m_rows.push_back(std::move(r));
    }
    endResetModel();
}

} // namespace portcullis::ui
