#pragma once

#include <QString>

#include <ostream>

namespace portcullis::cli {

// `portcullis-gateway scan --tools-file TOOLS.json [--json]`: classifies a saved tools/list
// result (an object with a "tools" array). Exit 0, 1 when the file cannot be read or has no
// tools array.
int runScanToolsFile(const QString& file, bool asJson, std::ostream& out, std::ostream& err);

// `portcullis-gateway scan --servers SERVERS.json [--json]`: starts every upstream, lists its
// tools and classifies them (annotations count for servers marked "trusted"). Rows carry the
// server key too. Exit 1 when a server could not be scanned. Expects a QCoreApplication.
int runScanServers(const QString& file, bool asJson, std::ostream& out, std::ostream& err);

} // namespace portcullis::cli
