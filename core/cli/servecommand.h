#pragma once

#include <QStringList>

namespace portcullis::cli {

// `portcullis-gateway serve --servers SERVERS.json --policy POLICY.json [--listen ADDR:PORT]
// [--audit FILE] [--approval-timeout S] [--no-auth] [--token-file FILE]`. Runs until SIGTERM or
// SIGINT; returns the process exit code. Expects a QCoreApplication.
int runServe(const QStringList& arguments);

} // namespace portcullis::cli
