#pragma once

#include "workspace/serversconfig.h"

#include <QDialog>
#include <QStringList>

#include <string>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace portcullis::ui {

// Adds or edits one server of servers.json. The full launch of a stdio server (folder,
// variables, program and every argument) is shown as it will run, before it ever runs: the
// gateway starts whatever this entry says with the user's rights.
class ServerDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerDialog)

public:
    explicit ServerDialog(QWidget* parent = nullptr);

    // Fills the fields from an existing entry; keys the dialog has no field for (the prefix)
    // are kept as they are.
    void setServer(const ServerConfig& server);
    // Names of the other servers: a name already taken is refused.
    void setTakenNames(const QStringList& names);

    // The entry as the fields say; meaningful while isValid().
    ServerConfig server() const;
    std::string entryJson() const;
    // The first thing wrong with the fields, as shown under them; empty when valid.
    QString validationError() const;
    bool isValid() const { return validationError().isEmpty(); }
    // What the preview shows: the full command line of a stdio server, or the URL.
    QString launchText() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void update();
    QString lineErrors() const;

    ServerConfig m_initial;
    QStringList m_taken;

    QLineEdit* m_name = nullptr;
    QComboBox* m_transport = nullptr;
    QFormLayout* m_form = nullptr;
    QLineEdit* m_command = nullptr;
    QPlainTextEdit* m_args = nullptr;
    QPlainTextEdit* m_env = nullptr;
    QLineEdit* m_cwd = nullptr;
    QLineEdit* m_url = nullptr;
    QPlainTextEdit* m_headers = nullptr;
    QComboBox* m_isolation = nullptr;
    QSpinBox* m_timeout = nullptr;
    QCheckBox* m_trusted = nullptr;
    QCheckBox* m_disabled = nullptr;
    QLabel* m_launchLabel = nullptr;
    QPlainTextEdit* m_launch = nullptr;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace portcullis::ui
