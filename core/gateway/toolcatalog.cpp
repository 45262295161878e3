#include "gateway/toolcatalog.h"

#include "mcp/jsonrpc.h"
#include "util/jsonspans.h"

#include <QCryptographicHash>

namespace portcullis {

namespace {
constexpr std::size_t kMaxExposedName = 64;

// The tool's text with its "name" value replaced; everything else stays as the server wrote it.
std::string renamed(const std::string& text, const std::string& name) {
    const auto span = jsonspans::memberValue(text, "name");
    if (!span)
        return text;
    return text.substr(0, span->begin) + nlohmann::json(name).dump() + text.substr(span->end);
}
} // namespace

std::string ToolCatalog::exposedName(const std::string& prefix, const std::string& tool,
                                     bool prefixed) {
    std::string name = prefixed ? prefix + "__" + tool : tool;
    if (name.size() <= kMaxExposedName)
        return name;
    const QByteArray digest =
        QCryptographicHash::hash(QByteArray::fromStdString(name), QCryptographicHash::Sha256)
            .toHex()
            .left(8);
    return name.substr(0, kMaxExposedName - 9) + '_' + digest.toStdString();
}

void ToolCatalog::rebuild(const std::vector<Source>& sources) {
    m_routes.clear();
    m_byExposed.clear();
    const bool prefixed = sources.size() > 1;
    for (const Source& s : sources) {
        if (!s.tools)
            continue;
        const bool haveTexts = s.texts && s.texts->size() == s.tools->size();
        for (std::size_t i = 0; i < s.tools->size(); ++i) {
            const nlohmann::json& t = (*s.tools)[i];
            if (!t.is_object() || !t.contains("name") || !t["name"].is_string())
                continue;
            ToolRoute r;
            r.server = s.server;
            r.tool = t["name"].get<std::string>();
            r.exposed = exposedName(s.prefix, r.tool, prefixed);
            r.definition = &t;
            r.listed = haveTexts ? (*s.texts)[i] : mcp::serialize(t);
            if (r.exposed != r.tool)
                r.listed = renamed(r.listed, r.exposed);
            // A server listing one name twice: the first wins, as a client would see it.
            if (m_byExposed.try_emplace(r.exposed, m_routes.size()).second)
                m_routes.push_back(std::move(r));
        }
    }
}

const ToolRoute* ToolCatalog::find(const std::string& exposed) const {
    auto it = m_byExposed.find(exposed);
    return it == m_byExposed.end() ? nullptr : &m_routes[it->second];
}

} // namespace portcullis
