#include "ui/editor/ruleeditor.h"

#include "policy/condition.h"
#include "ui/policydocument.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace portcullis::ui {

using nlohmann::json;
using PolicyEdit::ConditionList;
using PolicyEdit::RuleKind;

namespace {

QString str(const std::string& s) {
    return QString::fromStdString(s);
}

const RuleKind kKinds[] = {RuleKind::Allow, RuleKind::Deny, RuleKind::Hide,
                           RuleKind::NeedsApproval};
const LimitWindow kWindows[] = {LimitWindow::Second, LimitWindow::Minute, LimitWindow::Hour,
                                LimitWindow::Day};
const LimitScope kScopes[] = {LimitScope::Grant, LimitScope::Session, LimitScope::Global};
const ConditionList kLists[] = {ConditionList::Require, ConditionList::DenyIf,
                                ConditionList::ApproveIf};

QString kindLabel(RuleKind k) {
    switch (k) {
    case RuleKind::Allow:
        return RuleEditor::tr("Allow");
    case RuleKind::Deny:
        return RuleEditor::tr("Deny");
    case RuleKind::Hide:
        return RuleEditor::tr("Hide");
    case RuleKind::NeedsApproval:
        return RuleEditor::tr("Needs approval");
    }
    return {};
}

QString listLabel(ConditionList l) {
    switch (l) {
    case ConditionList::Require:
        return RuleEditor::tr("required");
    case ConditionList::DenyIf:
        return RuleEditor::tr("deny if");
    case ConditionList::ApproveIf:
        return RuleEditor::tr("approve if");
    }
    return {};
}

QComboBox* enumCombo(const QStringList& items, int current) {
    auto* box = new QComboBox;
    box->addItems(items);
    box->setCurrentIndex(current);
    return box;
}

QStringList windowNames() {
    QStringList out;
    for (LimitWindow w : kWindows)
        out << QString::fromLatin1(toString(w));
    return out;
}

QStringList scopeNames() {
    QStringList out;
    for (LimitScope s : kScopes)
        out << QString::fromLatin1(toString(s));
    return out;
}

template <typename T, std::size_t N> int indexOf(const T (&values)[N], T v) {
    for (std::size_t i = 0; i < N; ++i) {
        if (values[i] == v)
            return static_cast<int>(i);
    }
    return 0;
}

// The value a person typed, as the JSON the condition compares with: numbers and true/false for
// arguments of those types, a list for in/not_in (comma-separated unless written as JSON), and
// the text itself otherwise (a regex stays a string, even when it looks like a number).
json valueFromText(const QString& text, ConditionOp op, const std::vector<std::string>& types) {
    const std::string raw = text.trimmed().toStdString();
    auto typed = [&](const std::string& item) -> json {
        const bool numeric = std::find(types.begin(), types.end(), "number") != types.end() ||
                             std::find(types.begin(), types.end(), "integer") != types.end();
        const bool boolean = std::find(types.begin(), types.end(), "boolean") != types.end();
        if (numeric || boolean || types.empty()) {
            const json parsed = json::parse(item, nullptr, false);
            if (!parsed.is_discarded() && (parsed.is_number() || parsed.is_boolean()))
                return parsed;
        }
        return item;
    };
    switch (op) {
    case ConditionOp::Exists:
        return raw != "false";
    case ConditionOp::Regex:
        return raw;
    case ConditionOp::In:
    case ConditionOp::NotIn: {
        const json parsed = json::parse(raw, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_array())
            return parsed;
        json list = json::array();
        for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
            list.push_back(typed(part.trimmed().toStdString()));
        return list;
    }
    default:
        return typed(raw);
    }
}

QString textFromValue(const json& value) {
    if (value.is_string())
        return str(value.get<std::string>());
    if (value.is_array()) {
        QStringList parts;
        for (const json& v : value)
            parts << (v.is_string() ? str(v.get<std::string>()) : str(v.dump()));
        return parts.join(QStringLiteral(", "));
    }
    return value.is_null() ? QString() : str(value.dump());
}

} // namespace

