#pragma once

#include <QString>

#include <optional>

namespace portcullis {

// The bearer token agents present: PORTCULLIS_TOKEN, else the given token file, else a new random
// one written (owner-only) to ".portcullis-token" in `defaultDir`, so the next start and the
// bridge find the same one. std::nullopt with a message when a file cannot be read or written.
std::optional<QString> resolveAccessToken(const QString& tokenFile, const QString& defaultDir,
                                          QString* error);

// Where resolveAccessToken keeps a generated token for `defaultDir`.
QString defaultTokenFile(const QString& defaultDir);

} // namespace portcullis
