#include "workspace/accesstoken.h"

#include "util/log.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

namespace portcullis {

QString defaultTokenFile(const QString& defaultDir) {
    return QDir(defaultDir).filePath(QStringLiteral(".portcullis-token"));
}

std::optional<QString> resolveAccessToken(const QString& tokenFile, const QString& defaultDir,
                                          QString* error) {
    const QByteArray env = qgetenv("PORTCULLIS_TOKEN");
    if (!env.isEmpty())
        return QString::fromUtf8(env).trimmed();
    const QString path = !tokenFile.isEmpty() ? tokenFile : defaultTokenFile(defaultDir);
    QFile f(path);
    if (f.exists()) {
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read token file %1: %2").arg(path, f.errorString());
            return std::nullopt;
        }
        const QString token = QString::fromUtf8(f.readAll()).trimmed();
        if (token.isEmpty()) {
            *error = QStringLiteral("token file %1 is empty").arg(path);
            return std::nullopt;
        }
        return token;
    }
    if (!tokenFile.isEmpty()) {
        *error = QStringLiteral("token file %1 does not exist").arg(path);
        return std::nullopt;
    }
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    const QString token = QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(words), sizeof words)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    if (!f.open(QIODevice::WriteOnly) ||
        !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        f.write(token.toUtf8()) < 0) {
        *error = QStringLiteral("cannot write token file %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    log::logger()->info("generated an access token in {}", path.toStdString());
    return token;
}

} // namespace portcullis