RuleEditor::RuleEditor(PolicyDocument& document, QWidget* parent)
    : QWidget(parent)
    , m_doc(document) {
    auto* inner = new QWidget;
    auto* layout = new QVBoxLayout(inner);

    m_toolPart = new QWidget(inner);
    auto* toolLayout = new QVBoxLayout(m_toolPart);
    toolLayout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(m_toolPart);
    m_title->setObjectName(QStringLiteral("ruleTitle"));
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_title->setFont(bold);
    m_description = new QLabel(m_toolPart);
    m_description->setWordWrap(true);
    m_description->setTextFormat(Qt::PlainText);
    toolLayout->addWidget(m_title);
    toolLayout->addWidget(m_description);
    buildKind(m_toolPart);
    toolLayout->addWidget(buildLimits());
    toolLayout->addWidget(buildConditions());
    toolLayout->addWidget(buildApproval());
    auto* reasonForm = new QFormLayout;
    m_reason = new QLineEdit(m_toolPart);
    m_reason->setObjectName(QStringLiteral("ruleReason"));
    m_reason->setPlaceholderText(tr("Told to the agent when the call is refused"));
    connect(m_reason, &QLineEdit::editingFinished, this, &RuleEditor::commitReason);
    reasonForm->addRow(tr("Reason:"), m_reason);
    toolLayout->addLayout(reasonForm);

    layout->addWidget(m_toolPart);
    layout->addWidget(buildPolicyWide());
    layout->addStretch(1);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(inner);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    setSelection({});
}

void RuleEditor::buildKind(QWidget* parent) {
    auto* row = new QHBoxLayout;
    row->setSpacing(0);
    m_kind = new QButtonGroup(this);
    m_kind->setExclusive(true);
    int id = 0;
    for (RuleKind k : kKinds) {
        auto* button = new QPushButton(kindLabel(k), parent);
        button->setCheckable(true);
        button->setObjectName(QStringLiteral("kind_") +
                              QString::fromLatin1(PolicyEdit::toString(k)));
        m_kind->addButton(button, id++);
        row->addWidget(button);
    }
    row->addStretch(1);
    connect(m_kind, &QButtonGroup::idClicked, this,
            [this](int i) { applyKind(kKinds[static_cast<std::size_t>(i)]); });
    static_cast<QVBoxLayout*>(parent->layout())->addLayout(row);
}

QGroupBox* RuleEditor::buildLimits() {
    auto* box = new QGroupBox(tr("Rate limits"), m_toolPart);
    auto* layout = new QVBoxLayout(box);
    m_limits = new QTableWidget(0, 4, box);
    m_limits->setObjectName(QStringLiteral("limitsTable"));
    m_limits->setHorizontalHeaderLabels({tr("Max"), tr("Per"), tr("Counted"), tr("Counter")});
    m_limits->horizontalHeader()->setStretchLastSection(true);
    m_limits->verticalHeader()->hide();
    m_limits->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_limits->setMinimumHeight(90);
    m_limits->setMaximumHeight(140);
    m_limits->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    layout->addWidget(m_limits);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add limit"), box);
    add->setObjectName(QStringLiteral("addLimit"));
    auto* remove = new QPushButton(tr("Remove"), box);
    remove->setObjectName(QStringLiteral("removeLimit"));
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] {
        const PolicyEdit::ToolRef* ref = single();
        if (!ref)
            return;
        const ToolRule* rule = PolicyEdit::ruleOf(m_doc.policy(), *ref);
        std::vector<Limit> limits = rule && rule->limits ? *rule->limits : std::vector<Limit>{};
        Limit l;
        l.max = 30;
        l.window = LimitWindow::Minute;
        l.counter.clear(); // named by the edit
        limits.push_back(l);
        edit(tr("Add a rate limit to %1").arg(str(ref->tool)),
             [&](const Policy& p) { return PolicyEdit::setLimits(p, *ref, limits); });
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_limits->currentRow();
        if (row < 0)
            return;
        m_limits->removeRow(row);
        commitLimits();
    });
    return box;
}

