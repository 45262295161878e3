#include "ui/workspaceloader.h"

#include "policy/policyio.h"
#include "workspace/accesstoken.h"

#include <QDir>
#include <QFile>

namespace portcullis::ui {

LoadedWorkspace loadWorkspace(const WorkspaceRequest& request) {
    LoadedWorkspace w;
    const QString& dir = request.dir;
    w.dir = dir;
    w.serversFile =
        request.serversFile.isEmpty() ? Workspace::serversFile(dir) : request.serversFile;
    w.policyFile = request.policyFile.isEmpty() ? Workspace::policyFile(dir) : request.policyFile;

    std::optional<QString> created;
    if (request.create == WorkspaceRequest::Create::Demo) {
        created = Workspace::createDemo(dir, request.demoServerProgram, request.demoPolicy);
    } else if (request.create == WorkspaceRequest::Create::Empty) {
        if (!QDir().mkpath(dir))
            created = QStringLiteral("cannot create the folder %1").arg(dir);
        if (!created && !QFile::exists(w.serversFile))
            created = Workspace::writeFileAtomically(w.serversFile, "{\n  \"mcpServers\": {}\n}\n");
        if (!created && !QFile::exists(w.policyFile))
            created = Workspace::writeFileAtomically(
                w.policyFile, "{\n  \"version\": \"1\",\n  \"default\": \"deny\"\n}\n");
    }
    if (created) {
        w.errors << *created;
        return w;
    }

    QFile serversFile(w.serversFile);
    if (serversFile.open(QIODevice::ReadOnly))
        w.serversText = serversFile.readAll().toStdString();
    ServersConfigResult servers = ServersConfigIo::parse(w.serversText);
    for (const std::string& p : servers.problems)
        w.errors << w.serversFile + QStringLiteral(": ") + QString::fromStdString(p);
    w.servers = std::move(servers.config);

    PolicyLoadResult policy = PolicyIo::loadFile(w.policyFile);
    for (const PolicyProblem& p : policy.problems) {
        if (p.isError())
            w.errors << QString::fromStdString(p.format(w.policyFile.toStdString()));
    }
    w.policy = std::move(policy.policy);

    QString error;
    if (auto state = Workspace::loadState(dir, &error))
        w.state = std::move(*state);
    else
        w.errors << error;
    if (auto token = resolveAccessToken({}, dir, &error))
        w.token = *token;
    else
        w.errors << error;
    if (!w.servers || !w.policy)
        w.errors.removeDuplicates();
    return w;
}

} // namespace portcullis::ui
