#include "ui/policydocument.h"

#include "policy/policyio.h"

#include <QFutureWatcher>
#include <QUndoCommand>
#include <QtConcurrent/QtConcurrentRun>

namespace portcullis::ui {

// Keeps both whole policies: a policy is small, and swapping snapshots makes undo exact.
class PolicyEditCommand final : public QUndoCommand {
public:
    PolicyEditCommand(PolicyDocument& doc, PolicySnapshot before, PolicySnapshot after,
                      const QString& text)
        : QUndoCommand(text)
        , m_doc(doc)
        , m_before(std::move(before))
        , m_after(std::move(after)) {}
    void undo() override { m_doc.set(m_before); }
    void redo() override { m_doc.set(m_after); }

private:
    PolicyDocument& m_doc;
    PolicySnapshot m_before;
    PolicySnapshot m_after;
};

PolicyDocument::PolicyDocument(QObject* parent)
    : QObject(parent)
    , m_policy(std::make_shared<const Policy>()) {
    connect(&m_undo, &QUndoStack::cleanChanged, this,
            [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
}

PolicyDocument::~PolicyDocument() {
    // The stack reports "clean" as it is torn down; nobody may hear that from a half-gone
    // document.
    m_undo.disconnect(this);
}

std::optional<QString> PolicyDocument::apply(const QString& description, const Edit& edit) {
    Policy next = *m_policy;
    if (auto problem = edit(next))
        return problem;
    if (next == *m_policy)
        return std::nullopt;
    m_undo.push(new PolicyEditCommand(
        *this, m_policy, std::make_shared<const Policy>(std::move(next)), description));
    return std::nullopt;
}

void PolicyDocument::set(PolicySnapshot policy) {
    m_policy = std::move(policy);
    Q_EMIT changed(m_policy);
}

void PolicyDocument::reset(Policy policy, const QString& fileName) {
    m_fileName = fileName;
    m_undo.clear();
    set(std::make_shared<const Policy>(std::move(policy)));
    Q_EMIT modifiedChanged(false);
}

void PolicyDocument::save(const QString& fileName) {
    m_saving = true;
    const int index = m_undo.index();
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, index, fileName] {
        const QString error = watcher->result();
        watcher->deleteLater();
        m_saving = false;
        if (error.isEmpty()) {
            m_fileName = fileName;
            if (m_undo.index() == index)
                m_undo.setClean();
        }
        Q_EMIT saved(fileName, error);
    });
    watcher->setFuture(QtConcurrent::run([policy = m_policy, fileName] {
        return PolicyIo::saveFile(*policy, fileName).value_or(QString());
    }));
}

} // namespace portcullis::ui