QGroupBox* RuleEditor::buildConditions() {
    auto* box = new QGroupBox(tr("Conditions on the arguments"), m_toolPart);
    auto* layout = new QVBoxLayout(box);
    m_conditions = new QTableWidget(0, 4, box);
    m_conditions->setObjectName(QStringLiteral("conditionsTable"));
    m_conditions->setHorizontalHeaderLabels({tr("When"), tr("Argument"), tr("Test"), tr("Value")});
    m_conditions->horizontalHeader()->setStretchLastSection(true);
    m_conditions->verticalHeader()->hide();
    m_conditions->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_conditions->setMinimumHeight(90);
    m_conditions->setMaximumHeight(160);
    QHeaderView* conditionColumns = m_conditions->horizontalHeader();
    conditionColumns->setSectionResizeMode(QHeaderView::Stretch);
    conditionColumns->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    conditionColumns->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    layout->addWidget(m_conditions);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add condition"), box);
    add->setObjectName(QStringLiteral("addCondition"));
    auto* remove = new QPushButton(tr("Remove"), box);
    remove->setObjectName(QStringLiteral("removeCondition"));
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    // A new row is only on screen until its value is filled in: a condition without one would
    // not load.
    connect(add, &QPushButton::clicked, this,
            [this] { addConditionRow(ConditionList::DenyIf, nullptr); });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_conditions->currentRow();
        if (row < 0)
            return;
        m_conditions->removeRow(row);
        commitConditions();
    });
    return box;
}

QGroupBox* RuleEditor::buildApproval() {
    auto* box = new QGroupBox(tr("Approval"), m_toolPart);
    auto* form = new QFormLayout(box);
    m_timeout = new QSpinBox(box);
    m_timeout->setObjectName(QStringLiteral("approvalTimeout"));
    m_timeout->setRange(1, 24 * 60 * 60);
    m_timeout->setSuffix(tr(" s"));
    m_onTimeout = enumCombo({tr("deny the call"), tr("allow the call")}, 0);
    m_onTimeout->setObjectName(QStringLiteral("approvalOnTimeout"));
    form->addRow(tr("A person has:"), m_timeout);
    form->addRow(tr("When nobody decides:"), m_onTimeout);
    connect(m_timeout, &QSpinBox::editingFinished, this, &RuleEditor::commitApproval);
    connect(m_onTimeout, &QComboBox::activated, this, &RuleEditor::commitApproval);
    return box;
}

QGroupBox* RuleEditor::buildPolicyWide() {
    auto* box = new QGroupBox(tr("Every tool"), this);
    auto* layout = new QVBoxLayout(box);
    auto* form = new QFormLayout;
    m_default = enumCombo(
        {tr("deny (unlisted tools are refused)"), tr("allow (unlisted tools are allowed)")}, 0);
    m_default->setObjectName(QStringLiteral("policyDefault"));
    connect(m_default, &QComboBox::activated, this, &RuleEditor::commitDefault);
    form->addRow(tr("Default:"), m_default);
    layout->addLayout(form);
    m_allLimits = new QTableWidget(0, 4, box);
    m_allLimits->setObjectName(QStringLiteral("allToolsLimits"));
    m_allLimits->setHorizontalHeaderLabels({tr("Max"), tr("Per"), tr("Counted"), tr("Counter")});
    m_allLimits->horizontalHeader()->setStretchLastSection(true);
    m_allLimits->verticalHeader()->hide();
    m_allLimits->setMinimumHeight(80);
    m_allLimits->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    layout->addWidget(new QLabel(tr("Limits on all calls together:"), box));
    layout->addWidget(m_allLimits);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add limit"), box);
    add->setObjectName(QStringLiteral("addAllToolsLimit"));
    auto* remove = new QPushButton(tr("Remove"), box);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] {
        std::vector<Limit> limits =
            m_doc.policy().top.allToolsLimits.value_or(std::vector<Limit>{});
        Limit l;
        l.max = 120;
        l.counter.clear();
        limits.push_back(l);
        edit(tr("Add a limit on all calls"),
             [&](const Policy& p) { return PolicyEdit::setAllToolsLimits(p, {}, limits); });
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_allLimits->currentRow();
        if (row < 0)
            return;
        m_allLimits->removeRow(row);
        commitAllToolsLimits();
    });
    return box;
}

