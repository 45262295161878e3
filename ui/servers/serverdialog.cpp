#include "ui/servers/serverdialog.h"

#include "workspace/clientconfigs.h"
#include "workspace/launchline.h"
#include "workspace/serversedit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace portcullis::ui {

namespace {

using Transport = ServerConfig::Transport;

struct ParsedMap {
    std::map<QString, QString> values;
    QString error;
};

// "NAME=value" or "Name: value", one a line. Blank lines are allowed; a line without the
// separator is an error rather than silently dropped, so nothing typed goes missing.
ParsedMap parseLines(const QString& text, QChar separator, bool trimValue, const QString& what,
                     const QString& shape) {
    ParsedMap out;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty())
            continue;
        const qsizetype at = lines[i].indexOf(separator);
        const QString name = at < 0 ? QString() : lines[i].left(at).trimmed();
        if (name.isEmpty()) {
            out.error =
                ServerDialog::tr("%1, line %2: write it as %3.").arg(what).arg(i + 1).arg(shape);
            return out;
        }
        const QString value = lines[i].mid(at + 1);
        out.values[name] = trimValue ? value.trimmed() : value;
    }
    return out;
}

ParsedMap parseEnv(const QString& text) {
    return parseLines(text, QLatin1Char('='), false, ServerDialog::tr("Environment"),
                      QStringLiteral("NAME=value"));
}

ParsedMap parseHeaders(const QString& text) {
    return parseLines(text, QLatin1Char(':'), true, ServerDialog::tr("Headers"),
                      QStringLiteral("Name: value"));
}

// One argument a line, as typed: an argument may hold spaces and may be empty. Trailing
// blank lines are what a last Enter leaves, not arguments.
QStringList parseArgs(const QString& text) {
    QStringList args = text.split(QLatin1Char('\n'));
    while (!args.isEmpty() && args.back().isEmpty())
        args.removeLast();
    return args;
}

QString mapText(const std::map<QString, QString>& map, const QString& separator) {
    QStringList lines;
    for (const auto& [k, v] : map)
        lines << k + separator + v;
    return lines.join(QLatin1Char('\n'));
}

// As tall as its lines, between minLines and maxLines, so a short list shows whole and a
// long one scrolls; room for the horizontal scroll bar when a line is wider than the box.
void fitToLines(QPlainTextEdit* edit, int minLines, int maxLines) {
    const int lines = std::clamp(edit->document()->blockCount(), minLines, maxLines);
    const bool wide = edit->document()->idealWidth() > edit->viewport()->width();
    const int scrollBar = wide ? edit->horizontalScrollBar()->sizeHint().height() : 0;
    edit->setFixedHeight(lines * edit->fontMetrics().lineSpacing() + 2 * edit->frameWidth() +
                         static_cast<int>(2 * edit->document()->documentMargin()) + scrollBar + 2);
}

QPlainTextEdit* lineListEdit(QWidget* parent, const QString& objectName,
                             const QString& placeholder) {
    auto* edit = new QPlainTextEdit(parent);
    edit->setObjectName(objectName);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setTabChangesFocus(true);
    edit->setPlaceholderText(placeholder);
    return edit;
}

} // namespace

