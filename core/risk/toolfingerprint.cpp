#include "risk/toolfingerprint.h"

#include <QByteArray>
#include <QCryptographicHash>

namespace portcullis {

std::string toolFingerprint(const nlohmann::json& tool) {
    // nlohmann's object type is a std::map, so dump() writes keys sorted and without
    // whitespace: the same definition always gives the same bytes, whatever order it came in.
    // Invalid UTF-8 from a server is replaced rather than thrown on: a fingerprint must exist.
    const std::string canonical =
        tool.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const QByteArray digest = QCryptographicHash::hash(
        QByteArray::fromRawData(canonical.data(), static_cast<qsizetype>(canonical.size())),
        QCryptographicHash::Sha256);
    return "sha256:" + digest.toHex().toStdString();
}

} // namespace portcullis
