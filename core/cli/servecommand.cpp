#include "cli/servecommand.h"

#include "gateway/gatewayservice.h"
#include "gateway/stdiodownstream.h"
#include "mcp/jsonrpc.h"
#include "policy/policyio.h"
#include "transport/listenaddress.h"
#include "util/log.h"
#include "util/memorytuning.h"
#include "workspace/accesstoken.h"
#include "workspace/serversconfig.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <iostream>
#include <unistd.h>

namespace portcullis::cli {

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int) {
    const char c = 1;
    // Only async-signal-safe work here: wake the event loop through the pipe.
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}

int usageError(const QString& message) {
    std::cerr << "portcullis-gateway serve: " << message.toStdString() << '\n'
              << "usage: portcullis-gateway serve --servers SERVERS.json --policy POLICY.json "
                 "[--listen 127.0.0.1:0] [--audit FILE] [--approval-timeout SECONDS] [--no-auth] "
                 "[--token-file FILE] [--stdio]\n";
    return 2;
}

} // namespace

int runServe(const QStringList& arguments) {
    memory::returnLargeBuffersToTheSystem();
    QCommandLineParser parser;
    const QCommandLineOption servers(QStringLiteral("servers"), QStringLiteral("servers.json"),
                                     QStringLiteral("FILE"));
    const QCommandLineOption policy(QStringLiteral("policy"), QStringLiteral("policy.json"),
                                    QStringLiteral("FILE"));
    const QCommandLineOption listen(QStringLiteral("listen"), QStringLiteral("address:port"),
                                    QStringLiteral("ADDR"), QStringLiteral("127.0.0.1:0"));
    const QCommandLineOption audit(QStringLiteral("audit"), QStringLiteral("audit log"),
                                   QStringLiteral("FILE"));
    const QCommandLineOption approvalTimeout(QStringLiteral("approval-timeout"),
                                             QStringLiteral("seconds"), QStringLiteral("S"));
    const QCommandLineOption noAuth(QStringLiteral("no-auth"), QStringLiteral("no token"));
    const QCommandLineOption allowRemote(QStringLiteral("allow-remote"),
                                         QStringLiteral("listen beyond loopback"));
    const QCommandLineOption stdioOption(QStringLiteral("stdio"),
                                         QStringLiteral("serve one client on stdin/stdout"));
    const QCommandLineOption tokenFile(QStringLiteral("token-file"), QStringLiteral("token"),
                                       QStringLiteral("FILE"));
    parser.addOptions({servers, policy, listen, audit, approvalTimeout, noAuth, allowRemote,
                       tokenFile, stdioOption});
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument: ") +
                          parser.positionalArguments().first());
    if (!parser.isSet(servers) || !parser.isSet(policy))
        return usageError(QStringLiteral("--servers and --policy are required"));

    GatewayService::Options options;
    if (!transport::parseListenAddress(parser.value(listen), &options.listenAddress, &options.port))
        return usageError(QStringLiteral("--listen expects ADDRESS:PORT, e.g. 127.0.0.1:0"));
    options.allowRemote = parser.isSet(allowRemote);
    options.noAuth = parser.isSet(noAuth);
    if (options.noAuth && !options.listenAddress.isLoopback())
        return usageError(QStringLiteral("--no-auth is only allowed on a loopback address"));
    if (parser.isSet(approvalTimeout)) {
        bool ok = false;
        const int s = parser.value(approvalTimeout).toInt(&ok);
        if (!ok || s < 1 || s > 86400)
            return usageError(QStringLiteral("--approval-timeout expects 1 to 86400 seconds"));
        options.approvalTimeoutOverrideS = s;
    }
    options.auditPath = parser.value(audit);

    const auto serversConfig = ServersConfigIo::loadFile(parser.value(servers));
    if (!serversConfig.config) {
        for (const auto& p : serversConfig.problems)
            std::cerr << parser.value(servers).toStdString() << ": " << p << '\n';
        return 1;
    }
    options.servers = *serversConfig.config;
    const QString policyPath = parser.value(policy);
    const PolicyLoadResult loaded = PolicyIo::loadFile(policyPath);
    for (const auto& p : loaded.problems)
        std::cerr << p.format(policyPath.toStdString()) << '\n';
    if (!loaded.ok()) {
        std::cerr << "portcullis-gateway: refusing to start with an invalid policy\n";
        return 1;
    }
    // With --stdio the client is whoever started us: no listener, no token, and stdout carries
    // only protocol messages.
    const bool stdio = parser.isSet(stdioOption);
    options.listen = !stdio;
    if (!options.noAuth && !stdio) {
        QString error;
        const auto token = resolveAccessToken(parser.value(tokenFile),
                                              QFileInfo(policyPath).absolutePath(), &error);
        if (!token) {
            std::cerr << "portcullis-gateway: " << error.toStdString() << '\n';
            return 1;
        }
        options.token = *token;
    }

    GatewayService service(options);
    QString error;
    if (!service.start(std::make_shared<const Policy>(*loaded.policy), &error)) {
        std::cerr << "portcullis-gateway: " << error.toStdString() << '\n';
        return 1;
    }

    // Hot reload: a valid change is swapped in (counters kept); an invalid one is logged and
    // ignored. Editors often replace the file, so the path is watched again after each change.
    QFileSystemWatcher watcher({policyPath});
    QTimer reloadDebounce;
    reloadDebounce.setSingleShot(true);
    QObject::connect(&watcher, &QFileSystemWatcher::fileChanged, &reloadDebounce,
                     [&reloadDebounce] { reloadDebounce.start(100); });
    QObject::connect(&reloadDebounce, &QTimer::timeout, &service, [&] {
        if (!watcher.files().contains(policyPath) && QFileInfo::exists(policyPath))
            watcher.addPath(policyPath);
        const PolicyLoadResult next = PolicyIo::loadFile(policyPath);
        if (!next.ok()) {
            for (const auto& p : next.problems)
                log::logger()->error("policy not reloaded: {}", p.format(policyPath.toStdString()));
            return;
        }
        service.setPolicy(std::make_shared<const Policy>(*next.policy));
        log::logger()->info("policy reloaded from {}", policyPath.toStdString());
    });

    if (::pipe(g_signalPipe) != 0) {
        std::cerr << "portcullis-gateway: cannot create the signal pipe\n";
        return 1;
    }
    QSocketNotifier signalNotifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &service, [&service] {
        char c;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &c, 1);
        log::logger()->info("signal received: rejecting held calls, flushing the audit log");
        service.stop();
        QCoreApplication::exit(0);
    });
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);

    std::unique_ptr<StdioDownstream> downstream;
    if (stdio) {
        downstream =
            std::make_unique<StdioDownstream>(service.router(), STDIN_FILENO, STDOUT_FILENO);
        QObject::connect(&service, &GatewayService::toolsChanged, downstream.get(), [&downstream] {
            if (downstream->session().initialized)
                downstream->write(mcp::makeNotification("notifications/tools/list_changed"));
        });
        QObject::connect(downstream.get(), &StdioDownstream::finished, &service, [&service] {
            service.stop();
            QCoreApplication::exit(0);
        });
    } else {
        std::cout << "listening on " << service.endpoint().toString().toStdString() << std::endl;
    }
    const int code = QCoreApplication::exec();
    service.stop();
    return code;
}

} // namespace portcullis::cli
