#include "workspace/serversconfig.h"

#include "util/jsontext.h"

#include <QFile>

namespace portcullis {

using nlohmann::json;

const ServerConfig* ServersConfig::find(const std::string& key) const {
    for (const ServerConfig& s : servers) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

namespace {

constexpr std::size_t kMaxConfigBytes = 4 * 1024 * 1024;

// Keys that exposed names are built from must stay within MCP's tool-name alphabet.
bool validKey(const std::string& key) {
    if (key.empty() || key.size() > 64)
        return false;
    for (const char c : key) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

class Reader {
public:
    std::vector<std::string> problems;

    void problem(const std::string& path, const std::string& message) {
        problems.push_back(path + ": " + message);
    }

    std::optional<QString> string(const json& v, const std::string& path) {
        if (!v.is_string()) {
            problem(path, "expected a string");
            return std::nullopt;
        }
        return QString::fromStdString(v.get<std::string>());
    }

    std::map<QString, QString> stringMap(const json& v, const std::string& path) {
        std::map<QString, QString> out;
        if (!v.is_object()) {
            problem(path, "expected an object of strings");
            return out;
        }
        for (const auto& [k, value] : v.items()) {
            if (auto s = string(value, childPath(path, k)))
                out[QString::fromStdString(k)] = *s;
        }
        return out;
    }

    ServerConfig server(const std::string& key, const json& v, const std::string& path) {
        ServerConfig s;
        s.key = key;
        if (!validKey(key))
            problem(path, "server names may use letters, digits, '_', '-' and '.' (1 to 64)");
        if (!v.is_object()) {
            problem(path, "expected an object");
            return s;
        }
        std::optional<std::string> type;
        for (const auto& [k, value] : v.items()) {
            const std::string p = childPath(path, k);
            if (k == "command") {
                if (auto c = string(value, p))
                    s.command = *c;
            } else if (k == "args") {
                if (!value.is_array()) {
                    problem(p, "expected an array of strings");
                    continue;
                }
                for (std::size_t i = 0; i < value.size(); ++i) {
                    if (auto a = string(value[i], indexPath(p, i)))
                        s.args << *a;
                }
            } else if (k == "env") {
                s.env = stringMap(value, p);
            } else if (k == "cwd") {
                if (auto c = string(value, p))
                    s.cwd = *c;
            } else if (k == "url") {
                if (auto u = string(value, p))
                    s.url = *u;
            } else if (k == "headers") {
                s.headers = stringMap(value, p);
            } else if (k == "type" || k == "transport") {
                if (!value.is_string())
                    problem(p, "expected one of stdio, http, streamable-http, sse");
                else
                    type = value.get<std::string>();
            } else if (k == "isolation") {
                if (value == "shared")
                    s.isolation = ServerConfig::Isolation::Shared;
                else if (value == "per-session")
                    s.isolation = ServerConfig::Isolation::PerSession;
                else
                    problem(p, "expected one of shared, per-session");
            } else if (k == "prefix") {
                if (!value.is_string() || !validKey(value.get<std::string>()))
                    problem(p, "expected a name of letters, digits, '_', '-' and '.'");
                else
                    s.prefix = value.get<std::string>();
            } else if (k == "timeout_s") {
                if (!value.is_number_integer() || value.get<int>() < 1 || value.get<int>() > 86400)
                    problem(p, "expected whole seconds from 1 to 86400");
                else
                    s.timeoutS = value.get<int>();
            } else if (k == "trusted") {
                if (!value.is_boolean())
                    problem(p, "expected true or false");
                else
                    s.trusted = value.get<bool>();
            } else if (k == "disabled") {
                if (!value.is_boolean())
                    problem(p, "expected true or false");
                else
                    s.disabled = value.get<bool>();
            }
            // Other keys are left alone: client configs carry keys of their own.
        }
        if (type) {
            if (*type == "stdio")
                s.transport = ServerConfig::Transport::Stdio;
            else if (*type == "http" || *type == "streamable-http" || *type == "streamableHttp")
                s.transport = ServerConfig::Transport::StreamableHttp;
            else if (*type == "sse")
                s.transport = ServerConfig::Transport::LegacySse;
            else
                problem(childPath(path, "type"),
                        "expected one of stdio, http, streamable-http, sse");
        } else if (!s.url.isEmpty() && s.command.isEmpty()) {
            s.transport = ServerConfig::Transport::StreamableHttp;
        }
        if (s.transport == ServerConfig::Transport::Stdio && s.command.isEmpty())
            problem(path, "a stdio server needs a \"command\"");
        if (s.transport != ServerConfig::Transport::Stdio && s.url.isEmpty())
            problem(path, "an HTTP server needs a \"url\"");
        return s;
    }
};

} // namespace

namespace ServersConfigIo {

ServersConfigResult parse(std::string_view text) {
    ServersConfigResult result;
    if (text.size() > kMaxConfigBytes) {
        result.problems.push_back("file is larger than 4 MiB");
        return result;
    }
    if (firstOffsetDeeperThan(text, 64)) {
        result.problems.push_back("nesting deeper than 64 levels");
        return result;
    }
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        result.problems.push_back("not valid JSON");
        return result;
    }
    if (!doc.is_object() || !doc.contains("mcpServers") || !doc["mcpServers"].is_object()) {
        result.problems.push_back("mcpServers: expected an object of servers");
        return result;
    }
    Reader reader;
    ServersConfig config;
    // nlohmann orders keys alphabetically; that order is as good as file order for routing.
    for (const auto& [key, value] : doc["mcpServers"].items())
        config.servers.push_back(reader.server(key, value, childPath("mcpServers", key)));
    result.problems = std::move(reader.problems);
    if (result.problems.empty())
        result.config = std::move(config);
    return result;
}

ServersConfigResult loadFile(const QString& fileName) {
    QFile f(fileName);
    if (!f.open(QIODevice::ReadOnly)) {
        ServersConfigResult r;
        r.problems.push_back("cannot read " + fileName.toStdString() + ": " +
                             f.errorString().toStdString());
        return r;
    }
    const QByteArray bytes = f.read(static_cast<qint64>(kMaxConfigBytes) + 1);
    return parse(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

} // namespace ServersConfigIo

} // namespace portcullis
