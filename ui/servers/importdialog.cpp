#include "ui/servers/importdialog.h"

#include "workspace/launchline.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBlock>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace portcullis::ui {

namespace {

constexpr int kIndexRole = Qt::UserRole;

enum Column { NameColumn, TransportColumn, StatusColumn };

QString transportName(ServerConfig::Transport t) {
    switch (t) {
    case ServerConfig::Transport::Stdio:
        return QStringLiteral("stdio");
    case ServerConfig::Transport::StreamableHttp:
        return QStringLiteral("http");
    case ServerConfig::Transport::LegacySse:
        return QStringLiteral("sse");
    }
    return {};
}

QString status(const ImportCandidate& c) {
    if (c.pointsAtPortcullis)
        return ImportDialog::tr("not imported: this is Portcullis itself");
    if (!c.problems.isEmpty())
        return ImportDialog::tr("not imported: %1").arg(c.problems.first());
    if (c.server.disabled)
        return ImportDialog::tr("ready, switched off");
    return ImportDialog::tr("ready");
}

QString displayName(const ImportCandidate& c) {
    return c.origin.isEmpty() ? c.name : ImportDialog::tr("%1 (project %2)").arg(c.name, c.origin);
}

QString homeRelative(const QString& path) {
    const QString home = QDir::homePath();
    if (!home.isEmpty() && path.startsWith(home + QLatin1Char('/')))
        return QLatin1Char('~') + path.mid(home.size());
    return path;
}

} // namespace

ImportDialog::ImportDialog(QWidget* parent)
    : ImportDialog(clientConfigLocations(), parent) {}

