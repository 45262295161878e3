#pragma once

#include "policy/policy.h"

#include <QObject>
#include <QString>
#include <QUndoStack>

#include <functional>
#include <optional>

namespace portcullis::ui {

// The policy being edited: one value, changed only through undoable edits, and the file it
// belongs to. Every change is announced with a fresh immutable snapshot, which the window hands
// to the running gateway at once: the policy in force is always what the editor shows.
class PolicyDocument final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PolicyDocument)

public:
    explicit PolicyDocument(QObject* parent = nullptr);
    ~PolicyDocument() override;

    const Policy& policy() const { return *m_policy; }
    PolicySnapshot snapshot() const { return m_policy; }
    QUndoStack* undoStack() { return &m_undo; }
    QString fileName() const { return m_fileName; }
    bool isModified() const { return !m_undo.isClean(); }

    // One undoable step: `edit` gets the current policy and returns the new one, or a message
    // saying why it cannot be done (nothing changes then). An edit that changes nothing is not
    // recorded.
    using Edit = std::function<std::optional<QString>(Policy&)>;
    std::optional<QString> apply(const QString& description, const Edit& edit);

    // Replaces the document (Open, New): not undoable, and the result is unmodified.
    void reset(Policy policy, const QString& fileName);
    // Writes policy.json off the GUI thread; saved() follows. The document becomes unmodified
    // unless it was edited again while the file was being written.
    void save(const QString& fileName);
    bool isSaving() const { return m_saving; }

Q_SIGNALS:
    // `error` is empty when the file was written.
    void saved(const QString& fileName, const QString& error);
    void changed(const portcullis::PolicySnapshot& policy);
    void modifiedChanged(bool modified);

private:
    friend class PolicyEditCommand;
    void set(PolicySnapshot policy);

    PolicySnapshot m_policy;
    QString m_fileName;
    QUndoStack m_undo;
    bool m_saving = false;
};

} // namespace portcullis::ui
