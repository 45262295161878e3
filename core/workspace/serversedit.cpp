#include "workspace/serversedit.h"

#include "util/jsontext.h"
#include "workspace/clientconfigs.h"

#include <nlohmann/json.hpp>

#include <array>

namespace portcullis::ServersEdit {

using nlohmann::ordered_json;

namespace {

constexpr int kMaxDepth = 128;

// The keys ServersConfigIo reads; any other key in an entry belongs to someone else.
constexpr std::array<std::string_view, 13> kKnownKeys = {
    "command",   "args",      "env",    "cwd",       "url",     "headers", "type",
    "transport", "isolation", "prefix", "timeout_s", "trusted", "disabled"};

bool isKnownKey(std::string_view key) {
    for (const std::string_view k : kKnownKeys) {
        if (k == key)
            return true;
    }
    return false;
}

QString quoted(const std::string& s) {
    return QLatin1Char('"') + QString::fromStdString(s) + QLatin1Char('"');
}

std::optional<ServerConfig::Transport> transportNamed(const ordered_json& v) {
    if (!v.is_string())
        return std::nullopt;
    const std::string& t = v.get_ref<const std::string&>();
    if (t == "stdio")
        return ServerConfig::Transport::Stdio;
    if (t == "http" || t == "streamable-http" || t == "streamableHttp")
        return ServerConfig::Transport::StreamableHttp;
    if (t == "sse")
        return ServerConfig::Transport::LegacySse;
    return std::nullopt;
}

// The document and its mcpServers object, or why the text cannot be edited safely.
struct Document {
    ordered_json doc;
    QString error;
};

Document read(std::string_view text) {
    Document d;
    d.doc = ordered_json::object();
    if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        if (firstOffsetDeeperThan(text, kMaxDepth)) {
            d.error = QStringLiteral("servers.json nests too deeply to be read");
            return d;
        }
        d.doc = ordered_json::parse(text, nullptr, false);
        if (d.doc.is_discarded() || !d.doc.is_object()) {
            d.error = QStringLiteral("servers.json is not a valid JSON object; fix it first");
            return d;
        }
    }
    if (!d.doc.contains("mcpServers"))
        d.doc["mcpServers"] = ordered_json::object();
    if (!d.doc["mcpServers"].is_object())
        d.error = QStringLiteral("\"mcpServers\" in servers.json is not an object; fix it first");
    return d;
}

EditResult written(const ordered_json& doc) {
    return {doc.dump(2) + "\n", {}};
}

EditResult failed(QString error) {
    return {{}, std::move(error)};
}

ordered_json freshEntry(const ServerConfig& server) {
    return ordered_json::parse(ClientConfigImport::entryJson(server));
}

// A key of ours that entryJson() leaves out because it holds the default: kept as written,
// so an edit changes only what it changes. Keys of the other transport are not kept.
bool saysTheDefault(const std::string& key, const ordered_json& v,
                    ServerConfig::Transport transport) {
    const bool stdio = transport == ServerConfig::Transport::Stdio;
    if (key == "timeout_s")
        return v == ServerConfig{}.timeoutS;
    if (key == "trusted" || key == "disabled")
        return v == false;
    if (key == "isolation")
        return v == "shared";
    if (key == "env")
        return stdio && v.is_object() && v.empty();
    if (key == "args")
        return stdio && v.is_array() && v.empty();
    if (key == "cwd")
        return stdio && v == "";
    if (key == "headers")
        return !stdio && v.is_object() && v.empty();
    return false;
}

// The new entry laid over the old one: each key stays where it was, keys of ours that the
// new entry leaves out go, keys of others stay.
ordered_json overlay(const ordered_json& old, const ordered_json& fresh,
                     ServerConfig::Transport transport) {
    ordered_json out = ordered_json::object();
    bool keptType = false;
    if (old.is_object()) {
        for (const auto& [k, v] : old.items()) {
            if ((k == "type" || k == "transport") && transportNamed(v) == transport) {
                out[k] = v; // "streamable-http" and "http" say the same
                keptType = true;
            } else if (fresh.contains(k)) {
                out[k] = fresh[k];
            } else if (!isKnownKey(k) || saysTheDefault(k, v, transport)) {
                out[k] = v;
            }
        }
    }
    for (const auto& [k, v] : fresh.items()) {
        if (out.contains(k) || (keptType && k == "type"))
            continue;
        out[k] = v;
    }
    return out;
}

} // namespace

