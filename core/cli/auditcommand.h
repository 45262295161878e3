#pragma once

#include <QStringList>

#include <ostream>

namespace portcullis::cli {

// `portcullis-gateway audit verify AUDIT.jsonl`: exit 0 with "ok N records", 1 with one
// "FILE:LINE: message" line for the first problem (or "FILE: message" when the file cannot be
// read), 2 for usage errors. `args` holds what follows "verify".
int runAuditVerify(const QStringList& args, std::ostream& out, std::ostream& err);

} // namespace portcullis::cli
