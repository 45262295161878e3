#pragma once

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace portcullis {

// One upstream in servers.json: the Claude Desktop "mcpServers" shape, so existing client
// configs import as they are, plus a few keys of ours.
struct ServerConfig {
    enum class Transport { Stdio, StreamableHttp, LegacySse };
    enum class Isolation { Shared, PerSession };

    std::string key; // the name in mcpServers; selects a servers.KEY policy section
    Transport transport = Transport::Stdio;
    QString command;
    QStringList args;
    std::map<QString, QString> env;
    QString cwd;
    QString url;
    std::map<QString, QString> headers; // sent upstream; the agent's Authorization never is
    Isolation isolation = Isolation::Shared;
    std::optional<std::string> prefix; // overrides "<key>__" in exposed names
    int timeoutS = 120;
    bool trusted = false; // whether tool annotations count as risk evidence
    bool disabled = false;
};

struct ServersConfig {
    std::vector<ServerConfig> servers; // sorted by key

    const ServerConfig* find(const std::string& key) const;
};

struct ServersConfigResult {
    std::optional<ServersConfig> config;
    std::vector<std::string> problems; // "mcpServers.ecs.command: expected a string"
};

namespace ServersConfigIo {
ServersConfigResult parse(std::string_view text);
ServersConfigResult loadFile(const QString& fileName);
} // namespace ServersConfigIo

} // namespace portcullis
