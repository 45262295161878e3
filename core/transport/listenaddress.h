#pragma once

#include <QHostAddress>
#include <QString>

namespace portcullis::transport {

// "ADDRESS:PORT" as --listen takes it ("127.0.0.1:0", "[::1]:8765"); false when it is not one.
bool parseListenAddress(const QString& text, QHostAddress* address, quint16* port);

} // namespace portcullis::transport
