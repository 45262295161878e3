#include "windowfixture.h"

#include "policy/policyio.h"
#include "ui/catalog/toolcatalogmodel.h"
#include "ui/policydocument.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

using nlohmann::json;
using portcullis::ui::MainWindow;

json demoServers() {
    return {{"mcpServers",
             {{"demo", {{"command", PORTCULLIS_DEMO_SERVER_EXE}, {"args", json::array()}}}}}};
}

QByteArray strictStarterPolicy() {
    QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/policies/examples/strict-starter.json"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::unique_ptr<MainWindow> openWindow(const QString& dir, const json& servers,
                                       const QByteArray& policy, int expectedTools) {
    QDir().mkpath(dir);
    if (portcullis::Workspace::writeFileAtomically(portcullis::Workspace::serversFile(dir),
                                                   QByteArray::fromStdString(servers.dump(2))) ||
        portcullis::Workspace::writeFileAtomically(portcullis::Workspace::policyFile(dir), policy))
        return nullptr;
    MainWindow::Options o;
    o.workspaceDir = dir;
    o.restoreWindowState = false;
    auto window = std::make_unique<MainWindow>(o);
    QSignalSpy failed(window.get(), &MainWindow::workspaceFailed);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    (void)QTest::qWaitFor(
        [&] { return window->catalogModel()->rowCount() >= expectedTools || !failed.isEmpty(); },
        20'000);
    return failed.isEmpty() && window->catalogModel()->rowCount() >= expectedTools
               ? std::move(window)
               : nullptr;
}

json policyJson(const MainWindow& window) {
    return json::parse(portcullis::PolicyIo::serialize(window.document()->policy()));
}
