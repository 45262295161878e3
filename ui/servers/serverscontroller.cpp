#include "ui/servers/serverscontroller.h"

#include "ui/servers/importdialog.h"
#include "ui/servers/serverdialog.h"
#include "ui/servers/serverspanel.h"

#include <QMessageBox>
#include <QPushButton>

namespace portcullis::ui {

namespace {

QString quotedName(const std::string& key) {
    return QStringLiteral("“%1”").arg(QString::fromStdString(key));
}

} // namespace

// Parented to the panel: its signals are what the controller serves.
ServersController::ServersController(ServersPanel* panel, QWidget* dialogParent)
    : QObject(panel)
    , m_parent(dialogParent) {
    connect(panel, &ServersPanel::addRequested, this, &ServersController::addServer);
    connect(panel, &ServersPanel::editRequested, this, &ServersController::editServer);
    connect(panel, &ServersPanel::removeRequested, this, &ServersController::removeServer);
    connect(panel, &ServersPanel::importRequested, this, &ServersController::importServers);
}

void ServersController::setServersText(std::string currentServersJson) {
    m_text = std::move(currentServersJson);
}

void ServersController::setImportLocations(std::vector<ClientConfigLocation> locations) {
    m_importLocations = std::move(locations);
}

void ServersController::addServer() {
    if (raiseOpenDialog())
        return;
    // Refused before any typing: the text must be editable for the entry to be added.
    if (const QString problem = ServersEdit::problemWith(m_text); !problem.isEmpty()) {
        tell(tr("Cannot add a server"), problem);
        return;
    }
    auto* dialog = new ServerDialog(m_parent);
    dialog->setTakenNames(ServersEdit::serverNames(m_text));
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ServerConfig server = dialog->server();
        apply(ServersEdit::add(m_text, server), tr("Add server %1").arg(quotedName(server.key)));
    });
    show(dialog);
}

void ServersController::editServer(const std::string& key) {
    if (key.empty() || raiseOpenDialog())
        return;
    const ServersEdit::Lookup found = ServersEdit::find(m_text, key);
    if (!found.server) {
        tell(tr("Cannot edit %1").arg(quotedName(key)),
             tr("Fix servers.json first:\n%1").arg(found.problems.join(QLatin1Char('\n'))));
        return;
    }
    auto* dialog = new ServerDialog(m_parent);
    QStringList taken = ServersEdit::serverNames(m_text);
    taken.removeAll(QString::fromStdString(key));
    dialog->setTakenNames(taken);
    dialog->setServer(*found.server);
    connect(dialog, &QDialog::accepted, this, [this, dialog, key] {
        apply(ServersEdit::replace(m_text, key, dialog->server()),
              tr("Edit server %1").arg(quotedName(key)));
    });
    show(dialog);
}

void ServersController::removeServer(const std::string& key) {
    if (key.empty() || raiseOpenDialog())
        return;
    auto* box = new QMessageBox(QMessageBox::Question, tr("Remove server"),
                                tr("Remove %1 from servers.json?").arg(quotedName(key)),
                                QMessageBox::Cancel, m_parent);
    box->setObjectName(QStringLiteral("confirmRemoveBox"));
    box->setInformativeText(tr("The gateway stops it, and its tools are no longer offered."));
    QPushButton* remove = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmRemove"));
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::buttonClicked, this, [this, remove, key](QAbstractButton* b) {
        if (b == remove)
            apply(ServersEdit::remove(m_text, key), tr("Remove server %1").arg(quotedName(key)));
    });
    show(box);
}

void ServersController::importServers() {
    if (raiseOpenDialog())
        return;
    auto* dialog = m_importLocations ? new ImportDialog(*m_importLocations, m_parent)
                                     : new ImportDialog(m_parent);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const auto merged = ClientConfigImport::merge(m_text, dialog->selectedCandidates());
        if (!merged.error.isEmpty()) {
            tell(tr("Nothing was imported"), merged.error);
            return;
        }
        if (merged.added.isEmpty()) {
            tell(tr("Nothing was imported"), merged.reports.join(QLatin1Char('\n')));
            return;
        }
        const QString from = clientAppName(dialog->currentApp());
        const QString description =
            merged.added.size() == 1
                ? tr("Import %1 from %2").arg(quotedName(merged.added.first().toStdString()), from)
                : tr("Import %1 servers from %2").arg(merged.added.size()).arg(from);
        m_text = merged.text;
        Q_EMIT serversChanged(m_text, description);
        // Renames and skips are worth a word; the import itself happened.
        if (!merged.reports.isEmpty())
            tell(tr("Imported"), merged.reports.join(QLatin1Char('\n')));
    });
    show(dialog);
}

bool ServersController::raiseOpenDialog() {
    if (!m_dialog)
        return false;
    m_dialog->raise();
    m_dialog->activateWindow();
    return true;
}

void ServersController::show(QDialog* dialog) {
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    dialog->open();
}

void ServersController::apply(const ServersEdit::EditResult& result, const QString& description) {
    if (!result.error.isEmpty()) {
        tell(tr("servers.json was not changed"), result.error);
        return;
    }
    m_text = result.text;
    Q_EMIT serversChanged(m_text, description);
}

void ServersController::tell(const QString& title, const QString& text) {
    auto* box = new QMessageBox(QMessageBox::Information, title, text, QMessageBox::Ok, m_parent);
    box->setObjectName(QStringLiteral("serversMessageBox"));
    box->setTextFormat(Qt::PlainText); // names and reasons come from files
    show(box);
}

} // namespace portcullis::ui
