#pragma once

#include <QStringList>

#include <ostream>

namespace portcullis::cli {

// `portcullis-gateway validate POLICY.json...`: exit 0 when every file is valid (warnings are
// printed but do not fail), 1 with one "FILE:LINE:COL: path: message" line per problem, 2 for
// usage errors.
int runValidate(const QStringList& files, std::ostream& out, std::ostream& err);

} // namespace portcullis::cli
