#include "ui/mainwindow.h"
#include "util/log.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QGuiApplication>

#include <iostream>

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Portcullis"));
    QApplication::setOrganizationName(QStringLiteral("Portcullis"));
    QApplication::setApplicationVersion(QStringLiteral(PORTCULLIS_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.portcullis.Portcullis"));
    portcullis::log::init();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Desktop MCP gateway with a visual policy builder and a live call monitor."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render the window to FILE (PNG) and exit."),
                                        QStringLiteral("FILE"));
    parser.addOption(screenshot);
    parser.process(app);

    portcullis::ui::MainWindow window;
    window.show();
    if (parser.isSet(screenshot)) {
        QApplication::processEvents();
        const bool ok = window.grab().save(parser.value(screenshot));
        if (!ok)
            std::cerr << "portcullis: cannot write " << parser.value(screenshot).toStdString()
                      << '\n';
        return ok ? 0 : 1;
    }
    return QApplication::exec();
}
