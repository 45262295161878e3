#pragma once

#include "policy/policy.h"
#include "workspace/serversconfig.h"
#include "workspace/workspace.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace portcullis::ui {

// Everything a window needs from disk to open a workspace, read off the GUI thread.
struct LoadedWorkspace {
    QString dir; // the workspace folder (token and workspace.json live here)
    QString serversFile;
    QString policyFile;
    std::optional<ServersConfig> servers;
    std::string serversText; // as on disk, for edits that keep everything else as written
    std::optional<Policy> policy;
    WorkspaceState state;
    QString token;
    QStringList errors; // any of these means the workspace did not open
};

struct WorkspaceRequest {
    QString dir;
    QString serversFile; // empty: the folder's servers.json
    QString policyFile;  // empty: the folder's policy.json
    // Files that do not exist yet are created: empty (New), or the demo workspace.
    enum class Create { Nothing, Empty, Demo } create = Create::Nothing;
    QString demoServerProgram;
    QByteArray demoPolicy;
};

// Creates what was asked for, then reads servers.json, policy.json, workspace.json and the
// access token (generating one in the folder when there is none). Blocking: run it with
// QtConcurrent.
LoadedWorkspace loadWorkspace(const WorkspaceRequest& request);

} // namespace portcullis::ui
