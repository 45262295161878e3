#include "ui/dialogs/connectdialog.h"

#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace portcullis::ui {

namespace {

constexpr int kCopiedFeedbackMs = 1500;

QString snippetObjectName(const QString& prefix, ClientApp app,
                          ClientSnippet::Transport transport) {
    return prefix + QLatin1Char('_') + ConnectDialog::appId(app) + QLatin1Char('_') +
           ConnectDialog::transportId(transport);
}

// Tall enough for every line of a JSON snippet, so nothing scrolls out of sight vertically.
int heightForLines(const QPlainTextEdit* edit, int lines) {
    const int frame = 2 * edit->frameWidth();
    const int margins = static_cast<int>(2 * edit->document()->documentMargin());
    const int scrollBar = edit->lineWrapMode() == QPlainTextEdit::NoWrap
                              ? edit->horizontalScrollBar()->sizeHint().height()
                              : 0;
    return lines * edit->fontMetrics().lineSpacing() + frame + margins + scrollBar + 2;
}

} // namespace

QString ConnectDialog::appId(ClientApp app) {
    switch (app) {
    case ClientApp::ClaudeDesktop:
        return QStringLiteral("claudeDesktop");
    case ClientApp::ClaudeCode:
        return QStringLiteral("claudeCode");
    case ClientApp::Cursor:
        return QStringLiteral("cursor");
    case ClientApp::VsCode:
        return QStringLiteral("vscode");
    }
    return {};
}

QString ConnectDialog::transportId(ClientSnippet::Transport transport) {
    return transport == ClientSnippet::Transport::Http ? QStringLiteral("http")
                                                       : QStringLiteral("stdio");
}

ConnectDialog::ConnectDialog(GatewayConnection connection, QWidget* parent)
    : QDialog(parent)
    , m_connection(std::move(connection)) {
    setWindowTitle(tr("Connect a client"));
    setObjectName(QStringLiteral("connectDialog"));

    auto* intro = new QLabel(tr("MCP clients reach Portcullis at this address and prove it is "
                                "them with this token. Paste the configuration for your client "
                                "app below."),
                             this);
    intro->setWordWrap(true);
    m_notRunning = new QLabel(tr("The gateway is not running: start it to get its address."), this);
    m_notRunning->setObjectName(QStringLiteral("notRunningLabel"));

    m_endpoint = new QLineEdit(this);
    m_endpoint->setObjectName(QStringLiteral("endpointField"));
    m_endpoint->setReadOnly(true);
    auto* copyEndpoint = new QPushButton(tr("Copy"), this);
    copyEndpoint->setObjectName(QStringLiteral("copyEndpoint"));
    connect(copyEndpoint, &QPushButton::clicked, this,
            [this, copyEndpoint] { copy(copyEndpoint, m_connection.endpoint); });

    m_token = new QLineEdit(this);
    m_token->setObjectName(QStringLiteral("tokenField"));
    m_token->setReadOnly(true);
    m_show = new QCheckBox(tr("Show"), this);
    m_show->setObjectName(QStringLiteral("showToken"));
    m_show->setToolTip(tr("Show the token here and in the snippets below"));
    connect(m_show, &QCheckBox::toggled, this, &ConnectDialog::refresh);
    auto* copyToken = new QPushButton(tr("Copy"), this);
    copyToken->setObjectName(QStringLiteral("copyToken"));
    copyToken->setToolTip(tr("Copies the token itself, shown or not"));
    connect(copyToken, &QPushButton::clicked, this,
            [this, copyToken] { copy(copyToken, m_connection.token); });

    auto* endpointRow = new QHBoxLayout;
    endpointRow->addWidget(m_endpoint, 1);
    endpointRow->addWidget(copyEndpoint);
    auto* tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(m_show);
    tokenRow->addWidget(copyToken);
    auto* form = new QFormLayout;
    form->addRow(tr("Endpoint:"), endpointRow);
    form->addRow(tr("Token:"), tokenRow);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("clientTabs"));
    for (const ClientApp app : kClientApps)
        m_tabs->addTab(buildAppPage(app), clientAppName(app));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_notRunning);
    layout->addLayout(form);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);
    refresh();
    resize(760, sizeHint().height());
}

