#pragma once

#include "workspace/clientconfigs.h"

#include <QString>

#include <vector>

namespace portcullis {

// What a client needs to reach a running gateway.
struct GatewayConnection {
    QString endpoint;   // http://127.0.0.1:8765/mcp
    QString token;      // the bearer token the endpoint expects
    QString bridgePath; // the portcullis-bridge executable
    QString tokenFile;  // a file holding the token, for the bridge; empty: the token goes in env
};

// One ready-to-paste piece of configuration.
struct ClientSnippet {
    enum class Transport { Http, Stdio };

    ClientApp app;
    Transport transport;
    QString title; // "Cursor, over HTTP"
    QString text;  // a JSON document or a shell command line
    QString where; // a file path hint, or "run in a terminal"
    bool isJson = false;
};

// Masked for showing on screen (the token becomes "••••"), Real for the clipboard.
enum class TokenDisplay { Masked, Real };

namespace ClientSnippets {

inline constexpr char16_t kMask[] = u"••••";

// For every app in kClientApps order: HTTP first where the app reaches remote servers from
// its configuration (all but Claude Desktop), then stdio through portcullis-bridge. os picks
// the path hints and the shell quoting of command lines.
std::vector<ClientSnippet> all(const GatewayConnection& connection, TokenDisplay display,
                               HostOs os = currentHostOs());
std::vector<ClientSnippet> forApp(ClientApp app, const GatewayConnection& connection,
                                  TokenDisplay display, HostOs os = currentHostOs());

} // namespace ClientSnippets

} // namespace portcullis
