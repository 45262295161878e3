#include "cli/scancommand.h"

#include "gateway/gatewayservice.h"
#include "risk/riskclassifier.h"
#include "workspace/serversconfig.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>

namespace portcullis::cli {

namespace {

constexpr qint64 kMaxToolsFileBytes = 64 * 1024 * 1024;
constexpr int kScanDeadlineMs = 30'000;

std::string padded(std::string s, std::size_t width) {
    if (s.size() < width)
        s.append(width - s.size(), ' ');
    return s;
}

void appendRows(nlohmann::ordered_json& rows, const nlohmann::json& tools,
                const std::string& server, bool trusted, const std::string& source,
                std::ostream& err) {
    const RiskClassifier classifier;
    RiskContext context;
    context.trustedServer = trusted;
    for (std::size_t i = 0; i < tools.size(); ++i) {
        const nlohmann::json& tool = tools[i];
        if (!tool.is_object() || !tool.contains("name") || !tool["name"].is_string()) {
            err << source << ": tools[" << i << "]: skipped, a tool needs a string \"name\"\n";
            continue;
        }
        const RiskAssessment a = classifier.classify(tool, context);
        nlohmann::ordered_json row;
        if (!server.empty())
            row["server"] = server;
        row["name"] = tool["name"].get<std::string>();
        row["category"] = toString(a.category);
        row["risk"] = toString(a.risk);
        row["confidence"] = std::round(a.confidence * 100.0) / 100.0;
        row["rationale"] = a.rationale;
        rows.push_back(std::move(row));
    }
}

void printRows(const nlohmann::ordered_json& rows, bool asJson, std::ostream& out) {
    if (asJson) {
        out << rows.dump(2) << '\n';
        return;
    }
    std::size_t nameWidth = 4;
    for (const auto& row : rows) {
        const std::string name = row.contains("server") ? row["server"].get<std::string>() + '/' +
                                                              row["name"].get<std::string>()
                                                        : row["name"].get<std::string>();
        nameWidth = std::max(nameWidth, name.size());
    }
    out << padded("NAME", nameWidth) << "  " << padded("CATEGORY", 11) << "  " << padded("RISK", 8)
        << "  CONF  RATIONALE\n";
    for (const auto& row : rows) {
        const std::string name = row.contains("server") ? row["server"].get<std::string>() + '/' +
                                                              row["name"].get<std::string>()
                                                        : row["name"].get<std::string>();
        char conf[16];
        std::snprintf(conf, sizeof conf, "%.2f", row["confidence"].get<double>());
        out << padded(name, nameWidth) << "  " << padded(row["category"].get<std::string>(), 11)
            << "  " << padded(row["risk"].get<std::string>(), 8) << "  " << conf << "  "
            << row["rationale"].get<std::string>() << '\n';
    }
}

} // namespace

int runScanToolsFile(const QString& file, bool asJson, std::ostream& out, std::ostream& err) {
    const std::string name = file.toStdString();
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        err << name << ": cannot read: " << f.errorString().toStdString() << '\n';
        return 1;
    }
    if (f.size() > kMaxToolsFileBytes) {
        err << name << ": file is larger than " << kMaxToolsFileBytes << " bytes\n";
        return 1;
    }
    const QByteArray bytes = f.readAll();
    nlohmann::json doc = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (doc.is_discarded()) {
        err << name << ": not valid JSON\n";
        return 1;
    }
    // A bare array of tools is accepted too; a tools/list response has them under "tools".
    const nlohmann::json* tools = doc.is_array() ? &doc : nullptr;
    if (doc.is_object()) {
        if (auto it = doc.find("tools"); it != doc.end() && it->is_array())
            tools = &*it;
        else if (auto r = doc.find("result"); r != doc.end() && r->is_object() &&
                                              r->contains("tools") && (*r)["tools"].is_array())
            tools = &(*r)["tools"];
    }
    if (!tools) {
        err << name << ": expected an object with a \"tools\" array (a saved tools/list result)\n";
        return 1;
    }

    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    appendRows(rows, *tools, {}, false, name, err);
    printRows(rows, asJson, out);
    return 0;
}

int runScanServers(const QString& file, bool asJson, std::ostream& out, std::ostream& err) {
    const auto config = ServersConfigIo::loadFile(file);
    if (!config.config) {
        for (const auto& p : config.problems)
            err << file.toStdString() << ": " << p << '\n';
        return 1;
    }
    GatewayService::Options options;
    options.servers = *config.config;
    options.listen = false;
    GatewayService service(options);
    QString error;
    auto allow = std::make_shared<Policy>();
    allow->top.defaultAction = DefaultAction::Allow;
    if (!service.start(allow, &error)) {
        err << "portcullis-gateway: " << error.toStdString() << '\n';
        return 1;
    }
    // Done when every upstream is up or has failed once; a server that never answers is given
    // up on after the deadline.
    int exitCode = 0;
    auto report = [&] {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& u : service.upstreams()) {
            const std::string key = u->name().toStdString();
            if (u->state() != UpstreamClient::State::Up) {
                err << key << ": not scanned: "
                    << (u->lastError().isEmpty() ? std::string("did not start in time")
                                                 : u->lastError().toStdString())
                    << '\n';
                exitCode = 1;
                continue;
            }
            const ServerConfig* s = options.servers.find(key);
            const nlohmann::json tools(u->tools());
            appendRows(rows, tools, key, s && s->trusted, key, err);
        }
        printRows(rows, asJson, out);
        service.stop();
        QCoreApplication::exit(0);
    };
    auto settled = [&] {
        for (const auto& u : service.upstreams()) {
            if (u->state() == UpstreamClient::State::Starting)
                return false;
        }
        return true;
    };
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &service, report);
    QObject::connect(&service, &GatewayService::upstreamStateChanged, &service, [&] {
        if (settled() && deadline.isActive()) {
            deadline.stop();
            QTimer::singleShot(0, &service, report); // let the tool list arrive first
        }
    });
    QObject::connect(&service, &GatewayService::toolsChanged, &service, [&] {
        if (settled() && deadline.isActive()) {
            deadline.stop();
            QTimer::singleShot(0, &service, report);
        }
    });
    deadline.start(kScanDeadlineMs);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace portcullis::cli
