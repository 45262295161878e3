#pragma once

#include "policy/policy.h"

#include <QWidget>

#include <set>
#include <string>

class QListWidget;
class QPlainTextEdit;

namespace portcullis::ui {

// Exactly the policy.json that Save writes, kept current as rules change, with what the loader
// would say about it listed below; activating a problem names the tool it concerns.
class PolicyPreview final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PolicyPreview)

public:
    explicit PolicyPreview(QWidget* parent = nullptr);

    // `offered`: tool names some upstream offers, so rules for others can be pointed out.
    void setPolicy(const Policy& policy, const std::set<std::string>& offered);
    QString text() const;
    int problemCount() const;

Q_SIGNALS:
    void toolActivated(const std::string& server, const std::string& tool);

private:
    QPlainTextEdit* m_text = nullptr;
    QListWidget* m_problems = nullptr;
};

} // namespace portcullis::ui
