#pragma once

#include "workspace/clientconfigs.h"

#include <QDialog>
#include <QPointer>

#include <map>
#include <vector>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
template <typename T> class QFutureWatcher;

namespace portcullis::ui {

// Imports servers from another client's configuration. Files are found and read on the
// thread pool: a config on a slow or network home folder must not freeze the window. Every
// candidate is listed with everything it would run before anything is imported.
class ImportDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportDialog)

public:
    // Offers the files of clientConfigLocations() that exist.
    explicit ImportDialog(QWidget* parent = nullptr);
    // Offers those of `locations` that exist (tests, or a project's own files).
    ImportDialog(std::vector<ClientConfigLocation> locations, QWidget* parent);
    ~ImportDialog() override;

    // Reads a file now, as "Choose a file…" does; it is added to the list of files.
    void openFile(ClientApp app, const QString& fileName);

    bool isReading() const { return !m_reading.isNull(); }
    const ClientConfigPreview& preview() const { return m_preview; }
    ClientApp currentApp() const { return m_app; }
    QString currentFile() const { return m_file; }

    // The ticked candidates, with the values typed for their ${input:...} variables.
    std::vector<ImportCandidate> selectedCandidates() const;

    QTreeWidget* candidatesTree() const { return m_tree; }

    // Guesses the client app from a file's name and folder, for a file the user picked.
    static ClientApp appForFile(const QString& fileName);

Q_SIGNALS:
    // The locations were looked for and the combo shows the files found.
    void locationsReady();
    // A file was read and its candidates are listed (or its errors shown).
    void previewReady();

private:
    void findLocations(std::vector<ClientConfigLocation> locations);
    void onLocationsFound(const std::vector<ClientConfigLocation>& found);
    void onSourceChosen(int index);
    void chooseFile();
    void selectSource(ClientApp app, const QString& fileName);
    void read(ClientApp app, const QString& fileName);
    void showPreview(ClientConfigPreview preview);
    void rebuildInputs();
    void updateReview();
    void updateButtons();
    std::vector<int> checkedIndexes() const;

    ClientConfigPreview m_preview;
    ClientApp m_app = ClientApp::ClaudeDesktop;
    QString m_file;
    int m_lastSource = -1; // to go back to when "Choose a file…" is cancelled
    QPointer<QFutureWatcher<ClientConfigPreview>> m_reading;
    std::map<int, int> m_reviewBlocks; // candidate index -> first line of its review block

    QComboBox* m_source = nullptr;
    QLabel* m_status = nullptr;
    QTreeWidget* m_tree = nullptr;
    QGroupBox* m_inputsBox = nullptr;
    QFormLayout* m_inputsForm = nullptr;
    std::map<QString, QLineEdit*> m_inputs;
    QPlainTextEdit* m_review = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_import = nullptr;
};

} // namespace portcullis::ui