const PolicyEdit::ToolRef* RuleEditor::single() const {
    return m_tools.size() == 1 ? &m_tools.front().ref : nullptr;
}

bool RuleEditor::edit(const QString& description,
                      const std::function<PolicyEdit::EditResult(const Policy&)>& change) {
    QString refused;
    m_doc.apply(description, [&](Policy& policy) -> std::optional<QString> {
        PolicyEdit::EditResult r = change(policy);
        if (!r.ok()) {
            refused = str(r.problem);
            return refused;
        }
        policy = std::move(*r.policy);
        return std::nullopt;
    });
    if (!refused.isEmpty()) {
        Q_EMIT problem(refused);
        return false;
    }
    return true;
}

void RuleEditor::setSelection(std::vector<Selected> tools) {
    m_tools = std::move(tools);
    m_arguments.clear();
    if (m_tools.size() == 1 && m_tools.front().definition.is_object()) {
        const json& def = m_tools.front().definition;
        if (auto schema = def.find("inputSchema"); schema != def.end())
            m_arguments = PolicyEdit::argumentsOf(*schema);
    }
    refresh();
}

void RuleEditor::scheduleRefresh() {
    if (m_refreshPending)
        return;
    m_refreshPending = true;
    QMetaObject::invokeMethod(this, &RuleEditor::refresh, Qt::QueuedConnection);
}

void RuleEditor::refresh() {
    m_refreshPending = false;
    m_updating = true;
    const Policy& policy = m_doc.policy();
    m_toolPart->setEnabled(!m_tools.empty());
    const PolicyEdit::ToolRef* ref = single();
    // Limits, conditions and approval settings belong to one tool; the kind applies to many.
    for (QWidget* w :
         {static_cast<QWidget*>(m_limits->parentWidget()),
          static_cast<QWidget*>(m_conditions->parentWidget()),
          static_cast<QWidget*>(m_timeout->parentWidget()), static_cast<QWidget*>(m_reason)})
        w->setEnabled(ref != nullptr);

    if (m_tools.empty()) {
        m_title->setText(tr("Select a tool to edit its rule"));
        m_description->clear();
    } else if (!ref) {
        m_title->setText(tr("%n tools selected", nullptr, static_cast<int>(m_tools.size())));
        m_description->setText(tr("The choice below applies to all of them."));
    } else {
        const json& def = m_tools.front().definition;
        m_title->setText(ref->server.empty()
                             ? str(ref->tool)
                             : str(ref->server) + QStringLiteral(" · ") + str(ref->tool));
        const QString description =
            def.is_object() ? str(def.value("description", "")) : tr("Not offered by any server.");
        // The first lines say what the tool does; the whole text is in the tooltip.
        const QString firstLines = description.section(QLatin1Char('\n'), 0, 2).trimmed();
        m_description->setText(firstLines.size() > 220 ? firstLines.left(220) + QChar(0x2026)
                                                       : firstLines);
        m_description->setToolTip(description.left(2000));
    }

    // The kind: checked only when every selected tool has the same one.
    std::optional<RuleKind> common;
    bool mixed = false;
    for (const Selected& s : m_tools) {
        const RuleKind k = PolicyEdit::kindOf(policy, s.ref);
        if (common && *common != k)
            mixed = true;
        common = k;
    }
    m_kind->setExclusive(false);
    for (QAbstractButton* b : m_kind->buttons())
        b->setChecked(false);
    if (common && !mixed)
        m_kind->button(indexOf(kKinds, *common))->setChecked(true);
    m_kind->setExclusive(true);

    const ToolRule* rule = ref ? PolicyEdit::ruleOf(policy, *ref) : nullptr;
    fillLimits(m_limits, rule && rule->limits ? *rule->limits : std::vector<Limit>{},
               &RuleEditor::commitLimits);

    m_conditions->setRowCount(0);
    if (rule) {
        const std::optional<std::vector<Condition>>* lists[] = {&rule->require, &rule->denyIf,
                                                                &rule->approveIf};
        for (std::size_t i = 0; i < 3; ++i) {
            if (*lists[i]) {
                for (const Condition& c : **lists[i])
                    addConditionRow(kLists[i], &c);
            }
        }
    }

    const ApprovalSettings approval = rule && rule->approval ? *rule->approval : ApprovalSettings{};
    m_timeout->setValue(approval.timeoutS);
    m_onTimeout->setCurrentIndex(approval.onTimeout == TimeoutAction::Allow ? 1 : 0);
    m_reason->setText(rule && rule->reason ? str(*rule->reason) : QString());

    m_default->setCurrentIndex(policy.defaultAction() == DefaultAction::Allow ? 1 : 0);
    fillLimits(m_allLimits, policy.top.allToolsLimits.value_or(std::vector<Limit>{}),
               &RuleEditor::commitAllToolsLimits);
    m_updating = false;
}

