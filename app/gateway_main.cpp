#include "cli/auditcommand.h"
#include "cli/scancommand.h"
#include "cli/servecommand.h"
#include "cli/validatecommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <iostream>

namespace {

constexpr int kUsageError = 2;

const char* const kUsage = R"(usage: portcullis-gateway COMMAND [OPTIONS]

Commands:
  serve --servers SERVERS.json --policy POLICY.json [--listen 127.0.0.1:0] [--audit FILE]
        [--approval-timeout S] [--no-auth] [--token-file FILE] [--stdio]
                                        run the gateway (token from PORTCULLIS_TOKEN or a file)
  validate POLICY.json...               check policy files; one FILE:LINE:COL line per problem
  scan --tools-file TOOLS.json [--json] classify the tools of a saved tools/list result
  scan --servers SERVERS.json [--json]  connect to the upstreams and classify their tools
  audit verify AUDIT.jsonl              check the hash chain of an audit log

Exit status: 0 ok, 1 problems found, 2 usage error.
)";

int usage(const QString& problem = {}) {
    if (!problem.isEmpty())
        std::cerr << "portcullis-gateway: " << problem.toStdString() << "\n\n";
    std::cerr << kUsage;
    return kUsageError;
}

// Parses the options of one subcommand; false (with a message) on unknown options.
bool parseSubcommand(QCommandLineParser& parser, const QStringList& args, QString& problem) {
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!parser.parse(args)) {
        problem = parser.errorText();
        return false;
    }
    return true;
}

int validate(const QStringList& args) {
    QCommandLineParser parser;
    QString problem;
    if (!parseSubcommand(parser, args, problem))
        return usage(problem);
    if (parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("validate needs at least one policy file"));
    return portcullis::cli::runValidate(parser.positionalArguments(), std::cout, std::cerr);
}

int scan(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption toolsFile(QStringLiteral("tools-file"),
                                       QStringLiteral("A saved tools/list result."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption servers(QStringLiteral("servers"),
                                     QStringLiteral("servers.json: scan the live upstreams."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(toolsFile);
    parser.addOption(servers);
    parser.addOption(json);
    QString problem;
    if (!parseSubcommand(parser, args, problem))
        return usage(problem);
    if (!parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument: ") +
                     parser.positionalArguments().first());
    if (parser.isSet(toolsFile) == parser.isSet(servers))
        return usage(QStringLiteral("scan needs either --tools-file FILE or --servers FILE"));
    if (parser.isSet(servers))
        return portcullis::cli::runScanServers(parser.value(servers), parser.isSet(json), std::cout,
                                               std::cerr);
    return portcullis::cli::runScanToolsFile(parser.value(toolsFile), parser.isSet(json), std::cout,
                                             std::cerr);
}

int audit(const QStringList& args) {
    QCommandLineParser parser;
    QString problem;
    if (!parseSubcommand(parser, args, problem))
        return usage(problem);
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usage(QStringLiteral("audit needs a subcommand: verify AUDIT.jsonl"));
    if (positional.first() != QLatin1String("verify"))
        return usage(QStringLiteral("unknown audit command: ") + positional.first());
    if (positional.size() != 2)
        return usage(QStringLiteral("audit verify needs exactly one file"));
    return portcullis::cli::runAuditVerify(positional.mid(1), std::cout, std::cerr);
}

} // namespace

int main(int argc, char* argv[]) {
    // Qt's own event dispatcher rather than GLib's: a headless gateway has no GLib sources to
    // serve, and GLib's loop wakes itself (an eventfd write and read, one more poll) when a
    // socket notifier is switched on, which a proxied call does: 16 system calls a call
    // instead of 12.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("portcullis-gateway"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTCULLIS_VERSION));

    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2)
        return usage();
    const QString command = args.at(1);
    // QCommandLineParser expects the program name first; the subcommand takes its place.
    args.removeAt(1);
    if (command == QLatin1String("validate"))
        return validate(args);
    if (command == QLatin1String("scan"))
        return scan(args);
    if (command == QLatin1String("audit"))
        return audit(args);
    if (command == QLatin1String("serve"))
        return portcullis::cli::runServe(args);
    if (command == QLatin1String("--help") || command == QLatin1String("-h") ||
        command == QLatin1String("help")) {
        std::cout << kUsage;
        return 0;
    }
    if (command == QLatin1String("--version")) {
        std::cout << "portcullis-gateway " << PORTCULLIS_VERSION << '\n';
        return 0;
    }
    return usage(QStringLiteral("unknown command: ") + command);
}
