#pragma once

#include "workspace/clientconfigs.h"
#include "workspace/serversconfig.h"

#include <QString>
#include <QStringList>

namespace portcullis {

// How a stdio server starts, written out in full as one line the user could paste into a
// shell to start it the same way. Nothing that runs may be hidden from whoever allows it to
// run, so this shows every word, every variable and the folder.
namespace LaunchLine {

// One word quoted for the shell os uses: POSIX sh on Linux and macOS, cmd on Windows.
QString shellWord(const QString& word, HostOs os = currentHostOs());

// program and args, each quoted where needed.
QString commandLine(const QString& program, const QStringList& args, HostOs os = currentHostOs());

// "cd DIR && NAME=value program args" (sh) or "cd /d DIR && set NAME=value && program args"
// (cmd); the gateway's own environment comes on top, as for any child process. For an HTTP
// server: its URL.
QString forServer(const ServerConfig& server, HostOs os = currentHostOs());

} // namespace LaunchLine

} // namespace portcullis
