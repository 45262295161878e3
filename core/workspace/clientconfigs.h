#pragma once

#include "workspace/serversconfig.h"

#include <QString>
#include <QStringList>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

// The MCP clients whose configuration files Portcullis can import servers from and write
// connection snippets for.
enum class ClientApp { ClaudeDesktop, ClaudeCode, Cursor, VsCode };

inline constexpr ClientApp kClientApps[] = {ClientApp::ClaudeDesktop, ClientApp::ClaudeCode,
                                            ClientApp::Cursor, ClientApp::VsCode};

QString clientAppName(ClientApp app); // "Claude Desktop", "Claude Code", "Cursor", "VS Code"

enum class HostOs { Linux, MacOs, Windows };
HostOs currentHostOs();

// Where a client keeps its servers: one file for the user, or one inside a project folder.
struct ClientConfigLocation {
    enum class Scope { User, Project };

    ClientApp app;
    Scope scope;
    QString path; // '/'-separated, as Qt takes it on every system
};

// The user-level files, in kClientApps order. appDataDir is %APPDATA% on Windows and
// $XDG_CONFIG_HOME on Linux (Claude Desktop and VS Code both follow it there); empty means
// the usual default under homeDir. macOS ignores it.
std::vector<ClientConfigLocation> clientConfigLocations(HostOs os, const QString& homeDir,
                                                        const QString& appDataDir = {});
// The same for the running system.
std::vector<ClientConfigLocation> clientConfigLocations();
// The project files a client reads inside projectDir (.mcp.json, .cursor/mcp.json,
// .vscode/mcp.json). Claude Desktop has none.
std::vector<ClientConfigLocation> projectConfigLocations(const QString& projectDir);

// A ${input:ID} placeholder of VS Code's, which VS Code fills in by asking the user when the
// server starts. Portcullis never asks on its own, so the window asks at import time.
struct InputVariable {
    QString id;
    QString description; // from the file's "inputs", if it has one
    bool password = false;
    QString note; // what to tell the user about it
};

// One server found in a client's file, already translated into servers.json terms.
struct ImportCandidate {
    QString name;         // as the client calls it
    QString origin;       // empty, or the project path of a Claude Code per-project server
    ServerConfig server;  // server.key is the name made valid for servers.json
    QStringList notes;    // what changes on the way in (ignored keys, variables left as is)
    QStringList problems; // why it cannot be imported as it stands
    std::vector<InputVariable> inputs;
    // The entry starts portcullis-bridge or portcullis-gateway: importing it would route
    // Portcullis through itself, a loop.
    bool pointsAtPortcullis = false;

    bool importable() const { return problems.isEmpty() && !pointsAtPortcullis; }
};

struct ClientConfigPreview {
    std::vector<ImportCandidate> candidates; // user servers, then per project; file order
    QStringList notes;                       // about the file as a whole
    QStringList errors;                      // "3:14: invalid JSON: ..."; no candidates then
};

namespace ClientConfigImport {

// Reads a client's file. Comments and trailing commas are accepted from every app (VS Code
// allows them; for the others a note says the app itself may refuse the file). Both
// "mcpServers" and VS Code's "servers" are found whatever app is named, as are the
// per-project servers of Claude Code's ~/.claude.json and "mcp.servers" in VS Code's
// settings.json.
ClientConfigPreview preview(ClientApp app, std::string_view text);
ClientConfigPreview previewFile(ClientApp app, const QString& fileName);

// Replaces ${input:ID} in every string of the candidate for each ID in values and drops those
// inputs from candidate.inputs.
void applyInputValues(ImportCandidate& candidate, const std::map<QString, QString>& values);

// The servers.json entry for a server: command/args/env/cwd, or type/url/headers.
std::string entryJson(const ServerConfig& server);

struct MergeResult {
    std::string text;    // the new servers.json; empty when error is set
    QStringList added;   // keys written
    QStringList reports; // renames and skips, one sentence each
    QString error;       // the existing text could not be read; nothing was merged
};

// Adds the importable candidates to the text of a servers.json (empty text: a new file).
// Existing entries and keys stay as they are; a name already taken gets the first free
// "-2", "-3", ... suffix, and an entry identical to an existing one is skipped.
MergeResult merge(std::string_view serversJson, const std::vector<ImportCandidate>& selected);

} // namespace ClientConfigImport

} // namespace portcullis
