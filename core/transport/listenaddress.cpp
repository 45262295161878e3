#include "transport/listenaddress.h"

namespace portcullis::transport {

bool parseListenAddress(const QString& text, QHostAddress* address, quint16* port) {
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    bool ok = false;
    const uint p = text.mid(colon + 1).toUInt(&ok);
    const QHostAddress a(text.left(colon).remove(QLatin1Char('[')).remove(QLatin1Char(']')));
    if (!ok || p > 65535 || a.isNull())
        return false;
    *address = a;
    *port = static_cast<quint16>(p);
    return true;
}

} // namespace portcullis::transport
