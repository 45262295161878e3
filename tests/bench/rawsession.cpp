#include "rawsession.h"

QByteArray RawSession::initializeRequest() {
    return R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"portcullis-e2e-raw","version":"1"}}})";
}

QByteArray RawSession::initializedNotification() {
    return R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
}

bool RawSession::looksSuccessful(const QByteArray& response) {
    return response.contains("\"result\"") && !response.contains("\"isError\":true");
}

bool RawSession::isResponseTo(const QByteArray& message, qint64 id) {
    if (message.contains("\"method\""))
        return false;
    const QByteArray number = QByteArray::number(id);
    for (const QByteArray& key : {QByteArrayLiteral("\"id\":"), QByteArrayLiteral("\"id\": ")}) {
        const QByteArray needle = key + number;
        for (qsizetype at = message.indexOf(needle); at >= 0;
             at = message.indexOf(needle, at + 1)) {
            const qsizetype after = at + needle.size();
            if (after >= message.size() || message[after] == ',' || message[after] == '}' ||
                message[after] == ' ')
                return true;
        }
    }
    return false;
}
