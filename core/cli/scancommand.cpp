#include "cli/scancommand.h"

#include "risk/riskclassifier.h"

#include <QFile>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>

namespace portcullis::cli {

namespace {

constexpr qint64 kMaxToolsFileBytes = 64 * 1024 * 1024;

std::string padded(std::string s, std::size_t width) {
    if (s.size() < width)
        s.append(width - s.size(), ' ');
    return s;
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

    const RiskClassifier classifier;
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < tools->size(); ++i) {
        const nlohmann::json& tool = (*tools)[i];
        if (!tool.is_object() || !tool.contains("name") || !tool["name"].is_string()) {
            err << name << ": tools[" << i << "]: skipped, a tool needs a string \"name\"\n";
            continue;
        }
        const RiskAssessment a = classifier.classify(tool);
        nlohmann::ordered_json row;
        row["name"] = tool["name"].get<std::string>();
        row["category"] = toString(a.category);
        row["risk"] = toString(a.risk);
        row["confidence"] = std::round(a.confidence * 100.0) / 100.0;
        row["rationale"] = a.rationale;
        rows.push_back(std::move(row));
    }

    if (asJson) {
        out << rows.dump(2) << '\n';
        return 0;
    }
    std::size_t nameWidth = 4;
    for (const auto& row : rows)
        nameWidth = std::max(nameWidth, row["name"].get_ref<const std::string&>().size());
    out << padded("NAME", nameWidth) << "  " << padded("CATEGORY", 11) << "  " << padded("RISK", 8)
        << "  CONF  RATIONALE\n";
    for (const auto& row : rows) {
        char conf[16];
        std::snprintf(conf, sizeof conf, "%.2f", row["confidence"].get<double>());
        out << padded(row["name"].get<std::string>(), nameWidth) << "  "
            << padded(row["category"].get<std::string>(), 11) << "  "
            << padded(row["risk"].get<std::string>(), 8) << "  " << conf << "  "
            << row["rationale"].get<std::string>() << '\n';
    }
    return 0;
}

} // namespace portcullis::cli
