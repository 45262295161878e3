#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace portcullis {

// Where an exposed tool name leads.
struct ToolRoute {
    std::string server;                         // upstream key
    std::string tool;                           // the upstream's own name
    std::string exposed;                        // the name the agent sees
    const nlohmann::json* definition = nullptr; // owned by the upstream's tool list
    // The definition as agents get it: the server's own text, only the name replaced.
    std::string listed;
};

// The names agents see: unchanged with one upstream; "<prefix>__<tool>" with several, kept
// within 64 characters (cut, plus a short hash so cut names stay unique).
class ToolCatalog final {
public:
    struct Source {
        std::string server;
        std::string prefix; // usually the server key
        const std::vector<nlohmann::json>* tools = nullptr;
        const std::vector<std::string>* texts = nullptr; // as written, parallel to tools
    };

    void rebuild(const std::vector<Source>& sources);

    const ToolRoute* find(const std::string& exposed) const;
    const std::vector<ToolRoute>& routes() const { return m_routes; }

    static std::string exposedName(const std::string& prefix, const std::string& tool,
                                   bool prefixed);

private:
    std::vector<ToolRoute> m_routes;
    std::map<std::string, std::size_t> m_byExposed;
};

} // namespace portcullis
