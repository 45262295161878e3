#include "workspace/clientsnippets.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace portcullis {

using nlohmann::ordered_json;

namespace {

using Transport = ClientSnippet::Transport;

const char* const kServerName = "portcullis";

QString shownToken(const GatewayConnection& c, TokenDisplay display) {
    return display == TokenDisplay::Masked ? QString::fromUtf16(ClientSnippets::kMask) : c.token;
}

// Quotes one word for the shell the user is likely to paste into: POSIX sh on Linux and macOS,
// PowerShell or cmd on Windows (both take a double-quoted word without expanding much in it).
QString shellWord(const QString& word, HostOs os) {
    const bool plain = !word.isEmpty() && std::all_of(word.begin(), word.end(), [](QChar c) {
        return (c.unicode() < 0x80 && c.isLetterOrNumber()) ||
               QStringView(u"_@+=:,./-").contains(c);
    });
    if (plain)
        return word;
    if (os == HostOs::Windows)
        return QLatin1Char('"') + word + QLatin1Char('"');
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString commandLine(const QStringList& words, HostOs os) {
    QStringList out;
    for (const QString& w : words)
        out << shellWord(w, os);
    return out.join(QLatin1Char(' '));
}

QString userFileHint(ClientApp app, HostOs os) {
    // The locations function with symbolic folders gives the path as the user would type it.
    const bool windows = os == HostOs::Windows;
    const auto locations =
        clientConfigLocations(os, windows ? QStringLiteral("%USERPROFILE%") : QStringLiteral("~"),
                              windows ? QStringLiteral("%APPDATA%") : QString());
    for (const ClientConfigLocation& l : locations) {
        if (l.app == app)
            return windows ? QString(l.path).replace(QLatin1Char('/'), QLatin1Char('\\')) : l.path;
    }
    return {};
}

QString fileHint(ClientApp app, HostOs os) {
    const QString user = userFileHint(app, os);
    switch (app) {
    case ClientApp::ClaudeDesktop:
        return QStringLiteral("%1, under \"mcpServers\"").arg(user);
    case ClientApp::Cursor:
        return QStringLiteral("%1 (every project) or .cursor/mcp.json in a project, under "
                              "\"mcpServers\"")
            .arg(user);
    case ClientApp::VsCode:
        return QStringLiteral("%1 (MCP: Open User Configuration) or .vscode/mcp.json in a "
                              "workspace, under \"servers\"")
            .arg(user);
    case ClientApp::ClaudeCode:
        break;
    }
    return QStringLiteral("run in a terminal");
}

QStringList bridgeArgs(const GatewayConnection& c) {
    QStringList args{QStringLiteral("--url"), c.endpoint};
    if (!c.tokenFile.isEmpty())
        args << QStringLiteral("--token-file") << c.tokenFile;
    return args;
}

ordered_json stdioEntry(ClientApp app, const GatewayConnection& c, TokenDisplay display) {
    ordered_json e = ordered_json::object();
    if (app == ClientApp::VsCode)
        e["type"] = "stdio";
    e["command"] = c.bridgePath.toStdString();
    ordered_json args = ordered_json::array();
    for (const QString& a : bridgeArgs(c))
        args.push_back(a.toStdString());
    e["args"] = std::move(args);
    // Clients pass stdio servers only a few variables of their own environment, so the token
    // travels in the entry when there is no file for it.
    if (c.tokenFile.isEmpty())
        e["env"] = {{"PORTCULLIS_TOKEN", shownToken(c, display).toStdString()}};
    return e;
}

ordered_json httpEntry(ClientApp app, const GatewayConnection& c, TokenDisplay display) {
    ordered_json e = ordered_json::object();
    if (app == ClientApp::VsCode)
        e["type"] = "http";
    e["url"] = c.endpoint.toStdString();
    e["headers"] = {{"Authorization",
                     QString(QStringLiteral("Bearer ") + shownToken(c, display)).toStdString()}};
    return e;
}

ClientSnippet jsonSnippet(ClientApp app, Transport transport, ordered_json entry, HostOs os) {
    ordered_json doc = ordered_json::object();
    doc[app == ClientApp::VsCode ? "servers" : "mcpServers"][kServerName] = std::move(entry);
    ClientSnippet s{app, transport, {}, QString::fromStdString(doc.dump(2)), fileHint(app, os),
                    true};
    return s;
}

QString title(ClientApp app, Transport transport) {
    return transport == Transport::Http
               ? QStringLiteral("%1, over HTTP").arg(clientAppName(app))
               : QStringLiteral("%1, through portcullis-bridge (stdio)").arg(clientAppName(app));
}

ClientSnippet claudeCodeSnippet(Transport transport, const GatewayConnection& c,
                                TokenDisplay display, HostOs os) {
    // User scope: the gateway serves every project, while Claude Code's default scope is the
    // current project only.
    QStringList words{QStringLiteral("claude"), QStringLiteral("mcp"), QStringLiteral("add"),
                      QStringLiteral("--transport")};
    if (transport == Transport::Http) {
        words << QStringLiteral("http") << QStringLiteral("--scope") << QStringLiteral("user")
              << QString::fromLatin1(kServerName) << c.endpoint << QStringLiteral("--header")
              << QStringLiteral("Authorization: Bearer ") + shownToken(c, display);
    } else {
        words << QStringLiteral("stdio") << QStringLiteral("--scope") << QStringLiteral("user");
        if (c.tokenFile.isEmpty())
            words << QStringLiteral("--env")
                  << QStringLiteral("PORTCULLIS_TOKEN=") + shownToken(c, display);
        words << QString::fromLatin1(kServerName) << QStringLiteral("--") << c.bridgePath
              << bridgeArgs(c);
    }
    return {ClientApp::ClaudeCode,
            transport,
            {},
            commandLine(words, os),
            fileHint(ClientApp::ClaudeCode, os),
            false};
}

} // namespace

namespace ClientSnippets {

std::vector<ClientSnippet> forApp(ClientApp app, const GatewayConnection& connection,
                                  TokenDisplay display, HostOs os) {
    std::vector<ClientSnippet> out;
    if (app == ClientApp::ClaudeCode) {
        out.push_back(claudeCodeSnippet(Transport::Http, connection, display, os));
        out.push_back(claudeCodeSnippet(Transport::Stdio, connection, display, os));
    } else {
        // Claude Desktop starts only local commands from its file; remote servers reach it as
        // connectors added in its settings, which need a public, signed-in endpoint.
        if (app != ClientApp::ClaudeDesktop)
            out.push_back(
                jsonSnippet(app, Transport::Http, httpEntry(app, connection, display), os));
        out.push_back(jsonSnippet(app, Transport::Stdio, stdioEntry(app, connection, display), os));
    }
    for (ClientSnippet& s : out)
        s.title = title(s.app, s.transport);
    return out;
}

std::vector<ClientSnippet> all(const GatewayConnection& connection, TokenDisplay display,
                               HostOs os) {
    std::vector<ClientSnippet> out;
    for (const ClientApp app : kClientApps) {
        for (ClientSnippet& s : forApp(app, connection, display, os))
            out.push_back(std::move(s));
    }
    return out;
}

} // namespace ClientSnippets

} // namespace portcullis
