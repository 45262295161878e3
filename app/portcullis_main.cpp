#include "transport/listenaddress.h"
#include "ui/mainwindow.h"
#include "util/log.h"
#include "util/memorytuning.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QTimer>

#include <iostream>

namespace {

// portcullis-demo-server beside this program (build tree and installed bin/ alike).
QString demoServerProgram() {
    return QDir(QCoreApplication::applicationDirPath())
        .filePath(QStringLiteral("portcullis-demo-server"));
}

} // namespace

int main(int argc, char* argv[]) {
    QElapsedTimer sinceStart;
    sinceStart.start();
    portcullis::memory::returnLargeBuffersToTheSystem();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Portcullis"));
    QApplication::setOrganizationName(QStringLiteral("Portcullis"));
    QApplication::setApplicationVersion(QStringLiteral(PORTCULLIS_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.portcullis.Portcullis"));
    portcullis::log::init();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Desktop MCP gateway with a visual policy builder and a live call monitor.\n"
        "The access token comes from PORTCULLIS_TOKEN, else the workspace's .portcullis-token."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption workspace(QStringLiteral("workspace"),
                                       QStringLiteral("Open the workspace in DIR."),
                                       QStringLiteral("DIR"));
    const QCommandLineOption servers(QStringLiteral("servers"),
                                     QStringLiteral("servers.json to use (with --policy)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption policy(QStringLiteral("policy"),
                                    QStringLiteral("policy.json to use (with --servers)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption listen(
        QStringLiteral("listen"),
        QStringLiteral("Address and port of the gateway (port 0 picks a free one)."),
        QStringLiteral("ADDR:PORT"), QStringLiteral("127.0.0.1:0"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Render the window to FILE (PNG) once the servers are up, and exit."),
        QStringLiteral("FILE"));
    parser.addOptions({workspace, servers, policy, listen, screenshot});
    parser.process(app);

    portcullis::ui::MainWindow::Options options;
    options.workspaceDir = parser.value(workspace);
    options.serversFile = parser.value(servers);
    options.policyFile = parser.value(policy);
    options.demoServerProgram = demoServerProgram();
    if (parser.isSet(servers) != parser.isSet(policy)) {
        std::cerr << "portcullis: --servers and --policy go together\n";
        return 2;
    }
    if (!portcullis::transport::parseListenAddress(parser.value(listen), &options.listenAddress,
                                                   &options.port) ||
        !options.listenAddress.isLoopback()) {
        std::cerr << "portcullis: --listen needs a loopback ADDR:PORT, e.g. 127.0.0.1:8765\n";
        return 2;
    }

    portcullis::ui::MainWindow window(options);
    // Scripts and tests wait for this line, as with portcullis-gateway serve.
    QObject::connect(
        &window, &portcullis::ui::MainWindow::gatewayListening, &window, [](const QUrl& endpoint) {
            std::cout << "listening on " << endpoint.toString().toStdString() << std::endl;
        });
    QObject::connect(&window, &portcullis::ui::MainWindow::workspaceFailed, &app,
                     [](const QStringList& errors) {
                         for (const QString& e : errors)
                             std::cerr << "portcullis: " << e.toStdString() << '\n';
                     });
    // The start-up figure of docs/performance.md (tests/bench/startup-time.sh reads it).
    QObject::connect(
        &window, &portcullis::ui::MainWindow::upstreamsSettled, &window,
        [sinceStart] {
            portcullis::log::logger()->info("window ready in {} ms", sinceStart.elapsed());
        },
        Qt::SingleShotConnection);
    window.show();
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        auto take = [&window, file] {
            const bool ok = window.grab().save(file);
            if (!ok)
                std::cerr << "portcullis: cannot write " << file.toStdString() << '\n';
            QCoreApplication::exit(ok ? 0 : 1);
        };
        QObject::connect(&window, &portcullis::ui::MainWindow::upstreamsSettled, &window,
                         [take] { QTimer::singleShot(300, take); });
        QTimer::singleShot(15'000, &window, take); // servers that never come up
    }
    return QApplication::exec();
}
