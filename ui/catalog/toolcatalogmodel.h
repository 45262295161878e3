#pragma once

#include "gateway/gatewayhost.h"
#include "policy/policy.h"
#include "risk/riskclassifier.h"
#include "workspace/workspace.h"

#include <QAbstractTableModel>

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace portcullis::ui {

// One tool an upstream offers, or a rule for a tool no upstream offers (kept, and shown so).
struct CatalogRow {
    std::string server;
    std::string tool;
    QString title;
    QString description;
    nlohmann::json definition; // null when not offered
    RiskAssessment assessment; // with the user's own category applied
    bool userCategory = false;
    QString rule;         // the rule summary, e.g. "allow · 30/min"
    bool changed = false; // the definition differs from the one last reviewed
    bool offered = true;
};

// Every tool of every upstream, one row each, for the catalog table (sorted and filtered
// through a proxy). Rebuilt when the upstreams report; only the rule column changes with the
// policy.
class ToolCatalogModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ToolCatalogModel)

public:
    enum Column { Server, Tool, Risk, Rule, Category, Confidence, Changed, Title, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers where the display text would sort wrongly
        RiskLevelRole,               // int(RiskLevel)
        CategoryNameRole,            // "Execute"
        OfferedRole,                 // bool
    };

    explicit ToolCatalogModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setUpstreams(const std::vector<UpstreamStatus>& upstreams);
    void setPolicy(PolicySnapshot policy);
    void setWorkspaceState(const WorkspaceState& state);

    const CatalogRow& row(int r) const { return m_rows[static_cast<std::size_t>(r)]; }
    int rowOf(const std::string& server, const std::string& tool) const;

private:
    void rebuild();
    QString summary(const CatalogRow& r) const;
    // Tools the policy has a top-level rule for that no upstream offers.
    std::set<std::string> unofferedRules() const;

    std::vector<UpstreamStatus> m_upstreams;
    PolicySnapshot m_policy;
    WorkspaceState m_state;
    std::vector<CatalogRow> m_rows;
    std::set<std::string> m_offeredNames;
};

} // namespace portcullis::ui
