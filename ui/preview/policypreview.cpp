#include "ui/preview/policypreview.h"

#include "policy/policyio.h"
#include "ui/preview/jsonhighlighter.h"

#include <QFontDatabase>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QVBoxLayout>

namespace portcullis::ui {

namespace {

constexpr int kServerRole = Qt::UserRole + 1;
constexpr int kToolRole = Qt::UserRole + 2;

// "tools.NAME.limits[0]" or "servers.KEY.tools.NAME..." -> (KEY, NAME). Tool names may contain
// dots, so the name is matched against the policy's own rule names.
std::pair<std::string, std::string> toolOfPath(const std::string& path, const Policy& policy) {
    auto match = [&](const std::string& rest, const PolicySection& section) -> std::string {
        for (const auto& [name, rule] : section.tools) {
            if (rest == name || rest.rfind(name + '.', 0) == 0)
                return name;
        }
        return {};
    };
    if (path.rfind("tools.", 0) == 0)
        return {std::string(), match(path.substr(6), policy.top)};
    if (path.rfind("servers.", 0) == 0) {
        for (const auto& [key, section] : policy.servers) {
            const std::string prefix = "servers." + key + ".tools.";
            if (path.rfind(prefix, 0) == 0)
                return {key, match(path.substr(prefix.size()), section)};
        }
    }
    return {};
}

} // namespace

PolicyPreview::PolicyPreview(QWidget* parent)
    : QWidget(parent) {
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("policyPreviewText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    new JsonHighlighter(m_text->document(), dark);

    m_problems = new QListWidget(this);
    m_problems->setObjectName(QStringLiteral("policyProblems"));
    m_problems->setMaximumHeight(110);
    connect(m_problems, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        const std::string tool = item->data(kToolRole).toString().toStdString();
        if (!tool.empty())
            Q_EMIT toolActivated(item->data(kServerRole).toString().toStdString(), tool);
    });
    connect(m_problems, &QListWidget::itemClicked, m_problems, &QListWidget::itemActivated);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text, 1);
    auto* label = new QLabel(tr("Problems"), this);
    layout->addWidget(label);
    layout->addWidget(m_problems);
}

QString PolicyPreview::text() const {
    return m_text->toPlainText();
}

int PolicyPreview::problemCount() const {
    return m_problems->count();
}

void PolicyPreview::setPolicy(const Policy& policy, const std::set<std::string>& offered) {
    const std::string json = PolicyIo::serialize(policy);
    // Keep the reader's place: the text is replaced on every edit.
    const int scroll = m_text->verticalScrollBar()->value();
    m_text->setPlainText(QString::fromStdString(json));
    m_text->verticalScrollBar()->setValue(scroll);

    m_problems->clear();
    auto add = [this](const QString& text, const std::string& server, const std::string& tool) {
        auto* item = new QListWidgetItem(text, m_problems);
        item->setData(kServerRole, QString::fromStdString(server));
        item->setData(kToolRole, QString::fromStdString(tool));
    };
    // What the loader says about exactly these bytes: the file Save writes must load.
    const PolicyLoadResult check = PolicyIo::parse(json);
    for (const PolicyProblem& p : check.problems) {
        const auto [server, tool] = toolOfPath(p.path, policy);
        add(QString::fromStdString((p.isError() ? "error: " : "warning: ") + p.path + ": " +
                                   p.message),
            server, tool);
    }
    if (!offered.empty()) {
        for (const auto& [name, rule] : policy.top.tools) {
            if (!offered.count(name))
                add(tr("tools.%1: not offered by any server (the rule is kept)")
                        .arg(QString::fromStdString(name)),
                    std::string(), name);
        }
    }
}

} // namespace portcullis::ui
