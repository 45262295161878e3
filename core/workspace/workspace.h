#pragma once

#include "risk/riskclassifier.h"

#include <QString>

#include <map>
#include <optional>
#include <string>

namespace portcullis {

// A workspace is a folder: servers.json (the Claude Desktop "mcpServers" shape), policy.json, and
// workspace.json with what only the window needs. Keys in the maps are "<server>/<tool>".
struct WorkspaceState {
    std::map<std::string, RiskCategory> categoryOverrides; // the user's own risk categories
    std::map<std::string, std::string> reviewed; // fingerprint of the definition last reviewed
};

namespace Workspace {

QString serversFile(const QString& dir);
QString policyFile(const QString& dir);
QString stateFile(const QString& dir);
std::string toolKey(const std::string& server, const std::string& tool);

// A missing workspace.json is an empty state; a broken one is an error (never silently reset).
std::optional<WorkspaceState> loadState(const QString& dir, QString* error);
std::optional<QString> saveState(const QString& dir, const WorkspaceState& state);

// Writes through a temporary file and a rename, so a crash never leaves half a file.
std::optional<QString> writeFileAtomically(const QString& path, const QByteArray& bytes);

// A first-start workspace: servers.json runs the demo server (ECS and IAM tools) and
// policy.json is `policyText` (the strict starter policy). Existing files are left alone.
std::optional<QString> createDemo(const QString& dir, const QString& demoServerProgram,
                                  const QByteArray& policyText);

} // namespace Workspace

} // namespace portcullis
