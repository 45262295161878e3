#include "ui/approvals/approvalcard.h"

#include "mcp/inputschema.h"
#include "ui/catalog/riskbadgedelegate.h"
#include "ui/preview/jsonhighlighter.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTextDocument>
#include <QVBoxLayout>

#include <algorithm>

namespace portcullis::ui {

namespace {

QPushButton* button(const QString& text, const QString& name, const QString& tip, QWidget* parent) {
    auto* b = new QPushButton(text, parent);
    b->setObjectName(name);
    b->setToolTip(tip);
    // Keys belong to the window's shortcuts, not to whichever button was last clicked.
    b->setFocusPolicy(Qt::NoFocus);
    return b;
}

} // namespace

ApprovalCard::ApprovalCard(ApprovalQueue::Held held, Tool tool, QWidget* parent)
    : QFrame(parent)
    , m_held(std::move(held))
    , m_tool(std::move(tool)) {
    setObjectName(QStringLiteral("approvalCard"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    const CallEvent& e = m_held.event;

    auto* name = new QLabel(
        QStringLiteral("<b>%1</b>").arg(QString::fromStdString(e.tool).toHtmlEscaped()), this);
    name->setObjectName(QStringLiteral("cardTool"));
    name->setToolTip(QString::fromStdString(e.tool));
    // Long tool names give way rather than widen the dock.
    name->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    name->setMinimumWidth(80);
    auto* badge =
        new QLabel(m_tool.riskText.isEmpty() ? tr("UNKNOWN RISK") : m_tool.riskText, this);
    badge->setObjectName(QStringLiteral("cardRisk"));
    const QColor badgeColor = m_tool.riskLevel < 0
                                  ? QColor(0x45, 0x5a, 0x64)
                                  : RiskBadgeDelegate::levelColor(m_tool.riskLevel);
    badge->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; font-weight: bold;"
                                        " border-radius: 8px; padding: 1px 8px; }")
                             .arg(badgeColor.name()));
    auto* title = new QHBoxLayout;
    title->addWidget(name, 1);
    title->addWidget(badge);

    auto* where =
        new QLabel(tr("on %1 · from %2")
                       .arg(QString::fromStdString(e.server).toHtmlEscaped(),
                            QString::fromStdString(
                                e.client.empty() ? std::string("an unnamed client") : e.client)
                                .toHtmlEscaped()),
                   this);
    where->setObjectName(QStringLiteral("cardWhere"));
    if (!e.rule.empty())
        where->setToolTip(tr("Held by rule %1").arg(QString::fromStdString(e.rule)));

    m_arguments = new QPlainTextEdit(this);
    m_arguments->setObjectName(QStringLiteral("cardArguments"));
    m_arguments->setReadOnly(true);
    m_arguments->setFocusPolicy(Qt::ClickFocus);
    m_arguments->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_arguments->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    new JsonHighlighter(m_arguments->document(),
                        m_arguments->palette().color(QPalette::Base).lightness() < 128);
    showArguments(e.arguments);
    m_arguments->setMaximumHeight(compactHeight());
    m_arguments->installEventFilter(this);

    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("cardProblems"));
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("QLabel { color: #b71c1c; }"));
    m_problems->hide();

    m_countdown = new QProgressBar(this);
    m_countdown->setObjectName(QStringLiteral("cardCountdown"));
    m_countdown->setRange(0, std::max(1, m_held.settings.timeoutS));
    m_countdown->setMaximumHeight(m_countdown->fontMetrics().height() + 4);

    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("cardReason"));
    m_reason->setPlaceholderText(tr("Reason for rejecting (optional, sent to the agent)"));
    m_reason->setFocusPolicy(Qt::ClickFocus);

    m_approve =
        button(tr("Approve (A)"), QStringLiteral("cardApprove"), tr("Run the call as shown"), this);
    auto* reject = button(tr("Reject (R)"), QStringLiteral("cardReject"),
                          tr("Answer the agent that a person rejected it"), this);
    m_edit = button(tr("Edit… (E)"), QStringLiteral("cardEdit"),
                    tr("Change the arguments, then run the call with them"), this);
    auto* session = button(tr("Allow for session"), QStringLiteral("cardAllowSession"),
                           tr("Approve, and let this tool run without asking for the rest of "
                              "this MCP session"),
                           this);
    auto* always = button(tr("Always allow"), QStringLiteral("cardAlwaysAllow"),
                          tr("Approve, and change the rule to Allow (undoable)"), this);
    auto* buttons = new QGridLayout;
    buttons->addWidget(m_approve, 0, 0);
    buttons->addWidget(reject, 0, 1);
    buttons->addWidget(m_edit, 0, 2);
    buttons->addWidget(session, 1, 0, 1, 2);
    buttons->addWidget(always, 1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(4);
    layout->addLayout(title);
    layout->addWidget(where);
    layout->addWidget(m_arguments);
    layout->addWidget(m_problems);
    layout->addWidget(m_countdown);
    layout->addWidget(m_reason);
    layout->addLayout(buttons);

    const std::uint64_t id = m_held.id;
    connect(m_approve, &QPushButton::clicked, this, [this, id] {
        if (m_editing)
            Q_EMIT editRequested(id); // "Approve edited": the dock checks and sends
        else
            Q_EMIT approveRequested(id);
    });
    connect(reject, &QPushButton::clicked, this, [this, id] { Q_EMIT rejectRequested(id); });
    connect(m_edit, &QPushButton::clicked, this, [this, id] {
        if (m_editing)
            cancelEditing();
        else
            Q_EMIT editRequested(id);
    });
    connect(session, &QPushButton::clicked, this, [this, id] { Q_EMIT allowSessionRequested(id); });
    connect(always, &QPushButton::clicked, this, [this, id] { Q_EMIT alwaysAllowRequested(id); });
    setSelected(false);
}

