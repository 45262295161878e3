#include "ui/monitor/calldetailpane.h"

#include "ui/monitor/callmonitormodel.h"
#include "ui/preview/jsonhighlighter.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace portcullis::ui {

namespace {

QString pretty(std::string_view text) {
    const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded())
        return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
    return QString::fromStdString(
        parsed.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

QPlainTextEdit* jsonView(QWidget* parent, const QString& name) {
    auto* view = new QPlainTextEdit(parent);
    view->setObjectName(name);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const bool dark = view->palette().color(QPalette::Base).lightness() < 128;
    new JsonHighlighter(view->document(), dark);
    return view;
}

QWidget* titled(const QString& title, QWidget* content, QWidget* extra = nullptr) {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()));
    row->addWidget(label);
    row->addStretch(1);
    if (extra)
        row->addWidget(extra);
    layout->addLayout(row);
    layout->addWidget(content, 1);
    return box;
}

} // namespace

CallDetailPane::CallDetailPane(QWidget* parent)
    : QWidget(parent) {
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("callHeader"));
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText);
    m_header->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_arguments = jsonView(this, QStringLiteral("callArguments"));
    m_result = jsonView(this, QStringLiteral("callResult"));
    m_showAll = new QPushButton(tr("Show all"), this);
    m_showAll->setObjectName(QStringLiteral("showAllResult"));
    m_showAll->hide();
    m_copy = new QPushButton(tr("Copy as JSON"), this);
    m_copy->setObjectName(QStringLiteral("copyCall"));

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(titled(tr("Arguments"), m_arguments));
    split->addWidget(titled(tr("Result"), m_result, m_showAll));
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto* top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_copy, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_header, &QLabel::linkActivated, this, [this](const QString&) {
        if (m_event)
            Q_EMIT ruleActivated(m_event->server, m_event->tool);
    });
    connect(m_showAll, &QPushButton::clicked, this, &CallDetailPane::showAllResult);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(callAsJson()); });
    showNothing();
}

std::optional<std::uint64_t> CallDetailPane::shownCall() const {
    return m_event ? std::optional(m_event->id) : std::nullopt;
}

void CallDetailPane::showNothing() {
    ++m_generation;
    m_event.reset();
    m_header->setText(tr("Select a call to see its arguments, its result and what decided it."));
    m_arguments->clear();
    m_result->clear();
    m_showAll->hide();
    m_copy->setEnabled(false);
}

void CallDetailPane::showCall(const CallEvent& event) {
    ++m_generation;
    m_event = event;
    m_copy->setEnabled(true);
    const CallEvent& e = *m_event;

    QStringList lines;
    const QString color = CallMonitorModel::decisionColor(e.decision).name();
    lines << QStringLiteral("<b>%1</b> on <b>%2</b> — <span style=\"background:%3;color:white\">"
                            "&nbsp;%4&nbsp;</span>")
                 .arg(QString::fromStdString(e.tool).toHtmlEscaped(),
                      QString::fromStdString(e.server).toHtmlEscaped(), color,
                      CallMonitorModel::decisionText(e.decision));
    if (!e.rule.empty())
        lines << tr("Decided by rule <a href=\"rule\">%1</a>")
                     .arg(QString::fromStdString(e.rule).toHtmlEscaped());
    else
        lines << tr("No rule decided it (default or unknown tool)");
    if (!e.reason.empty())
        lines << tr("Reason: %1").arg(QString::fromStdString(e.reason).toHtmlEscaped());
    QStringList timing;
    timing << tr("arrived %1")
                  .arg(QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(
                      QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
    if (e.decisionLatencyMs >= 0)
        timing << tr("decided by %1 after %2 ms")
                      .arg(QString::fromStdString(e.approver).toHtmlEscaped())
                      .arg(e.decisionLatencyMs);
    else if (!e.approver.empty())
        timing << tr("by %1").arg(QString::fromStdString(e.approver).toHtmlEscaped());
    if (e.upstreamMs >= 0)
        timing << tr("upstream %1 ms").arg(e.upstreamMs);
    lines << timing.join(QStringLiteral(" · "));
    lines << tr("Client %1 · session %2")
                 .arg(QString::fromStdString(e.client.empty() ? std::string("(unnamed)") : e.client)
                          .toHtmlEscaped(),
                      QString::fromStdString(e.session).toHtmlEscaped());
    m_header->setText(lines.join(QStringLiteral("<br>")));

    m_arguments->setPlainText(QString::fromStdString(
        e.arguments.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
    if (!e.response) {
        m_result->setPlainText(e.finished ? tr("(not kept)") : tr("(waiting)"));
        m_showAll->hide();
    } else if (static_cast<qsizetype>(e.response->size()) <= kPreviewBytes) {
        m_result->setPlainText(pretty(*e.response));
        m_showAll->hide();
    } else {
        // The start as it came; formatting megabytes waits until someone asks.
        m_result->setPlainText(
            QString::fromUtf8(e.response->data(), kPreviewBytes) +
            tr("\n… (%1 KB more)")
                .arg((static_cast<qsizetype>(e.response->size()) - kPreviewBytes) / 1024));
        m_showAll->setText(tr("Show all (%1 KB)").arg(e.response->size() / 1024));
        m_showAll->show();
    }
}

void CallDetailPane::showAllResult() {
    if (!m_event || !m_event->response)
        return;
    const int generation = m_generation;
    auto response = m_event->response;
    m_showAll->setEnabled(false);
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        m_showAll->setEnabled(true);
        if (generation != m_generation)
            return;
        m_result->setPlainText(watcher->result());
        m_showAll->hide();
    });
    watcher->setFuture(QtConcurrent::run([response] { return pretty(*response); }));
}

QString CallDetailPane::argumentsText() const {
    return m_arguments->toPlainText();
}

QString CallDetailPane::resultText() const {
    return m_result->toPlainText();
}

QString CallDetailPane::headerText() const {
    return m_header->text();
}

QString CallDetailPane::callAsJson() const {
    if (!m_event)
        return {};
    nlohmann::ordered_json j = toJson(*m_event);
    if (m_event->response) {
        const auto parsed = nlohmann::ordered_json::parse(*m_event->response, nullptr, false);
        if (!parsed.is_discarded())
            j["response"] = parsed;
    }
    return QString::fromStdString(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace portcullis::ui
