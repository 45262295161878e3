#pragma once

#include "workspace/serversconfig.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

// Edits of one servers.json entry as pure functions on the file's text, for the window's add,
// edit and remove. Other entries, keys Portcullis does not know and the order of keys all stay
// as the user wrote them, as ClientConfigImport::merge() keeps them.
namespace ServersEdit {

struct EditResult {
    std::string text; // the new servers.json; empty when error is set
    QString error;    // one sentence; nothing was changed
};

struct Lookup {
    std::optional<ServerConfig> server;
    QStringList problems; // the entry is missing or cannot be read as it stands
};

// Why the text cannot be edited (not JSON, no mcpServers object); empty when it can. Empty
// text can: it is a new file.
QString problemWith(std::string_view serversJson);

// What servers.json accepts as a server name: it becomes part of the exposed tool names.
bool isValidName(const QString& name);

// The names in mcpServers, in file order; empty when the text cannot be read.
QStringList serverNames(std::string_view serversJson);

// One entry read on its own, so a mistake in another entry does not stop this one's editing.
Lookup find(std::string_view serversJson, const std::string& key);

// Appends server as a new entry under server.key (empty text: a new file).
EditResult add(std::string_view serversJson, const ServerConfig& server);

// Writes server in place of the entry oldKey, at the same position; server.key may rename it.
// Keys of the old entry that Portcullis does not use are kept, and so is a "type" that says
// the same transport in other words.
EditResult replace(std::string_view serversJson, const std::string& oldKey,
                   const ServerConfig& server);

EditResult remove(std::string_view serversJson, const std::string& key);

} // namespace ServersEdit

} // namespace portcullis
