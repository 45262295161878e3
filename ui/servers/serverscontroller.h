#pragma once

#include "workspace/clientconfigs.h"
#include "workspace/serversedit.h"

#include <QObject>
#include <QPointer>

#include <optional>
#include <string>
#include <vector>

class QDialog;
class QWidget;

namespace portcullis::ui {

class ServersPanel;

// Runs the servers panel's add, edit, remove and import with their dialogs, and says what
// servers.json becomes. It never writes a file: the window does, so saving, reloading and
// undo stay in one place. Dialogs open with open(), never exec(): the gateway's events keep
// flowing while one is up. One dialog at a time; asking again raises it.
class ServersController final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServersController)

public:
    ServersController(ServersPanel* panel, QWidget* dialogParent);

    // The current servers.json text, as the window last read or wrote it.
    void setServersText(std::string currentServersJson);
    const std::string& serversText() const { return m_text; }

    // The files the import dialog offers; by default clientConfigLocations().
    void setImportLocations(std::vector<ClientConfigLocation> locations);

    void addServer();
    void editServer(const std::string& key);
    void removeServer(const std::string& key);
    void importServers();

    // The dialog or confirmation now open, if any.
    QDialog* openDialog() const { return m_dialog; }

Q_SIGNALS:
    // After an add, edit, remove or import; description names the change ("Add server x"),
    // for the undo stack or the status bar.
    void serversChanged(const std::string& newServersJson, const QString& description);

private:
    bool raiseOpenDialog();
    void show(QDialog* dialog);
    void apply(const ServersEdit::EditResult& result, const QString& description);
    void tell(const QString& title, const QString& text);

    QWidget* m_parent = nullptr;
    std::string m_text;
    std::optional<std::vector<ClientConfigLocation>> m_importLocations;
    QPointer<QDialog> m_dialog;
};

} // namespace portcullis::ui