ServerDialog::ServerDialog(QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Add a server"));
    setObjectName(QStringLiteral("serverDialog"));

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameField"));
    m_name->setPlaceholderText(tr("github"));
    m_name->setToolTip(tr("Becomes part of the tool names clients see: letters, digits, '_', "
                          "'-' and '.'"));

    m_transport = new QComboBox(this);
    m_transport->setObjectName(QStringLiteral("transportCombo"));
    m_transport->addItem(tr("Command (stdio)"), static_cast<int>(Transport::Stdio));
    m_transport->addItem(tr("HTTP (Streamable HTTP)"), static_cast<int>(Transport::StreamableHttp));
    m_transport->addItem(tr("HTTP with SSE (legacy)"), static_cast<int>(Transport::LegacySse));

    m_command = new QLineEdit(this);
    m_command->setObjectName(QStringLiteral("commandField"));
    m_command->setPlaceholderText(tr("npx"));
    m_args = lineListEdit(this, QStringLiteral("argsField"),
                          tr("One argument a line, e.g.\n-y\n@modelcontextprotocol/server-memory"));
    m_env = lineListEdit(this, QStringLiteral("envField"), tr("NAME=value, one a line"));
    m_cwd = new QLineEdit(this);
    m_cwd->setObjectName(QStringLiteral("cwdField"));
    m_cwd->setPlaceholderText(tr("The gateway's own folder"));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("urlField"));
    m_url->setPlaceholderText(QStringLiteral("https://example.com/mcp"));
    m_headers = lineListEdit(this, QStringLiteral("headersField"),
                             tr("Name: value, one a line, e.g.\nAuthorization: Bearer …"));

    m_isolation = new QComboBox(this);
    m_isolation->setObjectName(QStringLiteral("isolationCombo"));
    m_isolation->addItem(tr("Shared by every client session"),
                         static_cast<int>(ServerConfig::Isolation::Shared));
    m_isolation->addItem(tr("One per client session"),
                         static_cast<int>(ServerConfig::Isolation::PerSession));
    m_isolation->setToolTip(tr("One per session keeps the state of one client's calls (a "
                               "browser, a login) away from the others"));
    m_timeout = new QSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(1, 86400);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("How long a call may take before the gateway gives up on it"));
    m_trusted = new QCheckBox(tr("Trust its tool annotations as risk evidence"), this);
    m_trusted->setObjectName(QStringLiteral("trustedCheck"));
    m_trusted->setToolTip(tr("A server's own readOnlyHint and destructiveHint can say anything; "
                             "tick this only for servers you know"));
    m_disabled = new QCheckBox(tr("Disabled: keep the entry but do not start it"), this);
    m_disabled->setObjectName(QStringLiteral("disabledCheck"));

    m_launchLabel = new QLabel(this);
    m_launchLabel->setWordWrap(true);
    m_launch = new QPlainTextEdit(this);
    m_launch->setObjectName(QStringLiteral("commandLinePreview"));
    m_launch->setReadOnly(true);
    m_launch->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_launch->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_launch->setFixedHeight(4 * m_launch->fontMetrics().lineSpacing() +
                             2 * m_launch->frameWidth() +
                             static_cast<int>(2 * m_launch->document()->documentMargin()) + 2);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    // A red that reads on both the light and the dark palette.
    QPalette errorPalette = m_error->palette();
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    errorPalette.setColor(QPalette::WindowText,
                          dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x00, 0x20));
    m_error->setPalette(errorPalette);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isValid())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_form = new QFormLayout;
    m_form->addRow(tr("Name:"), m_name);
    m_form->addRow(tr("Transport:"), m_transport);
    m_form->addRow(tr("Command:"), m_command);
    m_form->addRow(tr("Arguments:"), m_args);
    m_form->addRow(tr("Environment:"), m_env);
    m_form->addRow(tr("Working folder:"), m_cwd);
    m_form->addRow(tr("URL:"), m_url);
    m_form->addRow(tr("Headers:"), m_headers);
    m_form->addRow(tr("Isolation:"), m_isolation);
    m_form->addRow(tr("Timeout:"), m_timeout);
    m_form->addRow(QString(), m_trusted);
    m_form->addRow(QString(), m_disabled);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_launchLabel);
    layout->addWidget(m_launch);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    for (QLineEdit* e : {m_name, m_command, m_cwd, m_url})
        connect(e, &QLineEdit::textChanged, this, &ServerDialog::update);
    for (QPlainTextEdit* e : {m_args, m_env, m_headers})
        connect(e, &QPlainTextEdit::textChanged, this, &ServerDialog::update);
    connect(m_transport, &QComboBox::currentIndexChanged, this, &ServerDialog::update);

    setServer(ServerConfig{});
    setWindowTitle(tr("Add a server"));
    resize(560, sizeHint().height());
}