void ApprovalCard::showArguments(const nlohmann::json& arguments) {
    m_arguments->setPlainText(QString::fromStdString(
        arguments.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
}

int ApprovalCard::compactHeight() const {
    // As tall as the arguments, up to nine lines; editing lifts the limit.
    const int lines = std::clamp(m_arguments->document()->blockCount(), 2, 9);
    return m_arguments->fontMetrics().lineSpacing() * lines + 14;
}

void ApprovalCard::setSelected(bool selected) {
    m_selected = selected;
    restyle();
}

void ApprovalCard::setTarget(bool target) {
    m_target = target;
    restyle();
}

void ApprovalCard::restyle() {
    // Selected: a solid accent border. The card the keys act on without a selection (the
    // oldest): a dashed one, so a person sees which call A would approve.
    const QString accent = palette().color(QPalette::Highlight).name();
    QString border = QStringLiteral("1px solid palette(mid)");
    if (m_selected)
        border = QStringLiteral("2px solid ") + accent;
    else if (m_target)
        border = QStringLiteral("2px dashed ") + accent;
    setStyleSheet(QStringLiteral("#approvalCard { border: %1; border-radius: 6px; }").arg(border));
}

void ApprovalCard::updateCountdown(std::int64_t nowMs) {
    const std::int64_t leftS = std::max<std::int64_t>(0, (m_held.deadlineMs - nowMs + 999) / 1000);
    m_countdown->setValue(static_cast<int>(std::min<std::int64_t>(leftS, m_countdown->maximum())));
    const QString then =
        m_held.settings.onTimeout == TimeoutAction::Allow ? tr("then allowed") : tr("then denied");
    m_countdown->setFormat(tr("%1 s left, %2").arg(leftS).arg(then));
}

QString ApprovalCard::rejectReason() const {
    return m_reason->text().trimmed();
}

void ApprovalCard::startEditing() {
    m_editing = true;
    m_arguments->setReadOnly(false);
    m_arguments->setFocusPolicy(Qt::StrongFocus);
    m_arguments->setMaximumHeight(QWIDGETSIZE_MAX);
    m_arguments->setFocus();
    m_approve->setText(tr("Approve edited"));
    m_approve->setToolTip(tr("Ctrl+Return; Escape abandons the edit"));
    m_edit->setText(tr("Cancel edit"));
}

void ApprovalCard::cancelEditing() {
    m_editing = false;
    m_arguments->setReadOnly(true);
    m_arguments->setFocusPolicy(Qt::ClickFocus);
    showArguments(m_held.event.arguments);
    m_arguments->setMaximumHeight(compactHeight());
    m_problems->hide();
    m_approve->setText(tr("Approve (A)"));
    m_edit->setText(tr("Edit… (E)"));
    if (window())
        window()->setFocus();
}

std::optional<nlohmann::json> ApprovalCard::editedArguments() {
    const QByteArray text = m_arguments->toPlainText().toUtf8();
    nlohmann::json parsed =
        nlohmann::json::parse(text.constData(), text.constData() + text.size(), nullptr, false);
    QString problems;
    if (parsed.is_discarded())
        problems = tr("The arguments are not valid JSON.");
    else if (!parsed.is_object())
        problems = tr("The arguments must be a JSON object.");
    else if (const auto found = checkArguments(m_tool.inputSchema, parsed); !found.empty())
        problems =
            tr("Not what the tool accepts:\n%1").arg(QString::fromStdString(describe(found)));
    if (!problems.isEmpty()) {
        m_problems->setText(problems);
        m_problems->show();
        return std::nullopt;
    }
    m_problems->hide();
    return parsed;
}

QString ApprovalCard::problemsText() const {
    return m_problems->isHidden() ? QString() : m_problems->text();
}

bool ApprovalCard::eventFilter(QObject* watched, QEvent* event) {
    if (watched != m_arguments || !m_editing ||
        (event->type() != QEvent::KeyPress && event->type() != QEvent::ShortcutOverride))
        return QFrame::eventFilter(watched, event);
    auto* key = static_cast<QKeyEvent*>(event);
    const bool submit = (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
                        key->modifiers().testFlag(Qt::ControlModifier);
    const bool abandon = key->key() == Qt::Key_Escape;
    if (!submit && !abandon)
        return QFrame::eventFilter(watched, event);
    if (event->type() == QEvent::ShortcutOverride) {
        event->accept(); // ours, before any window shortcut
        return true;
    }
    if (submit)
        Q_EMIT editRequested(m_held.id);
    else
        cancelEditing();
    return true;
}

void ApprovalCard::paintEvent(QPaintEvent* event) {
    QFrame::paintEvent(event);
    if (!m_painted) {
        m_painted = true;
        Q_EMIT firstPainted(m_held.id);
    }
}

void ApprovalCard::mousePressEvent(QMouseEvent* event) {
    Q_EMIT clicked(m_held.id, event->modifiers().testFlag(Qt::ControlModifier));
    QFrame::mousePressEvent(event);
}

} // namespace portcullis::ui
