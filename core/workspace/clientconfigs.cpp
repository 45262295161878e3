#include "workspace/clientconfigs.h"

#include "util/jsontext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <algorithm>

namespace portcullis {

using nlohmann::json;
using nlohmann::ordered_json;

QString clientAppName(ClientApp app) {
    switch (app) {
    case ClientApp::ClaudeDesktop:
        return QStringLiteral("Claude Desktop");
    case ClientApp::ClaudeCode:
        return QStringLiteral("Claude Code");
    case ClientApp::Cursor:
        return QStringLiteral("Cursor");
    case ClientApp::VsCode:
        return QStringLiteral("VS Code");
    }
    return {};
}

HostOs currentHostOs() {
#if defined(Q_OS_WIN)
    return HostOs::Windows;
#elif defined(Q_OS_MACOS)
    return HostOs::MacOs;
#else
    return HostOs::Linux;
#endif
}

namespace {

using Scope = ClientConfigLocation::Scope;

QString joinPath(const QString& dir, const QString& rest) {
    if (dir.endsWith(QLatin1Char('/')) || dir.endsWith(QLatin1Char('\\')))
        return dir + rest;
    return dir + QLatin1Char('/') + rest;
}

} // namespace

std::vector<ClientConfigLocation> clientConfigLocations(HostOs os, const QString& homeDir,
                                                        const QString& appDataDir) {
    // Claude Desktop and VS Code are Electron apps and keep their files in Electron's
    // per-user data folder; Claude Code and Cursor use dot files in the home folder everywhere.
    QString appData;
    switch (os) {
    case HostOs::Linux:
        appData = appDataDir.isEmpty() ? joinPath(homeDir, QStringLiteral(".config")) : appDataDir;
        break;
    case HostOs::MacOs:
        appData = joinPath(homeDir, QStringLiteral("Library/Application Support"));
        break;
    case HostOs::Windows:
        appData = appDataDir.isEmpty() ? joinPath(homeDir, QStringLiteral("AppData/Roaming"))
                                       : appDataDir;
        break;
    }
    return {
        {ClientApp::ClaudeDesktop, Scope::User,
         joinPath(appData, QStringLiteral("Claude/claude_desktop_config.json"))},
        {ClientApp::ClaudeCode, Scope::User, joinPath(homeDir, QStringLiteral(".claude.json"))},
        {ClientApp::Cursor, Scope::User, joinPath(homeDir, QStringLiteral(".cursor/mcp.json"))},
        {ClientApp::VsCode, Scope::User, joinPath(appData, QStringLiteral("Code/User/mcp.json"))},
    };
}

std::vector<ClientConfigLocation> clientConfigLocations() {
    const HostOs os = currentHostOs();
    QString appData;
    if (os == HostOs::Windows)
        appData = QDir::fromNativeSeparators(qEnvironmentVariable("APPDATA"));
    else if (os == HostOs::Linux)
        appData = qEnvironmentVariable("XDG_CONFIG_HOME");
    // The XDG spec says a relative value is to be ignored.
    if (!appData.isEmpty() && QFileInfo(appData).isRelative())
        appData.clear();
    return clientConfigLocations(os, QDir::homePath(), appData);
}

std::vector<ClientConfigLocation> projectConfigLocations(const QString& projectDir) {
    return {
        {ClientApp::ClaudeCode, Scope::Project, joinPath(projectDir, QStringLiteral(".mcp.json"))},
        {ClientApp::Cursor, Scope::Project,
         joinPath(projectDir, QStringLiteral(".cursor/mcp.json"))},
        {ClientApp::VsCode, Scope::Project,
         joinPath(projectDir, QStringLiteral(".vscode/mcp.json"))},
    };
}

namespace {

// ~/.claude.json also holds Claude Code's per-project state and grows with use.
constexpr std::size_t kMaxClientConfigBytes = 16 * 1024 * 1024;
constexpr int kMaxDepth = 128;

QString quoted(const QString& s) {
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QString fromJson(const std::string& s) {
    return QString::fromStdString(s);
}

// Blanks comments and trailing commas with spaces, outside strings. Every byte keeps its
// offset, so a parse error still points at the right line and column of the original text.
bool blankJsoncExtras(std::string& text) {
    bool changed = false;
    auto blank = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            if (text[i] != '\n' && text[i] != '\r')
                text[i] = ' ';
        }
        changed = true;
    };
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        const char next = i + 1 < text.size() ? text[i + 1] : '\0';
        if (c == '"') {
            inString = true;
        } else if (c == '/' && next == '/') {
            std::size_t end = text.find('\n', i);
            end = end == std::string::npos ? text.size() : end;
            blank(i, end);
            i = end - 1;
        } else if (c == '/' && next == '*') {
            // An unclosed comment is left for the parser to report where it starts.
            const std::size_t close = text.find("*/", i + 2);
            if (close == std::string::npos)
                break;
            blank(i, close + 2);
            i = close + 1;
        }
    }
    inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == ',') {
            const std::size_t next = text.find_first_not_of(" \t\r\n", i + 1);
            if (next != std::string::npos && (text[next] == '}' || text[next] == ']'))
                blank(i, i + 1);
        }
    }
    return changed;
}