// One row per limit: max, window, scope and counter, each committing `commit` when changed.
void RuleEditor::fillLimits(QTableWidget* table, const std::vector<Limit>& limits,
                            void (RuleEditor::*commit)()) {
    table->setRowCount(0);
    for (const Limit& l : limits) {
        const int row = table->rowCount();
        table->insertRow(row);
        auto* max = new QSpinBox;
        max->setRange(1, 1'000'000'000);
        max->setValue(static_cast<int>(std::min<std::int64_t>(l.max, 1'000'000'000)));
        connect(max, &QSpinBox::editingFinished, this, commit);
        auto* window = enumCombo(windowNames(), indexOf(kWindows, l.window));
        connect(window, &QComboBox::activated, this, commit);
        auto* scope = enumCombo(scopeNames(), indexOf(kScopes, l.scope));
        connect(scope, &QComboBox::activated, this, commit);
        auto* counter = new QLineEdit(str(l.counter));
        connect(counter, &QLineEdit::editingFinished, this, commit);
        table->setCellWidget(row, 0, max);
        table->setCellWidget(row, 1, window);
        table->setCellWidget(row, 2, scope);
        table->setCellWidget(row, 3, counter);
    }
}

void RuleEditor::applyKind(RuleKind kind) {
    if (m_updating || m_tools.empty())
        return;
    std::vector<PolicyEdit::ToolRef> refs;
    for (const Selected& s : m_tools)
        refs.push_back(s.ref);
    const QString what = refs.size() == 1 ? str(refs.front().tool)
                                          : tr("%n tools", nullptr, static_cast<int>(refs.size()));
    if (!edit(tr("%1: %2").arg(kindLabel(kind), what),
              [&](const Policy& p) { return PolicyEdit::setKind(p, refs, kind); }))
        refresh(); // put the buttons back as they were
}

namespace {
std::vector<Limit> limitsOfTable(QTableWidget* table) {
    std::vector<Limit> out;
    for (int row = 0; row < table->rowCount(); ++row) {
        Limit l;
        l.max = static_cast<QSpinBox*>(table->cellWidget(row, 0))->value();
        l.window = kWindows[static_cast<QComboBox*>(table->cellWidget(row, 1))->currentIndex()];
        l.scope = kScopes[static_cast<QComboBox*>(table->cellWidget(row, 2))->currentIndex()];
        l.counter =
            static_cast<QLineEdit*>(table->cellWidget(row, 3))->text().trimmed().toStdString();
        out.push_back(l);
    }
    return out;
}
} // namespace

void RuleEditor::commitLimits() {
    const PolicyEdit::ToolRef* ref = single();
    if (m_updating || !ref)
        return;
    const std::vector<Limit> limits = limitsOfTable(m_limits);
    edit(tr("Rate limits of %1").arg(str(ref->tool)),
         [&](const Policy& p) { return PolicyEdit::setLimits(p, *ref, limits); });
}

void RuleEditor::commitAllToolsLimits() {
    if (m_updating)
        return;
    const std::vector<Limit> limits = limitsOfTable(m_allLimits);
    edit(tr("Limits on all calls"),
         [&](const Policy& p) { return PolicyEdit::setAllToolsLimits(p, {}, limits); });
}

void RuleEditor::addConditionRow(ConditionList list, const Condition* condition) {
    const int row = m_conditions->rowCount();
    m_conditions->insertRow(row);
    QStringList lists;
    for (ConditionList l : kLists)
        lists << listLabel(l);
    auto* when = enumCombo(lists, indexOf(kLists, list));
    auto* argument = new QComboBox;
    argument->setEditable(true); // any path, not only the ones the schema lists
    for (const PolicyEdit::ArgumentChoice& a : m_arguments)
        argument->addItem(str(a.path));
    if (condition)
        argument->setCurrentText(str(condition->path));
    argument->lineEdit()->setCursorPosition(0); // the start of a path says the most
    auto* op = new QComboBox;
    m_conditions->setCellWidget(row, 0, when);
    m_conditions->setCellWidget(row, 1, argument);
    m_conditions->setCellWidget(row, 2, op);
    updateOperatorChoices(row);
    if (condition)
        op->setCurrentText(QString::fromLatin1(toString(condition->op)));
    updateValueEditor(row);
    if (condition) {
        auto* value = static_cast<QComboBox*>(m_conditions->cellWidget(row, 3));
        value->setCurrentText(textFromValue(condition->value));
    }
    connect(when, &QComboBox::activated, this, &RuleEditor::commitConditions);
    connect(argument, &QComboBox::currentTextChanged, this, [this, argument] {
        for (int r = 0; r < m_conditions->rowCount(); ++r) {
            if (m_conditions->cellWidget(r, 1) == argument) {
                updateOperatorChoices(r);
                updateValueEditor(r);
            }
        }
    });
    connect(op, &QComboBox::activated, this, [this, op] {
        for (int r = 0; r < m_conditions->rowCount(); ++r) {
            if (m_conditions->cellWidget(r, 2) == op)
                updateValueEditor(r);
        }
        commitConditions();
    });
}

void RuleEditor::updateOperatorChoices(int row) {
    auto* argument = static_cast<QComboBox*>(m_conditions->cellWidget(row, 1));
    auto* op = static_cast<QComboBox*>(m_conditions->cellWidget(row, 2));
    const std::string path = argument->currentText().trimmed().toStdString();
    PolicyEdit::ArgumentChoice choice;
    choice.path = path;
    for (const PolicyEdit::ArgumentChoice& a : m_arguments) {
        if (a.path == path)
            choice = a;
    }
    const QString previous = op->currentText();
    op->clear();
    for (ConditionOp o : PolicyEdit::operatorsFor(choice))
        op->addItem(QString::fromLatin1(toString(o)));
    if (op->findText(previous) >= 0)
        op->setCurrentText(previous);
}

void RuleEditor::updateValueEditor(int row) {
    // An editable combo for every value: a dropdown of the enum's values when the schema has
    // them, free text otherwise. Committed when editing ends.
    auto* argument = static_cast<QComboBox*>(m_conditions->cellWidget(row, 1));
    auto* previous = static_cast<QComboBox*>(m_conditions->cellWidget(row, 3));
    const QString text = previous ? previous->currentText() : QString();
    auto* value = new QComboBox;
    value->setEditable(true);
    const std::string path = argument->currentText().trimmed().toStdString();
    for (const PolicyEdit::ArgumentChoice& a : m_arguments) {
        if (a.path != path)
            continue;
        for (const json& v : a.values)
            value->addItem(v.is_string() ? str(v.get<std::string>()) : str(v.dump()));
    }
    value->setCurrentText(text);
    connect(value->lineEdit(), &QLineEdit::editingFinished, this, &RuleEditor::commitConditions);
    connect(value, &QComboBox::activated, this, &RuleEditor::commitConditions);
    m_conditions->setCellWidget(row, 3, value);
}

void RuleEditor::commitConditions() {
    const PolicyEdit::ToolRef* ref = single();
    if (m_updating || !ref)
        return;
    std::vector<Condition> lists[3];
    for (int row = 0; row < m_conditions->rowCount(); ++row) {
        const int which = static_cast<QComboBox*>(m_conditions->cellWidget(row, 0))->currentIndex();
        const QString path =
            static_cast<QComboBox*>(m_conditions->cellWidget(row, 1))->currentText();
        const auto* opBox = static_cast<QComboBox*>(m_conditions->cellWidget(row, 2));
        const QString valueText =
            static_cast<QComboBox*>(m_conditions->cellWidget(row, 3))->currentText();
        const auto op = conditionOpFromString(opBox->currentText().toStdString());
        if (!op || path.trimmed().isEmpty())
            return; // not filled in yet
        if (valueText.trimmed().isEmpty() && *op != ConditionOp::Exists)
            return;
        Condition c;
        c.path = path.trimmed().toStdString();
        c.op = *op;
        std::vector<std::string> types;
        for (const PolicyEdit::ArgumentChoice& a : m_arguments) {
            if (a.path == c.path)
                types = a.types;
        }
        c.value = valueFromText(valueText, *op, types);
        lists[which].push_back(std::move(c));
    }
    edit(tr("Conditions of %1").arg(str(ref->tool)), [&](const Policy& p) {
        PolicyEdit::EditResult r{p, {}};
        for (std::size_t i = 0; i < 3 && r.ok(); ++i)
            r = PolicyEdit::setConditions(*r.policy, *ref, kLists[i], lists[i]);
        return r;
    });
}

void RuleEditor::commitApproval() {
    const PolicyEdit::ToolRef* ref = single();
    if (m_updating || !ref)
        return;
    ApprovalSettings a;
    const ToolRule* rule = PolicyEdit::ruleOf(m_doc.policy(), *ref);
    if (rule && rule->approval)
        a = *rule->approval; // keeps its x- extensions
    a.timeoutS = m_timeout->value();
    a.onTimeout = m_onTimeout->currentIndex() == 1 ? TimeoutAction::Allow : TimeoutAction::Deny;
    edit(tr("Approval settings of %1").arg(str(ref->tool)),
         [&](const Policy& p) { return PolicyEdit::setApproval(p, *ref, a); });
}

void RuleEditor::commitReason() {
    const PolicyEdit::ToolRef* ref = single();
    if (m_updating || !ref)
        return;
    const std::string reason = m_reason->text().trimmed().toStdString();
    edit(tr("Reason for %1").arg(str(ref->tool)),
         [&](const Policy& p) { return PolicyEdit::setReason(p, *ref, reason); });
}

void RuleEditor::commitDefault() {
    if (m_updating)
        return;
    const DefaultAction d =
        m_default->currentIndex() == 1 ? DefaultAction::Allow : DefaultAction::Deny;
    edit(tr("Default: %1").arg(QString::fromLatin1(toString(d))),
         [&](const Policy& p) { return PolicyEdit::setDefault(p, {}, d); });
}

} // namespace portcullis::ui
