#pragma once

#include <QString>

#include <ostream>

namespace portcullis::cli {

// `portcullis-gateway scan --tools-file TOOLS.json [--json]`: classifies a saved tools/list
// result (an object with a "tools" array). Exit 0, 1 when the file cannot be read or has no
// tools array.
int runScanToolsFile(const QString& file, bool asJson, std::ostream& out, std::ostream& err);

} // namespace portcullis::cli
