#include "bridge/httpbridge.h"
#include "util/log.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QUrl>

#include <algorithm>
#include <csignal>
#include <iostream>

namespace {

constexpr int kUsageError = 2;

const char* const kUsage = R"(usage: portcullis-bridge --url URL [--token-file FILE]

Relays an MCP client that launches stdio servers to a running Portcullis gateway: JSON-RPC lines
on stdin go to the gateway's Streamable HTTP endpoint, and its messages come back on stdout.

  --url URL          the gateway's endpoint, e.g. http://127.0.0.1:8931/mcp (a URL without a
                     path gets /mcp); default: the PORTCULLIS_URL environment variable
  --token-file FILE  a file holding the gateway's access token, e.g. the .portcullis-token
                     beside the policy; default: the PORTCULLIS_TOKEN environment variable
  --help             show this text

Exit status: 0 the client closed stdin; 1 the gateway ended the session; 2 usage error.
)";

int usageError(const QString& problem) {
    std::cerr << "portcullis-bridge: " << problem.toStdString() << "\n\n" << kUsage;
    return kUsageError;
}

bool isValidToken(const QString& token) {
    return !token.isEmpty() && std::all_of(token.begin(), token.end(), [](QChar c) {
        return c.unicode() > 0x20 && c.unicode() < 0x7f;
    });
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("portcullis-bridge"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTCULLIS_VERSION));

    QCommandLineParser parser;
    const QCommandLineOption url(QStringLiteral("url"), QStringLiteral("gateway endpoint"),
                                 QStringLiteral("URL"));
    const QCommandLineOption tokenFile(QStringLiteral("token-file"), QStringLiteral("token"),
                                       QStringLiteral("FILE"));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("usage"));
    parser.addOptions({url, tokenFile, help});
    if (!parser.parse(QCoreApplication::arguments()))
        return usageError(parser.errorText());
    if (parser.isSet(help)) {
        std::cout << kUsage;
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument: ") +
                          parser.positionalArguments().first());

    const QString urlText =
        parser.isSet(url) ? parser.value(url) : qEnvironmentVariable("PORTCULLIS_URL");
    if (urlText.isEmpty())
        return usageError(QStringLiteral("no gateway URL: pass --url URL or set PORTCULLIS_URL"));
    QUrl endpoint(urlText, QUrl::StrictMode);
    if (!endpoint.isValid() || endpoint.host().isEmpty() ||
        (endpoint.scheme() != QLatin1String("http") && endpoint.scheme() != QLatin1String("https")))
        return usageError(QStringLiteral("--url expects an http:// URL such as "
                                         "http://127.0.0.1:8931/mcp, not ") +
                          urlText);
    if (endpoint.path().isEmpty() || endpoint.path() == QLatin1String("/"))
        endpoint.setPath(QStringLiteral("/mcp"));

    QString token;
    if (parser.isSet(tokenFile)) {
        QFile f(parser.value(tokenFile));
        if (!f.open(QIODevice::ReadOnly))
            return usageError(
                QStringLiteral("cannot read token file %1: %2").arg(f.fileName(), f.errorString()));
        token = QString::fromUtf8(f.readAll()).trimmed();
        if (!isValidToken(token))
            return usageError(QStringLiteral("token file %1 is empty or holds more than one "
                                             "printable word")
                                  .arg(f.fileName()));
    } else {
        token = qEnvironmentVariable("PORTCULLIS_TOKEN").trimmed();
        if (token.isEmpty())
            return usageError(
                QStringLiteral("no token: pass --token-file FILE or set PORTCULLIS_TOKEN"));
        if (!isValidToken(token))
            return usageError(QStringLiteral("PORTCULLIS_TOKEN holds characters a token cannot"));
    }

    // A client that closes stdout must not kill us mid-write; the write fails and stdin's end
    // follows.
    std::signal(SIGPIPE, SIG_IGN);
    // stdout is the protocol channel: the log goes to stderr only.
    portcullis::log::init();
    portcullis::log::logger()->info("portcullis-bridge: relaying stdio to {}",
                                    endpoint.toDisplayString(QUrl::RemoveUserInfo).toStdString());

    portcullis::HttpBridge bridge({endpoint, token, 0, 1});
    QObject::connect(&bridge, &portcullis::HttpBridge::finished, &app, &QCoreApplication::exit);
    return QCoreApplication::exec();
}