// nlohmann reports a bad token by the offset of its last byte; a reader looks for its start.
std::size_t startOfToken(std::string_view text, std::size_t last) {
    if (last >= text.size())
        return text.size();
    if (text[last] == '"') {
        for (std::size_t at = last; at > 0; --at) {
            if (text[at - 1] == '"' && (at < 2 || text[at - 2] != '\\'))
                return at - 1;
        }
        return last;
    }
    auto inLiteral = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == '+';
    };
    std::size_t at = last;
    while (at > 0 && inLiteral(text[at]) && inLiteral(text[at - 1]))
        --at;
    return at;
}

QString positioned(std::string_view text, std::size_t offset, const QString& message) {
    const TextPosition pos = positionOfOffset(text, offset);
    return QStringLiteral("%1:%2: %3").arg(pos.line).arg(pos.column).arg(message);
}

bool validKeyChar(QChar c) {
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
           (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
           (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') ||
           c == QLatin1Char('-') || c == QLatin1Char('.');
}

// Client names are free text ("GitHub MCP"); servers.json keys become part of tool names.
QString validKey(const QString& name) {
    QString key;
    for (const QChar c : name)
        key += validKeyChar(c) ? c : QLatin1Char('-');
    key.truncate(64);
    return key.isEmpty() ? QStringLiteral("server") : key;
}

bool isPortcullisPath(QString path) {
    // Backslashes too: the file may come from Windows whatever system reads it.
    path = path.trimmed().replace(QLatin1Char('\\'), QLatin1Char('/'));
    QString name = path.section(QLatin1Char('/'), -1).toLower();
    if (name.endsWith(QLatin1String(".exe")))
        name.chop(4);
    return name == QLatin1String("portcullis-bridge") ||
           name == QLatin1String("portcullis-gateway");
}

// A command, an argument of a wrapper such as "env", or a shell line that starts with one.
bool isPortcullisProgram(const QString& commandOrArg) {
    return isPortcullisPath(commandOrArg) ||
           isPortcullisPath(commandOrArg.trimmed().section(QLatin1Char(' '), 0, 0));
}

struct InputInfo {
    QString description;
    bool password = false;
};

// Every string of a server that a client expands variables in.
template <typename Fn> void forEachString(ServerConfig& s, Fn&& fn) {
    fn(s.command);
    for (QString& a : s.args)
        fn(a);
    for (auto& [k, v] : s.env)
        fn(v);
    fn(s.cwd);
    fn(s.url);
    for (auto& [k, v] : s.headers)
        fn(v);
}

class Translator {
public:
    Translator(ClientApp app, std::map<QString, InputInfo> inputs)
        : m_app(app)
        , m_inputs(std::move(inputs)) {}

    ImportCandidate candidate(const std::string& name, const ordered_json& v,
                              const QString& origin) {
        ImportCandidate c;
        c.name = fromJson(name);
        c.origin = origin;
        const QString key = validKey(c.name);
        c.server.key = key.toStdString();
        if (key != c.name)
            c.notes << QStringLiteral("renamed to %1: servers.json names use letters, digits, "
                                      "'_', '-' and '.'")
                           .arg(quoted(key));
        if (!v.is_object()) {
            c.problems << QStringLiteral("expected an object describing the server");
            return c;
        }
        readKeys(c, v);
        resolveTransport(c);
        for (const QString& s : QStringList{c.server.command} + c.server.args) {
            if (isPortcullisProgram(s)) {
                c.pointsAtPortcullis = true;
                c.notes << QStringLiteral("this is Portcullis itself: importing it would send "
                                          "Portcullis's calls back through Portcullis");
                break;
            }
        }
        noteVariables(c);
        return c;
    }

private:
    ClientApp m_app;
    std::map<QString, InputInfo> m_inputs;
    std::optional<std::string> m_type;

    static std::optional<QString> scalarText(const ordered_json& v) {
        if (v.is_string())
            return fromJson(v.get<std::string>());
        if (v.is_number() || v.is_boolean())
            return fromJson(v.dump());
        return std::nullopt;
    }

    static std::map<QString, QString> stringMap(ImportCandidate& c, const ordered_json& v,
                                                const std::string& key) {
        std::map<QString, QString> out;
        if (!v.is_object()) {
            c.problems
                << QStringLiteral("%1 should be an object of strings").arg(quoted(fromJson(key)));
            return out;
        }
        for (const auto& [k, value] : v.items()) {
            const auto text = scalarText(value);
            if (!text) {
                c.problems
                    << QStringLiteral("%1.%2 should be a string").arg(fromJson(key), fromJson(k));
                continue;
            }
            // Numbers and booleans reach a process as text anyway.
            if (!value.is_string())
                c.notes << QStringLiteral("%1.%2 is written as the string %3")
                               .arg(fromJson(key), fromJson(k), quoted(*text));
            out[fromJson(k)] = *text;
        }
        return out;
    }

    static void readString(ImportCandidate& c, const ordered_json& v, const std::string& key,
                           QString& into) {
        if (v.is_string())
            into = fromJson(v.get<std::string>());
        else
            c.problems << QStringLiteral("%1 should be a string").arg(quoted(fromJson(key)));
    }

    void readKeys(ImportCandidate& c, const ordered_json& v) {
        ServerConfig& s = c.server;
        QStringList ignored;
        m_type.reset();
        for (const auto& [k, value] : v.items()) {
            if (k == "command") {
                readString(c, value, k, s.command);
            } else if (k == "args") {
                if (!value.is_array()) {
                    c.problems << QStringLiteral("\"args\" should be an array of strings");
                    continue;
                }
                for (const auto& a : value) {
                    if (const auto text = scalarText(a))
                        s.args << *text;
                    else
                        c.problems << QStringLiteral("\"args\" should hold only strings");
                }
            } else if (k == "env") {
                s.env = stringMap(c, value, k);
            } else if (k == "headers") {
                s.headers = stringMap(c, value, k);
            } else if (k == "cwd") {
                readString(c, value, k, s.cwd);
            } else if (k == "url") {
                readString(c, value, k, s.url);
            } else if (k == "type" || k == "transport") {
                if (value.is_string())
                    m_type = value.get<std::string>();
                else
                    c.problems << QStringLiteral("%1 should be a string").arg(quoted(fromJson(k)));
            } else if (k == "disabled") {
                s.disabled = value.is_boolean() && value.get<bool>();
                if (s.disabled)
                    c.notes << QStringLiteral("switched off in %1: imported switched off")
                                   .arg(clientAppName(m_app));
            } else if (k == "envFile") {
                c.notes << QStringLiteral("\"envFile\" is not read by Portcullis: copy the "
                                          "variables it sets into \"env\"");
            } else if (k == "oauth" || k == "auth") {
                c.notes << QStringLiteral("Portcullis does not sign in with OAuth: put the "
                                          "server's token in \"headers\"");
            } else if (k == "headersHelper") {
                c.notes << QStringLiteral("\"headersHelper\" is not run by Portcullis: put the "
                                          "headers it prints in \"headers\"");
            } else {
                ignored << quoted(fromJson(k));
            }
        }
        if (!ignored.isEmpty())
            c.notes << QStringLiteral("left out, as Portcullis does not use them: %1")
                           .arg(ignored.join(QStringLiteral(", ")));
    }

    void resolveTransport(ImportCandidate& c) {
        ServerConfig& s = c.server;
        if (m_type) {
            const std::string& t = *m_type;
            if (t == "stdio") {
                s.transport = ServerConfig::Transport::Stdio;
            } else if (t == "http" || t == "streamable-http" || t == "streamableHttp") {
                s.transport = ServerConfig::Transport::StreamableHttp;
            } else if (t == "sse") {
                s.transport = ServerConfig::Transport::LegacySse;
            } else {
                c.problems << QStringLiteral("unknown transport %1; Portcullis speaks stdio, "
                                             "http and sse")
                                  .arg(quoted(fromJson(t)));
                return;
            }
        } else if (!s.url.isEmpty() && s.command.isEmpty()) {
            s.transport = ServerConfig::Transport::StreamableHttp;
        }
        if (s.transport == ServerConfig::Transport::Stdio) {
            if (s.command.isEmpty())
                c.problems << QStringLiteral("no \"command\" to start the server with");
            return;
        }
        if (s.url.isEmpty()) {
            c.problems << QStringLiteral("no \"url\" to reach the server at");
            return;
        }
        // VS Code also reaches servers on unix:// sockets and pipe:// names; we do not.
        const QString scheme = QUrl(s.url).scheme().toLower();
        if (scheme != QLatin1String("http") && scheme != QLatin1String("https") &&
            !s.url.startsWith(QLatin1String("${")))
            c.problems << QStringLiteral("Portcullis reaches servers over http:// and https:// "
                                         "only, not %1")
                              .arg(s.url);
    }

    void noteVariables(ImportCandidate& c) {
        QStringList seen;
        forEachString(c.server, [&](const QString& s) {
            for (qsizetype at = s.indexOf(QLatin1String("${")); at >= 0;
                 at = s.indexOf(QLatin1String("${"), at + 2)) {
                const qsizetype close = s.indexOf(QLatin1Char('}'), at + 2);
                if (close < 0)
                    break;
                const QString name = s.mid(at + 2, close - at - 2);
                if (!seen.contains(name))
                    seen << name;
            }
        });
        for (const QString& name : seen) {
            const QString variable = QStringLiteral("${%1}").arg(name);
            if (name.startsWith(QLatin1String("input:"))) {
                InputVariable in;
                in.id = name.mid(6);
                const auto info = m_inputs.find(in.id);
                if (info != m_inputs.end()) {
                    in.description = info->second.description;
                    in.password = info->second.password;
                }
                in.note = QStringLiteral("uses %1%2, which %3 asks for when the server starts: "
                                         "give its value now, or it is left as is")
                              .arg(variable,
                                   in.description.isEmpty()
                                       ? QString()
                                       : QStringLiteral(" (%1)").arg(quoted(in.description)),
                                   clientAppName(m_app));
                c.inputs.push_back(std::move(in));
            } else {
                c.notes << QStringLiteral("uses %1, which Portcullis does not expand: left as "
                                          "is; write the value itself into servers.json")
                               .arg(variable);
            }
        }
    }
};

std::map<QString, InputInfo> readInputs(const ordered_json& inputs) {
    std::map<QString, InputInfo> out;
    if (!inputs.is_array())
        return out;
    for (const auto& in : inputs) {
        if (!in.is_object() || !in.contains("id") || !in["id"].is_string())
            continue;
        InputInfo info;
        if (in.contains("description") && in["description"].is_string())
            info.description = fromJson(in["description"].get<std::string>());
        info.password = in.contains("password") && in["password"] == true;
        out[fromJson(in["id"].get<std::string>())] = info;
    }
    return out;
}

} // namespace

namespace ClientConfigImport {

ClientConfigPreview preview(ClientApp app, std::string_view text) {
    ClientConfigPreview out;
    if (text.size() > kMaxClientConfigBytes) {
        out.errors << QStringLiteral("the file is larger than 16 MiB");
        return out;
    }
    std::string clean(text);
    const bool relaxed = blankJsoncExtras(clean);
    if (const auto at = firstOffsetDeeperThan(clean, kMaxDepth)) {
        out.errors << positioned(text, *at, QStringLiteral("nesting deeper than 128 levels"));
        return out;
    }
    ordered_json doc;
    try {
        doc = ordered_json::parse(clean);
    } catch (const json::parse_error& e) {
        // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
        // carries the position of the blanked text; keep only the message after it.
        std::string what = e.what();
        if (const auto colon = what.find(": ", what.find("column")); colon != std::string::npos)
            what = what.substr(colon + 2);
        out.errors << positioned(text, startOfToken(clean, e.byte > 0 ? e.byte - 1 : 0),
                                 QStringLiteral("invalid JSON: ") + fromJson(what));
        return out;
    } catch (const json::exception& e) {
        out.errors << QStringLiteral("invalid JSON: ") + fromJson(e.what());
        return out;
    }
    if (relaxed && app != ClientApp::VsCode)
        out.notes << QStringLiteral("the file has comments or trailing commas, which %1 may "
                                    "refuse; it was read anyway")
                         .arg(clientAppName(app));
    if (!doc.is_object()) {
        out.errors << QStringLiteral("expected an object at the top of the file");
        return out;
    }

    bool foundSection = false;
    auto section = [&](const ordered_json& servers, const QString& where, const QString& origin,
                       const ordered_json& sectionInputs) {
        foundSection = true;
        if (!servers.is_object()) {
            out.errors << QStringLiteral("%1 should be an object of servers").arg(where);
            return;
        }
        Translator translator(app, readInputs(sectionInputs));
        for (const auto& [name, entry] : servers.items())
            out.candidates.push_back(translator.candidate(name, entry, origin));
    };
    const ordered_json none;
    const ordered_json& inputs = doc.contains("inputs") ? doc["inputs"] : none;
    if (doc.contains("mcpServers"))
        section(doc["mcpServers"], QStringLiteral("\"mcpServers\""), {}, inputs);
    if (doc.contains("servers"))
        section(doc["servers"], QStringLiteral("\"servers\""), {}, inputs);
    // VS Code kept servers in settings.json under "mcp" before it had mcp.json.
    if (doc.contains("mcp") && doc["mcp"].is_object() && doc["mcp"].contains("servers")) {
        const ordered_json& mcp = doc["mcp"];
        section(mcp["servers"], QStringLiteral("\"mcp.servers\""), {},
                mcp.contains("inputs") ? mcp["inputs"] : none);
    }
    // Claude Code's ~/.claude.json: servers added with the default local scope live under
    // the project they were added in.
    if (doc.contains("projects") && doc["projects"].is_object()) {
        for (const auto& [path, project] : doc["projects"].items()) {
            if (project.is_object() && project.contains("mcpServers") &&
                !project["mcpServers"].empty())
                section(project["mcpServers"],
                        QStringLiteral("\"mcpServers\" of ") + fromJson(path), fromJson(path),
                        none);
        }
    }
    if (!foundSection)
        out.errors << QStringLiteral("no \"mcpServers\" (or VS Code's \"servers\") in this file");
    else if (out.candidates.empty() && out.errors.isEmpty())
        out.notes << QStringLiteral("no MCP servers in this file");
    return out;
}

ClientConfigPreview previewFile(ClientApp app, const QString& fileName) {
    QFile f(fileName);
    if (!f.open(QIODevice::ReadOnly)) {
        ClientConfigPreview out;
        out.errors << QStringLiteral("cannot read %1: %2").arg(fileName, f.errorString());
        return out;
    }
    const QByteArray bytes = f.read(static_cast<qint64>(kMaxClientConfigBytes) + 1);
    return preview(app,
                   std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

void applyInputValues(ImportCandidate& candidate, const std::map<QString, QString>& values) {
    forEachString(candidate.server, [&](QString& s) {
        for (const auto& [id, value] : values)
            s.replace(QStringLiteral("${input:%1}").arg(id), value);
    });
    std::erase_if(candidate.inputs,
                  [&](const InputVariable& in) { return values.count(in.id) > 0; });
}

namespace {

ordered_json entryObject(const ServerConfig& s) {
    ordered_json e = ordered_json::object();
    auto stringMap = [](const std::map<QString, QString>& m) {
        ordered_json o = ordered_json::object();
        for (const auto& [k, v] : m)
            o[k.toStdString()] = v.toStdString();
        return o;
    };
    if (s.transport == ServerConfig::Transport::Stdio) {
        e["command"] = s.command.toStdString();
        if (!s.args.isEmpty()) {
            ordered_json args = ordered_json::array();
            for (const QString& a : s.args)
                args.push_back(a.toStdString());
            e["args"] = std::move(args);
        }
        if (!s.env.empty())
            e["env"] = stringMap(s.env);
        if (!s.cwd.isEmpty())
            e["cwd"] = s.cwd.toStdString();
    } else {
        e["type"] = s.transport == ServerConfig::Transport::LegacySse ? "sse" : "http";
        e["url"] = s.url.toStdString();
        if (!s.headers.empty())
            e["headers"] = stringMap(s.headers);
    }
    if (s.isolation == ServerConfig::Isolation::PerSession)
        e["isolation"] = "per-session";
    if (s.prefix)
        e["prefix"] = *s.prefix;
    if (s.timeoutS != ServerConfig{}.timeoutS)
        e["timeout_s"] = s.timeoutS;
    if (s.trusted)
        e["trusted"] = true;
    if (s.disabled)
        e["disabled"] = true;
    return e;
}

// Key order in a hand-written entry says nothing about whether it is the same server.
bool sameEntry(const ordered_json& a, const ordered_json& b) {
    return json::parse(a.dump()) == json::parse(b.dump());
}

std::string freeKey(const ordered_json& servers, const std::string& wanted) {
    if (!servers.contains(wanted))
        return wanted;
    for (int n = 2;; ++n) {
        const std::string suffix = "-" + std::to_string(n);
        const std::string key = wanted.substr(0, 64 - suffix.size()) + suffix;
        if (!servers.contains(key))
            return key;
    }
}

} // namespace

std::string entryJson(const ServerConfig& server) {
    return entryObject(server).dump(2);
}

MergeResult merge(std::string_view serversJson, const std::vector<ImportCandidate>& selected) {
    MergeResult r;
    ordered_json doc = ordered_json::object();
    if (serversJson.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        if (firstOffsetDeeperThan(serversJson, kMaxDepth)) {
            r.error = QStringLiteral("servers.json nests too deeply to be read");
            return r;
        }
        doc = ordered_json::parse(serversJson, nullptr, false);
        if (doc.is_discarded() || !doc.is_object()) {
            r.error = QStringLiteral("servers.json is not a valid JSON object; fix it first");
            return r;
        }
    }
    if (!doc.contains("mcpServers"))
        doc["mcpServers"] = ordered_json::object();
    ordered_json& servers = doc["mcpServers"];
    if (!servers.is_object()) {
        r.error = QStringLiteral("\"mcpServers\" in servers.json is not an object; fix it first");
        return r;
    }
    for (const ImportCandidate& c : selected) {
        if (c.pointsAtPortcullis) {
            r.reports << QStringLiteral("skipped %1: it is Portcullis itself").arg(quoted(c.name));
            continue;
        }
        if (!c.problems.isEmpty()) {
            r.reports << QStringLiteral("skipped %1: %2").arg(quoted(c.name), c.problems.first());
            continue;
        }
        const ordered_json entry = entryObject(c.server);
        std::optional<std::string> same;
        for (const auto& [existingKey, existing] : servers.items()) {
            if (sameEntry(existing, entry)) {
                same = existingKey;
                break;
            }
        }
        if (same) {
            r.reports << QStringLiteral("skipped %1: servers.json already has it as %2")
                             .arg(quoted(c.name), quoted(fromJson(*same)));
            continue;
        }
        const std::string key = freeKey(servers, c.server.key);
        if (key != c.server.key)
            r.reports << QStringLiteral("%1 is already taken in servers.json: added as %2")
                             .arg(quoted(fromJson(c.server.key)), quoted(fromJson(key)));
        servers[key] = entry;
        r.added << fromJson(key);
    }
    r.text = doc.dump(2) + "\n";
    return r;
}

} // namespace ClientConfigImport

} // namespace portcullis