ImportDialog::ImportDialog(std::vector<ClientConfigLocation> locations, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Import servers from a client"));
    setObjectName(QStringLiteral("importDialog"));

    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("sourceCombo"));
    m_source->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_source->setMinimumContentsLength(40);
    m_source->addItem(tr("Looking for client configurations…"));
    m_source->setEnabled(false);
    connect(m_source, &QComboBox::activated, this, &ImportDialog::onSourceChosen);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText); // file names and messages come from the file

    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("candidatesTree"));
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setHeaderLabels({tr("Server"), tr("Transport"), tr("Status")});
    m_tree->header()->setStretchLastSection(true);
    connect(m_tree, &QTreeWidget::itemChanged, this, [this] {
        rebuildInputs();
        updateReview();
        updateButtons();
    });
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item)
            return;
        const auto block = m_reviewBlocks.find(item->data(NameColumn, kIndexRole).toInt());
        if (block == m_reviewBlocks.end())
            return;
        // To the end first, so that making the block visible brings it to the top.
        m_review->verticalScrollBar()->setValue(m_review->verticalScrollBar()->maximum());
        QTextCursor cursor(m_review->document()->findBlockByNumber(block->second));
        m_review->setTextCursor(cursor);
        m_review->ensureCursorVisible();
    });

    auto* reviewLabel = new QLabel(tr("What each server runs or connects to, in full:"), this);
    m_review = new QPlainTextEdit(this);
    m_review->setObjectName(QStringLiteral("reviewText"));
    m_review->setReadOnly(true);
    m_review->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_review->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);

    m_inputsBox = new QGroupBox(tr("Values VS Code would ask for"), this);
    m_inputsBox->setObjectName(QStringLiteral("inputsBox"));
    auto* inputsHint = new QLabel(tr("Portcullis does not ask when a server starts, so give them "
                                     "now. One left empty stays as ${input:…} in servers.json."),
                                  m_inputsBox);
    inputsHint->setWordWrap(true);
    m_inputsForm = new QFormLayout;
    auto* inputsLayout = new QVBoxLayout(m_inputsBox);
    inputsLayout->addWidget(inputsHint);
    inputsLayout->addLayout(m_inputsForm);
    m_inputsBox->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_import = m_buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("importButton"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* sourceRow = new QHBoxLayout;
    sourceRow->addWidget(new QLabel(tr("From:"), this));
    sourceRow->addWidget(m_source, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(sourceRow);
    layout->addWidget(m_status);
    layout->addWidget(m_tree, 1);
    layout->addWidget(reviewLabel);
    layout->addWidget(m_review, 2);
    layout->addWidget(m_inputsBox);
    layout->addWidget(m_buttons);
    resize(760, 640);

    updateButtons();
    findLocations(std::move(locations));
}

ImportDialog::~ImportDialog() = default;

ClientApp ImportDialog::appForFile(const QString& fileName) {
    // Backslashes too: a Windows path may be typed on any system.
    const QString path = QString(fileName).replace(QLatin1Char('\\'), QLatin1Char('/')).toLower();
    const QString name = path.section(QLatin1Char('/'), -1);
    if (name == QLatin1String("claude_desktop_config.json"))
        return ClientApp::ClaudeDesktop;
    if (name == QLatin1String(".claude.json") || name == QLatin1String("claude.json") ||
        name == QLatin1String(".mcp.json"))
        return ClientApp::ClaudeCode;
    if (path.contains(QLatin1String("/.cursor/")) || name.contains(QLatin1String("cursor")))
        return ClientApp::Cursor;
    if (path.contains(QLatin1String("/.vscode/")) || path.contains(QLatin1String("/code/user/")) ||
        name.contains(QLatin1String("vscode")) || name == QLatin1String("settings.json"))
        return ClientApp::VsCode;
    return ClientApp::ClaudeDesktop;
}

void ImportDialog::findLocations(std::vector<ClientConfigLocation> locations) {
    using Found = std::vector<ClientConfigLocation>;
    auto* watcher = new QFutureWatcher<Found>(this);
    connect(watcher, &QFutureWatcher<Found>::finished, this, [this, watcher] {
        watcher->deleteLater();
        onLocationsFound(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([locations = std::move(locations)] {
        Found found;
        for (const ClientConfigLocation& l : locations) {
            if (QFileInfo(l.path).isFile())
                found.push_back(l);
        }
        return found;
    }));
}

void ImportDialog::onLocationsFound(const std::vector<ClientConfigLocation>& found) {
    // A file opened meanwhile stays the current one.
    const QString opened = m_file;
    const ClientApp openedApp = m_app;
    m_source->clear();
    m_source->setEnabled(true);
    for (const ClientConfigLocation& l : found) {
        m_source->addItem(QStringLiteral("%1 — %2").arg(clientAppName(l.app), homeRelative(l.path)),
                          l.path);
        m_source->setItemData(m_source->count() - 1, static_cast<int>(l.app), kIndexRole + 1);
        m_source->setItemData(m_source->count() - 1, l.path, Qt::ToolTipRole);
    }
    m_source->addItem(tr("Choose a file…"));
    if (!opened.isEmpty()) {
        selectSource(openedApp, opened);
        Q_EMIT locationsReady();
        return;
    }
    if (found.empty()) {
        m_source->setPlaceholderText(tr("No client configuration in the usual places"));
        m_source->setCurrentIndex(-1);
        m_status->setText(tr("No Claude Desktop, Claude Code, Cursor or VS Code configuration was "
                             "found in the usual places. Choose a file to import from."));
    } else {
        m_source->setCurrentIndex(0);
        onSourceChosen(0);
    }
    Q_EMIT locationsReady();
}

void ImportDialog::onSourceChosen(int index) {
    if (index < 0)
        return;
    if (index == m_source->count() - 1) {
        chooseFile();
        return;
    }
    m_lastSource = index;
    read(static_cast<ClientApp>(m_source->itemData(index, kIndexRole + 1).toInt()),
         m_source->itemData(index).toString());
}

void ImportDialog::chooseFile() {
    auto* dialog = new QFileDialog(this, tr("Choose a client configuration"), QDir::homePath(),
                                   tr("JSON files (*.json);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    // Dot folders (.cursor, .vscode) are where these files live.
    dialog->setFilter(dialog->filter() | QDir::Hidden);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString& file) { openFile(appForFile(file), file); });
    connect(dialog, &QDialog::rejected, this, [this] { m_source->setCurrentIndex(m_lastSource); });
    dialog->open();
}

void ImportDialog::openFile(ClientApp app, const QString& fileName) {
    selectSource(app, fileName);
    read(app, fileName);
}

void ImportDialog::selectSource(ClientApp app, const QString& fileName) {
    int index = m_source->findData(fileName);
    if (index < 0 && m_source->isEnabled()) {
        index = m_source->count() - 1; // before "Choose a file…"
        m_source->insertItem(
            index, QStringLiteral("%1 — %2").arg(clientAppName(app), homeRelative(fileName)),
            fileName);
        m_source->setItemData(index, static_cast<int>(app), kIndexRole + 1);
        m_source->setItemData(index, fileName, Qt::ToolTipRole);
    }
    if (index >= 0) {
        m_source->setCurrentIndex(index);
        m_lastSource = index;
    }
}

void ImportDialog::read(ClientApp app, const QString& fileName) {
    if (m_app == app && m_file == fileName && isReading())
        return;
    m_app = app;
    m_file = fileName;
    if (m_reading) {
        // Its result is not wanted any more; the read itself runs on to its end unobserved.
        m_reading->disconnect(this);
        m_reading->deleteLater();
    }
    auto* watcher = new QFutureWatcher<ClientConfigPreview>(this);
    m_reading = watcher;
    connect(watcher, &QFutureWatcher<ClientConfigPreview>::finished, this, [this, watcher] {
        watcher->deleteLater();
        if (watcher != m_reading)
            return;
        m_reading = nullptr;
        showPreview(watcher->result());
    });
    m_preview = {};
    m_tree->clear();
    m_review->clear();
    m_reviewBlocks.clear();
    rebuildInputs();
    m_status->setText(tr("Reading %1…").arg(homeRelative(fileName)));
    updateButtons();
    watcher->setFuture(QtConcurrent::run(
        [app, fileName] { return ClientConfigImport::previewFile(app, fileName); }));
}

void ImportDialog::showPreview(ClientConfigPreview preview) {
    m_preview = std::move(preview);
    QStringList summary;
    if (!m_preview.errors.isEmpty())
        summary << tr("Nothing can be imported from this file:") << m_preview.errors;
    else if (!m_preview.candidates.empty())
        summary << tr("%1: %2 found. Ticked ones are imported.")
                       .arg(homeRelative(m_file))
                       .arg(m_preview.candidates.size() == 1
                                ? tr("1 server")
                                : tr("%1 servers").arg(m_preview.candidates.size()));
    summary << m_preview.notes;
    m_status->setText(summary.join(QLatin1Char('\n')));

    const QSignalBlocker blocker(m_tree);
    m_tree->clear();
    for (std::size_t i = 0; i < m_preview.candidates.size(); ++i) {
        const ImportCandidate& c = m_preview.candidates[i];
        auto* item = new QTreeWidgetItem(m_tree);
        item->setText(NameColumn, displayName(c));
        item->setData(NameColumn, kIndexRole, static_cast<int>(i));
        item->setText(TransportColumn, transportName(c.server.transport));
        item->setText(StatusColumn, status(c));
        item->setToolTip(StatusColumn, (c.problems + c.notes).join(QLatin1Char('\n')));
        // A loop back into Portcullis or a broken entry cannot be ticked at all.
        if (c.importable()) {
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            item->setCheckState(NameColumn, Qt::Checked);
        } else {
            item->setFlags(Qt::ItemIsUserCheckable);
            item->setCheckState(NameColumn, Qt::Unchecked);
        }
    }
    m_tree->resizeColumnToContents(NameColumn);
    m_tree->resizeColumnToContents(TransportColumn);
    rebuildInputs();
    updateReview();
    updateButtons();
    Q_EMIT previewReady();
}

std::vector<int> ImportDialog::checkedIndexes() const {
    std::vector<int> out;
    for (int row = 0; row < m_tree->topLevelItemCount(); ++row) {
        const QTreeWidgetItem* item = m_tree->topLevelItem(row);
        if (item->checkState(NameColumn) == Qt::Checked)
            out.push_back(item->data(NameColumn, kIndexRole).toInt());
    }
    return out;
}

std::vector<ImportCandidate> ImportDialog::selectedCandidates() const {
    std::vector<ImportCandidate> out;
    for (const int i : checkedIndexes()) {
        ImportCandidate c = m_preview.candidates[static_cast<std::size_t>(i)];
        std::map<QString, QString> values;
        for (const InputVariable& in : c.inputs) {
            const auto field = m_inputs.find(in.id);
            if (field != m_inputs.end() && !field->second->text().isEmpty())
                values[in.id] = field->second->text();
        }
        ClientConfigImport::applyInputValues(c, values);
        out.push_back(std::move(c));
    }
    return out;
}

void ImportDialog::rebuildInputs() {
    std::map<QString, InputVariable> wanted;
    for (const int i : checkedIndexes()) {
        for (const InputVariable& in : m_preview.candidates[static_cast<std::size_t>(i)].inputs)
            wanted.emplace(in.id, in);
    }
    // Fields no ticked server needs go; the others keep what was typed.
    for (auto it = m_inputs.begin(); it != m_inputs.end();) {
        if (wanted.count(it->first) == 0) {
            m_inputsForm->removeRow(it->second);
            it = m_inputs.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [id, in] : wanted) {
        if (m_inputs.count(id) > 0)
            continue;
        auto* field = new QLineEdit(m_inputsBox);
        field->setObjectName(QStringLiteral("input_") + id);
        field->setEchoMode(in.password ? QLineEdit::Password : QLineEdit::Normal);
        field->setPlaceholderText(QStringLiteral("${input:%1}").arg(id));
        field->setToolTip(in.note);
        auto* label = new QLabel(in.description.isEmpty()
                                     ? QStringLiteral("%1:").arg(id)
                                     : QStringLiteral("%1 (%2):").arg(in.description, id),
                                 m_inputsBox);
        label->setTextFormat(Qt::PlainText);
        m_inputsForm->addRow(label, field);
        m_inputs[id] = field;
    }
    m_inputsBox->setVisible(!m_inputs.empty());
}

void ImportDialog::updateReview() {
    const std::vector<int> checked = checkedIndexes();
    QStringList lines;
    m_reviewBlocks.clear();
    for (std::size_t i = 0; i < m_preview.candidates.size(); ++i) {
        const ImportCandidate& c = m_preview.candidates[i];
        const bool ticked =
            std::find(checked.begin(), checked.end(), static_cast<int>(i)) != checked.end();
        if (!lines.isEmpty())
            lines << QString();
        m_reviewBlocks[static_cast<int>(i)] = static_cast<int>(lines.size());
        QString head = displayName(c) + QStringLiteral(" — ");
        if (ticked)
            head += tr("imported as %1").arg(QString::fromStdString(c.server.key));
        else if (c.importable())
            head += tr("not imported: not ticked");
        else if (c.pointsAtPortcullis)
            head += status(c);
        else
            head += tr("not imported, because of the problems below");
        lines << head;
        const bool stdio = c.server.transport == ServerConfig::Transport::Stdio;
        if (stdio && c.server.command.isEmpty())
            lines << tr("  runs: (no command)");
        else
            lines << (stdio ? tr("  runs: %1") : tr("  connects to: %1"))
                         .arg(LaunchLine::forServer(c.server));
        for (const auto& [name, value] : c.server.headers)
            lines << tr("  header: %1: %2").arg(name, value);
        for (const QString& p : c.problems)
            lines << tr("  problem: %1").arg(p);
        for (const QString& n : c.notes)
            lines << tr("  note: %1").arg(n);
        for (const InputVariable& in : c.inputs)
            lines << tr("  input: %1").arg(in.note);
    }
    m_review->setPlainText(lines.join(QLatin1Char('\n')));
}

void ImportDialog::updateButtons() {
    const std::size_t n = isReading() ? 0 : checkedIndexes().size();
    m_import->setEnabled(n > 0);
    m_import->setText(n == 1   ? tr("Import 1 server")
                      : n == 0 ? tr("Import")
                               : tr("Import %1 servers").arg(n));
}

} // namespace portcullis::ui
