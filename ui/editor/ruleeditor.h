#pragma once

#include "policy/policyedit.h"

#include <QWidget>

#include <nlohmann/json.hpp>

#include <vector>

class QButtonGroup;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace portcullis::ui {

class PolicyDocument;

// Edits the rule of the selected tool(s): the kind as one segmented choice, rate limits,
// conditions built from the tool's inputSchema, approval settings and the reason; below, the
// policy-wide default and all_tools limits. Every change is one undoable step on the document.
class RuleEditor final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RuleEditor)

public:
    struct Selected {
        PolicyEdit::ToolRef ref;
        nlohmann::json definition; // null for a rule no server offers
    };

    explicit RuleEditor(PolicyDocument& document, QWidget* parent = nullptr);

    void setSelection(std::vector<Selected> tools);
    // Shows the document's policy (after any edit, undo or reload).
    void refresh();
    // refresh() on the next event-loop pass: an edit may come from a widget that a refresh
    // replaces, and must not delete it under its own signal.
    void scheduleRefresh();

Q_SIGNALS:
    // An edit was refused; the text says why.
    void problem(const QString& text);

private:
    void buildKind(QWidget* parent);
    QGroupBox* buildLimits();
    QGroupBox* buildConditions();
    QGroupBox* buildApproval();
    QGroupBox* buildPolicyWide();

    void applyKind(PolicyEdit::RuleKind kind);
    void commitLimits();
    void commitConditions();
    void commitApproval();
    void commitReason();
    void commitDefault();
    void commitAllToolsLimits();
    void fillLimits(QTableWidget* table, const std::vector<Limit>& limits,
                    void (RuleEditor::*commit)());
    void addConditionRow(PolicyEdit::ConditionList list, const Condition* condition);
    void updateOperatorChoices(int row);
    void updateValueEditor(int row);

    bool edit(const QString& description,
              const std::function<PolicyEdit::EditResult(const Policy&)>& change);
    const PolicyEdit::ToolRef* single() const;

    PolicyDocument& m_doc;
    std::vector<Selected> m_tools;
    std::vector<PolicyEdit::ArgumentChoice> m_arguments;
    bool m_updating = false; // refresh() fills widgets; their change signals must not edit
    bool m_refreshPending = false;

    QLabel* m_title = nullptr;
    QLabel* m_description = nullptr;
    QButtonGroup* m_kind = nullptr;
    QTableWidget* m_limits = nullptr;
    QTableWidget* m_conditions = nullptr;
    QSpinBox* m_timeout = nullptr;
    QComboBox* m_onTimeout = nullptr;
    QLineEdit* m_reason = nullptr;
    QComboBox* m_default = nullptr;
    QTableWidget* m_allLimits = nullptr;
    QWidget* m_toolPart = nullptr;
};

} // namespace portcullis::ui