void ServerDialog::setServer(const ServerConfig& server) {
    m_initial = server;
    if (!server.key.empty())
        setWindowTitle(tr("Edit server %1").arg(QString::fromStdString(server.key)));
    m_name->setText(QString::fromStdString(server.key));
    m_transport->setCurrentIndex(m_transport->findData(static_cast<int>(server.transport)));
    m_command->setText(server.command);
    m_args->setPlainText(server.args.join(QLatin1Char('\n')));
    m_env->setPlainText(mapText(server.env, QStringLiteral("=")));
    m_cwd->setText(server.cwd);
    m_url->setText(server.url);
    m_headers->setPlainText(mapText(server.headers, QStringLiteral(": ")));
    m_isolation->setCurrentIndex(m_isolation->findData(static_cast<int>(server.isolation)));
    m_timeout->setValue(server.timeoutS);
    m_trusted->setChecked(server.trusted);
    m_disabled->setChecked(server.disabled);
    update();
}

void ServerDialog::setTakenNames(const QStringList& names) {
    m_taken = names;
    update();
}

ServerConfig ServerDialog::server() const {
    ServerConfig s = m_initial;
    s.key = m_name->text().trimmed().toStdString();
    s.transport = static_cast<Transport>(m_transport->currentData().toInt());
    s.command.clear();
    s.args.clear();
    s.env.clear();
    s.cwd.clear();
    s.url.clear();
    s.headers.clear();
    if (s.transport == Transport::Stdio) {
        s.command = m_command->text().trimmed();
        s.args = parseArgs(m_args->toPlainText());
        s.env = parseEnv(m_env->toPlainText()).values;
        s.cwd = m_cwd->text().trimmed();
    } else {
        s.url = m_url->text().trimmed();
        s.headers = parseHeaders(m_headers->toPlainText()).values;
    }
    s.isolation = static_cast<ServerConfig::Isolation>(m_isolation->currentData().toInt());
    s.timeoutS = m_timeout->value();
    s.trusted = m_trusted->isChecked();
    s.disabled = m_disabled->isChecked();
    return s;
}

std::string ServerDialog::entryJson() const {
    return ClientConfigImport::entryJson(server());
}

QString ServerDialog::validationError() const {
    const QString name = m_name->text().trimmed();
    if (name.isEmpty())
        return tr("Give the server a name.");
    if (!ServersEdit::isValidName(name))
        return tr("A name may use letters, digits, '_', '-' and '.' (at most 64): it becomes "
                  "part of the tool names clients see.");
    if (m_taken.contains(name))
        return tr("Another server is already called %1.").arg(name);
    const auto transport = static_cast<Transport>(m_transport->currentData().toInt());
    if (transport == Transport::Stdio) {
        if (m_command->text().trimmed().isEmpty())
            return tr("Give the command that starts the server.");
        return parseEnv(m_env->toPlainText()).error;
    }
    const QString url = m_url->text().trimmed();
    if (url.isEmpty())
        return tr("Give the URL the server answers at.");
    const QUrl parsed(url, QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (!parsed.isValid() || parsed.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return tr("The URL must be a full http:// or https:// address.");
    return parseHeaders(m_headers->toPlainText()).error;
}

QString ServerDialog::launchText() const {
    return LaunchLine::forServer(server());
}

void ServerDialog::showEvent(QShowEvent* event) {
    QDialog::showEvent(event);
    update(); // the boxes know their real width only now
}

void ServerDialog::update() {
    const bool stdio =
        static_cast<Transport>(m_transport->currentData().toInt()) == Transport::Stdio;
    for (QWidget* w : std::initializer_list<QWidget*>{m_command, m_args, m_env, m_cwd})
        m_form->setRowVisible(w, stdio);
    for (QWidget* w : std::initializer_list<QWidget*>{m_url, m_headers})
        m_form->setRowVisible(w, !stdio);
    m_launchLabel->setText(stdio ? tr("When the gateway starts this server, it runs exactly "
                                      "this, with your rights:")
                                 : tr("The gateway connects to:"));
    fitToLines(m_args, 3, 8);
    fitToLines(m_env, 2, 6);
    fitToLines(m_headers, 2, 6);
    const QString launch = launchText();
    if (m_launch->toPlainText() != launch)
        m_launch->setPlainText(launch);
    const QString error = validationError();
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}

} // namespace portcullis::ui