bool isValidName(const QString& name) {
    if (name.isEmpty() || name.size() > 64)
        return false;
    for (const QChar c : name) {
        const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                        (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                        (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') ||
                        c == QLatin1Char('-') || c == QLatin1Char('.');
        if (!ok)
            return false;
    }
    return true;
}

QString problemWith(std::string_view serversJson) {
    return read(serversJson).error;
}

QStringList serverNames(std::string_view serversJson) {
    const Document d = read(serversJson);
    QStringList names;
    if (!d.error.isEmpty())
        return names;
    for (const auto& [k, v] : d.doc["mcpServers"].items())
        names << QString::fromStdString(k);
    return names;
}

Lookup find(std::string_view serversJson, const std::string& key) {
    Lookup out;
    const Document d = read(serversJson);
    if (!d.error.isEmpty()) {
        out.problems << d.error;
        return out;
    }
    const ordered_json& servers = d.doc["mcpServers"];
    if (!servers.contains(key)) {
        out.problems << QStringLiteral("servers.json has no server named %1").arg(quoted(key));
        return out;
    }
    ordered_json alone = ordered_json::object();
    alone["mcpServers"][key] = servers[key];
    const ServersConfigResult parsed = ServersConfigIo::parse(alone.dump());
    for (const std::string& p : parsed.problems)
        out.problems << QString::fromStdString(p);
    if (parsed.config && !parsed.config->servers.empty())
        out.server = parsed.config->servers.front();
    return out;
}

EditResult add(std::string_view serversJson, const ServerConfig& server) {
    if (!isValidName(QString::fromStdString(server.key)))
        return failed(QStringLiteral("%1 is not a valid server name").arg(quoted(server.key)));
    Document d = read(serversJson);
    if (!d.error.isEmpty())
        return failed(d.error);
    ordered_json& servers = d.doc["mcpServers"];
    if (servers.contains(server.key))
        return failed(
            QStringLiteral("servers.json already has a server named %1").arg(quoted(server.key)));
    servers[server.key] = freshEntry(server);
    return written(d.doc);
}

EditResult replace(std::string_view serversJson, const std::string& oldKey,
                   const ServerConfig& server) {
    if (!isValidName(QString::fromStdString(server.key)))
        return failed(QStringLiteral("%1 is not a valid server name").arg(quoted(server.key)));
    Document d = read(serversJson);
    if (!d.error.isEmpty())
        return failed(d.error);
    const ordered_json& servers = d.doc["mcpServers"];
    if (!servers.contains(oldKey))
        return failed(QStringLiteral("servers.json has no server named %1").arg(quoted(oldKey)));
    if (server.key != oldKey && servers.contains(server.key))
        return failed(
            QStringLiteral("servers.json already has a server named %1").arg(quoted(server.key)));
    // Rebuilt rather than renamed in place: ordered_json has no rename, and a rename must keep
    // the entry's position.
    ordered_json rebuilt = ordered_json::object();
    for (const auto& [k, v] : servers.items()) {
        if (k == oldKey)
            rebuilt[server.key] = overlay(v, freshEntry(server), server.transport);
        else
            rebuilt[k] = v;
    }
    d.doc["mcpServers"] = std::move(rebuilt);
    return written(d.doc);
}

EditResult remove(std::string_view serversJson, const std::string& key) {
    Document d = read(serversJson);
    if (!d.error.isEmpty())
        return failed(d.error);
    ordered_json& servers = d.doc["mcpServers"];
    if (!servers.contains(key))
        return failed(QStringLiteral("servers.json has no server named %1").arg(quoted(key)));
    servers.erase(key);
    return written(d.doc);
}

} // namespace portcullis::ServersEdit