QWidget* ConnectDialog::buildAppPage(ClientApp app) {
    auto* page = new QWidget(m_tabs);
    auto* layout = new QVBoxLayout(page);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const ClientSnippet& s : ClientSnippets::forApp(app, m_connection, TokenDisplay::Real)) {
        SnippetView view{s.app, s.transport};
        view.title = new QLabel(page);
        QFont bold = view.title->font();
        bold.setBold(true);
        view.title->setFont(bold);

        view.text = new QPlainTextEdit(page);
        view.text->setObjectName(
            snippetObjectName(QStringLiteral("snippetText"), app, s.transport));
        view.text->setReadOnly(true);
        view.text->setFont(fixed);
        view.text->setLineWrapMode(s.isJson ? QPlainTextEdit::NoWrap : QPlainTextEdit::WidgetWidth);
        view.text->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        // A command line wraps; three lines hold it at the dialog's width. A JSON box is as
        // tall as its text, so it never needs to scroll up and down.
        const int lines = s.isJson ? static_cast<int>(s.text.count(QLatin1Char('\n'))) + 1 : 3;
        view.text->setFixedHeight(heightForLines(view.text, lines));
        if (s.isJson)
            view.text->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

        auto* copyButton = new QPushButton(tr("Copy"), page);
        copyButton->setObjectName(
            snippetObjectName(QStringLiteral("snippetCopy"), app, s.transport));
        copyButton->setToolTip(tr("Copies the snippet with the token itself, shown or not"));
        const ClientSnippet::Transport transport = s.transport;
        connect(copyButton, &QPushButton::clicked, this, [this, copyButton, app, transport] {
            copy(copyButton, realSnippet(app, transport));
        });

        view.where = new QLabel(page);
        view.where->setObjectName(
            snippetObjectName(QStringLiteral("snippetWhere"), app, s.transport));
        view.where->setWordWrap(true);
        view.where->setTextInteractionFlags(Qt::TextSelectableByMouse);

        auto* header = new QHBoxLayout;
        header->addWidget(view.title, 1);
        header->addWidget(copyButton);
        layout->addLayout(header);
        layout->addWidget(view.text);
        layout->addWidget(view.where);
        layout->addSpacing(8);
        m_snippets.push_back(view);
    }
    layout->addStretch(1);
    return page;
}

void ConnectDialog::setConnection(GatewayConnection connection) {
    m_connection = std::move(connection);
    refresh();
}

bool ConnectDialog::tokenShown() const {
    return m_show->isChecked();
}

void ConnectDialog::setTokenShown(bool shown) {
    m_show->setChecked(shown);
}

void ConnectDialog::refresh() {
    const bool running = !m_connection.endpoint.isEmpty();
    m_notRunning->setVisible(!running);
    m_endpoint->setText(m_connection.endpoint);
    // The real token is never put in a widget while hidden, not even a password field:
    // anything reading widget text (accessibility, a screenshot tool) would get it.
    const TokenDisplay display = tokenShown() ? TokenDisplay::Real : TokenDisplay::Masked;
    m_token->setText(display == TokenDisplay::Real ? m_connection.token
                                                   : QString::fromUtf16(ClientSnippets::kMask));
    for (const ClientSnippet& s : ClientSnippets::all(m_connection, display)) {
        for (SnippetView& view : m_snippets) {
            if (view.app != s.app || view.transport != s.transport)
                continue;
            view.title->setText(s.title);
            view.text->setPlainText(s.text);
            view.where->setText(tr("Where: %1").arg(s.where));
        }
    }
}

QString ConnectDialog::realSnippet(ClientApp app, ClientSnippet::Transport transport) const {
    for (const ClientSnippet& s : ClientSnippets::forApp(app, m_connection, TokenDisplay::Real)) {
        if (s.transport == transport)
            return s.text;
    }
    return {};
}

void ConnectDialog::copy(QPushButton* button, const QString& text) {
    QGuiApplication::clipboard()->setText(text);
    button->setText(tr("Copied"));
    QTimer::singleShot(kCopiedFeedbackMs, button, [button] { button->setText(tr("Copy")); });
}

} // namespace portcullis::ui
