#include "workspace/workspace.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <nlohmann/json.hpp>

namespace portcullis::Workspace {

using nlohmann::json;

QString serversFile(const QString& dir) {
    return QDir(dir).filePath(QStringLiteral("servers.json"));
}

QString policyFile(const QString& dir) {
    return QDir(dir).filePath(QStringLiteral("policy.json"));
}

QString stateFile(const QString& dir) {
    return QDir(dir).filePath(QStringLiteral("workspace.json"));
}

std::string toolKey(const std::string& server, const std::string& tool) {
    return server + '/' + tool;
}

std::optional<QString> writeFileAtomically(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

std::optional<WorkspaceState> loadState(const QString& dir, QString* error) {
    WorkspaceState state;
    QFile file(stateFile(dir));
    if (!file.exists())
        return state;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    const json j = json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (!j.is_object()) {
        *error = QStringLiteral("%1 is not a JSON object").arg(file.fileName());
        return std::nullopt;
    }
    if (auto o = j.find("category_overrides"); o != j.end() && o->is_object()) {
        for (const auto& [key, value] : o->items()) {
            if (!value.is_string())
                continue;
            if (const auto c = riskCategoryFromString(value.get<std::string>()))
                state.categoryOverrides[key] = *c;
        }
    }
    if (auto r = j.find("reviewed"); r != j.end() && r->is_object()) {
        for (const auto& [key, value] : r->items()) {
            if (value.is_string())
                state.reviewed[key] = value.get<std::string>();
        }
    }
    return state;
}

std::optional<QString> saveState(const QString& dir, const WorkspaceState& state) {
    json overrides = json::object();
    for (const auto& [key, category] : state.categoryOverrides)
        overrides[key] = toString(category);
    json reviewed = json::object();
    for (const auto& [key, fingerprint] : state.reviewed)
        reviewed[key] = fingerprint;
    const json j = {{"category_overrides", overrides}, {"reviewed", reviewed}};
    return writeFileAtomically(stateFile(dir), QByteArray::fromStdString(j.dump(2) + '\n'));
}

std::optional<QString> createDemo(const QString& dir, const QString& demoServerProgram,
                                  const QByteArray& policyText) {
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create the folder %1").arg(dir);
    if (!QFile::exists(serversFile(dir))) {
        const json servers = {
            {"mcpServers",
             {{"demo", {{"command", demoServerProgram.toStdString()}, {"args", json::array()}}}}}};
        if (auto e = writeFileAtomically(serversFile(dir),
                                         QByteArray::fromStdString(servers.dump(2) + '\n')))
            return e;
    }
    if (!QFile::exists(policyFile(dir))) {
        if (auto e = writeFileAtomically(policyFile(dir), policyText))
            return e;
    }
    return std::nullopt;
}

} // namespace portcullis::Workspace
