#include "calls/callexport.h"

#include <QDateTime>

namespace portcullis {

namespace {

void csvField(std::string& out, std::string_view value) {
    // Quoted only when it must be, so simple exports stay readable.
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += value;
        return;
    }
    out += '"';
    for (char c : value) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

std::string number(std::int64_t n) {
    return n < 0 ? std::string() : std::to_string(n);
}

} // namespace

std::string callsAsJsonLines(const std::vector<CallEvent>& events) {
    std::string out;
    for (const CallEvent& e : events) {
        out += toJson(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out += '\n';
    }
    return out;
}

std::string callsAsCsv(const std::vector<CallEvent>& events) {
    std::string out = "time,client,session,server,tool,decision,rule,reason,approver,"
                      "decision_latency_ms,upstream_ms,response_bytes,arguments\r\n";
    for (const CallEvent& e : events) {
        const std::string fields[] = {
            QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC)
                .toString(Qt::ISODateWithMs)
                .toStdString(),
            e.client,
            e.session,
            e.server,
            e.tool,
            toString(e.decision),
            e.rule,
            e.reason,
            e.approver,
            number(e.decisionLatencyMs),
            number(e.upstreamMs),
            number(e.responseBytes),
            e.arguments.is_null()
                ? std::string()
                : e.arguments.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
        };
        bool first = true;
        for (const std::string& f : fields) {
            if (!first)
                out += ',';
            first = false;
            csvField(out, f);
        }
        out += "\r\n";
    }
    return out;
}

} // namespace portcullis
