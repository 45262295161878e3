#include "policy/policyio.h"

#include "policy/condition.h"
#include "util/jsontext.h"

#include <QFile>
#include <QSaveFile>

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

namespace portcullis {

using nlohmann::json;
using nlohmann::ordered_json;

std::string PolicyProblem::format(const std::string& file) const {
    std::string out = file;
    if (line > 0)
        out += ':' + std::to_string(line) + ':' + std::to_string(column);
    out += ": ";
    if (severity == Severity::Warning)
        out += "warning: ";
    if (!path.empty())
        out += path + ": ";
    out += message;
    return out;
}

std::size_t PolicyLoadResult::errorCount() const {
    return static_cast<std::size_t>(
        std::count_if(problems.begin(), problems.end(), [](const auto& p) { return p.isError(); }));
}

namespace {

constexpr std::int64_t kMaxLimit = 1'000'000'000;

std::string inQuotes(std::string_view s) {
    return '"' + std::string(s) + '"';
}

const char* typeName(const json& v) {
    switch (v.type()) {
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
        return "a string";
    case json::value_t::boolean:
        return "a boolean";
    case json::value_t::null:
        return "null";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return "a number";
    default:
        return "a value";
    }
}

bool isExtensionKey(const std::string& key) {
    return key.rfind("x-", 0) == 0;
}

// nlohmann reports the byte after the offending token; people look for where the token starts.
std::size_t tokenStart(std::string_view text, std::size_t last) {
    if (last >= text.size())
        return text.size();
    std::size_t at = last;
    if (text[at] == '"') {
        while (at > 0) {
            --at;
            if (text[at] == '"' && (at == 0 || text[at - 1] != '\\'))
                return at;
        }
        return last;
    }
    auto isLiteral = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+';
    };
    while (at > 0 && isLiteral(text[at]) && isLiteral(text[at - 1]))
        --at;
    return at;
}

class Reader {
public:
    Reader() = default;

private:
    std::unordered_map<std::string, std::shared_ptr<const QRegularExpression>> m_regexes;

public:
    std::vector<PolicyProblem> problems;

    void error(const std::string& path, std::string message) {
        add(PolicyProblem::Severity::Error, path, std::move(message));
    }
    void warning(const std::string& path, std::string message) {
        add(PolicyProblem::Severity::Warning, path, std::move(message));
    }

    Policy readPolicy(const json& doc) {
        Policy policy;
        if (!doc.is_object()) {
            error("", std::string("expected a JSON object, got ") + typeName(doc));
            return policy;
        }
        for (const auto& [key, value] : doc.items()) {
            if (key == "version") {
                if (!value.is_string() || value.get<std::string>() != "1")
                    error(key,
                          "expected \"1\" (the only policy format version), got " + value.dump());
            } else if (key == "description") {
                if (value.is_string())
                    policy.description = value.get<std::string>();
                else
                    error(key, std::string("expected a string, got ") + typeName(value));
            } else if (key == "servers") {
                policy.hasServers = true;
                readServers(value, policy);
            } else if (!readSectionKey(key, value, "", policy.top)) {
                unknownKey(key, key,
                           "version, description, default, hide, all_tools, tools, servers");
            }
        }
        if (!doc.contains("version"))
            error("", "missing required key \"version\" (use \"1\")");
        if (!doc.contains("default"))
            error("", "missing required key \"default\" (\"allow\" or \"deny\")");
        checkSection(policy.top, "");
        return policy;
    }

private:
    void add(PolicyProblem::Severity severity, const std::string& path, std::string message) {
        PolicyProblem p;
        p.severity = severity;
        p.path = path;
        p.message = std::move(message);
        problems.push_back(std::move(p)); // located afterwards, only if there are problems
    }

    void unknownKey(const std::string& path, const std::string& key, const char* expected) {
        error(path, "unknown key " + inQuotes(key) + " (expected one of " + expected +
                        ", or an \"x-\" extension key)");
    }

    // Keys shared by the top level and servers sections. Returns false for a key it does not know.
    bool readSectionKey(const std::string& key, const json& value, const std::string& base,
                        PolicySection& section) {
        const std::string path = childPath(base, key);
        if (key == "default") {
            if (!value.is_string() || !defaultActionFromString(value.get<std::string>()))
                error(path, "expected one of allow, deny, got " + value.dump());
            else
                section.defaultAction = defaultActionFromString(value.get<std::string>());
        } else if (key == "hide") {
            section.hide = readHide(value, path);
        } else if (key == "all_tools") {
            readAllTools(value, path, section);
        } else if (key == "tools") {
            section.hasTools = true;
            if (!value.is_object()) {
                error(path,
                      std::string("expected an object of tool rules, got ") + typeName(value));
                return true;
            }
            for (const auto& [name, rule] : value.items()) {
                if (name.empty())
                    error(path, "tool name must not be empty");
                section.tools[name] = readToolRule(rule, childPath(path, name));
            }
        } else if (isExtensionKey(key)) {
            section.extensions[key] = value;
        } else {
            return false;
        }
        return true;
    }

    std::vector<std::string> readHide(const json& value, const std::string& path) {
        std::vector<std::string> out;
        if (!value.is_array()) {
            error(path, std::string("expected an array of tool names, got ") + typeName(value));
            return out;
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            const json& item = value[i];
            if (!item.is_string() || item.get<std::string>().empty())
                error(indexPath(path, i),
                      std::string("expected a tool name or \"*\", got ") + item.dump());
            else
                out.push_back(item.get<std::string>());
        }
        return out;
    }

    void readAllTools(const json& value, const std::string& path, PolicySection& section) {
        section.allToolsLimits.emplace();
        if (!value.is_object()) {
            error(path, std::string("expected an object with \"limits\", got ") + typeName(value));
            return;
        }
        for (const auto& [key, v] : value.items()) {
            if (key == "limits")
                section.allToolsLimits = readLimits(v, childPath(path, key));
            else if (isExtensionKey(key))
                section.allToolsExtensions[key] = v;
            else
                unknownKey(childPath(path, key), key, "limits");
        }
    }

    void readServers(const json& value, Policy& policy) {
        if (!value.is_object()) {
            error("servers",
                  std::string("expected an object of server sections, got ") + typeName(value));
            return;
        }
        for (const auto& [serverKey, sectionJson] : value.items()) {
            const std::string path = childPath("servers", serverKey);
            PolicySection& section = policy.servers[serverKey];
            if (!sectionJson.is_object()) {
                error(path, std::string("expected an object, got ") + typeName(sectionJson));
                continue;
            }
            for (const auto& [key, v] : sectionJson.items()) {
                if (!readSectionKey(key, v, path, section))
                    unknownKey(childPath(path, key), key, "default, hide, all_tools, tools");
            }
            checkSection(section, path);
        }
    }

    ToolRule readToolRule(const json& value, const std::string& path) {
        ToolRule rule;
        if (!value.is_object()) {
            error(path, std::string("expected an object (use {} to allow the tool), got ") +
                            typeName(value));
            return rule;
        }
        for (const auto& [key, v] : value.items()) {
            const std::string p = childPath(path, key);
            if (key == "action") {
                auto a = v.is_string() ? ruleActionFromString(v.get<std::string>()) : std::nullopt;
                if (!a)
                    error(p, "expected one of allow, deny, approve, got " + v.dump());
                rule.action = a;
            } else if (key == "reason") {
                if (v.is_string())
                    rule.reason = v.get<std::string>();
                else
                    error(p, std::string("expected a string, got ") + typeName(v));
            } else if (key == "require") {
                rule.require = readConditions(v, p);
            } else if (key == "deny_if") {
                rule.denyIf = readConditions(v, p);
            } else if (key == "approve_if") {
                rule.approveIf = readConditions(v, p);
            } else if (key == "limits") {
                rule.limits = readLimits(v, p);
            } else if (key == "approval") {
                rule.approval = readApproval(v, p);
            } else if (isExtensionKey(key)) {
                rule.extensions[key] = v;
            } else {
                unknownKey(p, key,
                           "action, reason, require, deny_if, approve_if, limits, approval");
            }
        }
        return rule;
    }

    std::vector<Condition> readConditions(const json& value, const std::string& path) {
        std::vector<Condition> out;
        if (!value.is_array()) {
            error(path, std::string("expected an array of conditions, got ") + typeName(value));
            return out;
        }
        for (std::size_t i = 0; i < value.size(); ++i)
            out.push_back(readCondition(value[i], indexPath(path, i)));
        return out;
    }

    Condition readCondition(const json& value, const std::string& path) {
        Condition c;
        if (!value.is_object()) {
            error(path, std::string("expected a condition object {path, op, value}, got ") +
                            typeName(value));
            return c;
        }
        bool opOk = false;
        for (const auto& [key, v] : value.items()) {
            const std::string p = childPath(path, key);
            if (key == "path") {
                if (!v.is_string()) {
                    error(p,
                          std::string("expected a string like \"args.name\", got ") + typeName(v));
                    continue;
                }
                c.path = v.get<std::string>();
                if (auto steps = parseArgumentPath(c.path))
                    c.steps = std::move(*steps);
                else
                    error(p, "expected a path into the call's arguments like \"args.name\" or "
                             "\"args.items[0].id\", got " +
                                 inQuotes(c.path));
            } else if (key == "op") {
                auto op =
                    v.is_string() ? conditionOpFromString(v.get<std::string>()) : std::nullopt;
                if (!op) {
                    error(p, "expected one of eq, neq, in, not_in, lt, lte, gt, gte, regex, "
                             "contains, exists, got " +
                                 v.dump());
                } else {
                    c.op = *op;
                    opOk = true;
                }
            } else if (key == "value") {
                c.value = v;
            } else if (isExtensionKey(key)) {
                c.extensions[key] = v;
            } else {
                unknownKey(p, key, "path, op, value");
            }
        }
        for (const char* required : {"path", "op", "value"}) {
            if (!value.contains(required))
                error(path, std::string("missing required key ") + inQuotes(required));
        }
        if (opOk && value.contains("value"))
            checkConditionValue(c, childPath(path, "value"));
        return c;
    }

    void checkConditionValue(Condition& c, const std::string& path) {
        switch (c.op) {
        case ConditionOp::In:
        case ConditionOp::NotIn:
            if (!c.value.is_array())
                error(path, std::string("\"") + toString(c.op) + "\" needs an array, got " +
                                typeName(c.value));
            break;
        case ConditionOp::Lt:
        case ConditionOp::Lte:
        case ConditionOp::Gt:
        case ConditionOp::Gte:
            if (!c.value.is_number())
                error(path, std::string("\"") + toString(c.op) + "\" needs a number, got " +
                                typeName(c.value));
            break;
        case ConditionOp::Exists:
            if (!c.value.is_boolean())
                error(path,
                      std::string("\"exists\" needs true or false, got ") + typeName(c.value));
            break;
        case ConditionOp::Regex: {
            if (!c.value.is_string()) {
                error(path,
                      std::string("\"regex\" needs a pattern string, got ") + typeName(c.value));
                break;
            }
            // Policies repeat patterns (every write tool's "^Delete"), and compiling one costs
            // far more than looking it up, so each distinct pattern is compiled once per load.
            const std::string& pattern = c.value.get_ref<const std::string&>();
            auto& re = m_regexes[pattern];
            if (!re)
                re = std::make_shared<const QRegularExpression>(QString::fromStdString(pattern));
            if (!re->isValid()) {
                error(path, "invalid regular expression " + c.value.dump() + ": " +
                                re->errorString().toStdString() + " at offset " +
                                std::to_string(re->patternErrorOffset()));
                break;
            }
            c.regex = re;
            break;
        }
        case ConditionOp::Eq:
        case ConditionOp::Neq:
        case ConditionOp::Contains:
            break;
        }
    }

    std::vector<Limit> readLimits(const json& value, const std::string& path) {
        std::vector<Limit> out;
        if (!value.is_array()) {
            error(path, std::string("expected an array of limits, got ") + typeName(value));
            return out;
        }
        for (std::size_t i = 0; i < value.size(); ++i)
            out.push_back(readLimit(value[i], indexPath(path, i)));
        return out;
    }

    Limit readLimit(const json& value, const std::string& path) {
        Limit l;
        if (!value.is_object()) {
            error(path, std::string("expected a limit object {counter, window, max, scope}, got ") +
                            typeName(value));
            return l;
        }
        for (const auto& [key, v] : value.items()) {
            const std::string p = childPath(path, key);
            if (key == "counter") {
                if (!v.is_string() || v.get<std::string>().empty())
                    error(p, "expected a non-empty counter name, got " + v.dump());
                else
                    l.counter = v.get<std::string>();
            } else if (key == "window") {
                auto w = v.is_string() ? limitWindowFromString(v.get<std::string>()) : std::nullopt;
                if (!w)
                    error(p, "expected one of second, minute, hour, day, got " + v.dump());
                else
                    l.window = *w;
            } else if (key == "max") {
                if (!v.is_number_integer() || v.get<std::int64_t>() < 1 ||
                    (v.is_number_unsigned() && v.get<std::uint64_t>() > kMaxLimit) ||
                    v.get<std::int64_t>() > kMaxLimit)
                    error(p, "expected a whole number from 1 to 1000000000, got " + v.dump());
                else
                    l.max = v.get<std::int64_t>();
            } else if (key == "scope") {
                auto s = v.is_string() ? limitScopeFromString(v.get<std::string>()) : std::nullopt;
                if (!s)
                    error(p, "expected one of grant, session, global, got " + v.dump());
                else
                    l.scope = *s;
            } else if (isExtensionKey(key)) {
                l.extensions[key] = v;
            } else {
                unknownKey(p, key, "counter, window, max, scope");
            }
        }
        for (const char* required : {"counter", "window", "max"}) {
            if (!value.contains(required))
                error(path, std::string("missing required key ") + inQuotes(required));
        }
        return l;
    }

    ApprovalSettings readApproval(const json& value, const std::string& path) {
        ApprovalSettings a;
        if (!value.is_object()) {
            error(path, std::string("expected an object {timeout_s, on_timeout}, got ") +
                            typeName(value));
            return a;
        }
        for (const auto& [key, v] : value.items()) {
            const std::string p = childPath(path, key);
            if (key == "timeout_s") {
                if (!v.is_number_integer() || v.get<std::int64_t>() < 1 ||
                    v.get<std::int64_t>() > 86400)
                    error(p, "expected whole seconds from 1 to 86400, got " + v.dump());
                else
                    a.timeoutS = v.get<int>();
            } else if (key == "on_timeout") {
                auto t =
                    v.is_string() ? timeoutActionFromString(v.get<std::string>()) : std::nullopt;
                if (!t)
                    error(p, "expected one of deny, allow, got " + v.dump());
                else
                    a.onTimeout = *t;
            } else if (isExtensionKey(key)) {
                a.extensions[key] = v;
            } else {
                unknownKey(p, key, "timeout_s, on_timeout");
            }
        }
        return a;
    }

    // Cross-key checks that make a policy legal but probably not what was meant.
    void checkSection(const PolicySection& section, const std::string& base) {
        if (section.hide) {
            for (const auto& [name, rule] : section.tools) {
                if (section.hides(name) && rule.effectiveAction() != RuleAction::Deny)
                    warning(childPath(childPath(base, "tools"), name),
                            "tool is also hidden by " + childPath(base, "hide") +
                                "; hiding wins and this rule never applies");
            }
        }
        std::map<std::pair<std::string, LimitScope>, LimitWindow> windows;
        auto checkLimits = [&](const std::vector<Limit>& limits, const std::string& path) {
            for (std::size_t i = 0; i < limits.size(); ++i) {
                const Limit& l = limits[i];
                auto [it, inserted] = windows.try_emplace({l.counter, l.scope}, l.window);
                if (!inserted && it->second != l.window)
                    warning(indexPath(path, i),
                            "counter " + inQuotes(l.counter) + " is also used with window " +
                                toString(it->second) + "; each window counts separately");
            }
        };
        if (section.allToolsLimits)
            checkLimits(*section.allToolsLimits, childPath(childPath(base, "all_tools"), "limits"));
        for (const auto& [name, rule] : section.tools) {
            if (rule.limits)
                checkLimits(*rule.limits,
                            childPath(childPath(childPath(base, "tools"), name), "limits"));
        }
    }
};

// Writers: keys in a fixed order, absent keys stay absent.
ordered_json writeConditions(const std::vector<Condition>& conditions) {
    ordered_json out = ordered_json::array();
    for (const Condition& c : conditions) {
        ordered_json j;
        j["path"] = c.path;
        j["op"] = toString(c.op);
        j["value"] = ordered_json::parse(c.value.dump());
        for (const auto& [k, v] : c.extensions.items())
            j[k] = ordered_json::parse(v.dump());
        out.push_back(std::move(j));
    }
    return out;
}

ordered_json writeLimits(const std::vector<Limit>& limits) {
    ordered_json out = ordered_json::array();
    for (const Limit& l : limits) {
        ordered_json j;
        j["counter"] = l.counter;
        j["window"] = toString(l.window);
        j["max"] = l.max;
        j["scope"] = toString(l.scope);
        for (const auto& [k, v] : l.extensions.items())
            j[k] = ordered_json::parse(v.dump());
        out.push_back(std::move(j));
    }
    return out;
}

void writeExtensions(ordered_json& out, const json& extensions) {
    for (const auto& [k, v] : extensions.items())
        out[k] = ordered_json::parse(v.dump());
}

ordered_json writeRule(const ToolRule& rule) {
    ordered_json j = ordered_json::object();
    if (rule.action)
        j["action"] = toString(*rule.action);
    if (rule.reason)
        j["reason"] = *rule.reason;
    if (rule.require)
        j["require"] = writeConditions(*rule.require);
    if (rule.denyIf)
        j["deny_if"] = writeConditions(*rule.denyIf);
    if (rule.approveIf)
        j["approve_if"] = writeConditions(*rule.approveIf);
    if (rule.limits)
        j["limits"] = writeLimits(*rule.limits);
    if (rule.approval) {
        ordered_json a;
        a["timeout_s"] = rule.approval->timeoutS;
        a["on_timeout"] = toString(rule.approval->onTimeout);
        writeExtensions(a, rule.approval->extensions);
        j["approval"] = std::move(a);
    }
    writeExtensions(j, rule.extensions);
    return j;
}

void writeSection(ordered_json& out, const PolicySection& section) {
    if (section.defaultAction)
        out["default"] = toString(*section.defaultAction);
    if (section.hide)
        out["hide"] = *section.hide;
    if (section.allToolsLimits) {
        ordered_json all;
        all["limits"] = writeLimits(*section.allToolsLimits);
        writeExtensions(all, section.allToolsExtensions);
        out["all_tools"] = std::move(all);
    }
    if (section.hasTools || !section.tools.empty()) {
        ordered_json tools = ordered_json::object();
        for (const auto& [name, rule] : section.tools)
            tools[name] = writeRule(rule);
        out["tools"] = std::move(tools);
    }
}

} // namespace

namespace PolicyIo {

PolicyLoadResult parse(std::string_view text) {
    PolicyLoadResult result;
    auto fail = [&](std::size_t offset, std::string message) {
        PolicyProblem p;
        p.message = std::move(message);
        const TextPosition pos = positionOfOffset(text, offset);
        p.line = pos.line;
        p.column = pos.column;
        result.problems.push_back(std::move(p));
        return result;
    };
    if (text.size() > kMaxPolicyBytes)
        return fail(0, "policy is " + std::to_string(text.size()) + " bytes; the limit is " +
                           std::to_string(kMaxPolicyBytes));
    if (auto at = firstOffsetDeeperThan(text, kMaxDepth))
        return fail(*at, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");

    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        // nlohmann reports "[json.exception.parse_error.101] parse error at line 1, column 2:
        // syntax error while parsing ..."; keep only the part after the location.
        std::string what = e.what();
        if (auto colon = what.find(": ", what.find("column")); colon != std::string::npos)
            what = what.substr(colon + 2);
        return fail(tokenStart(text, e.byte > 0 ? e.byte - 1 : 0), "invalid JSON: " + what);
    } catch (const json::exception& e) {
        // A number too large for a double: "[json.exception.out_of_range.406] number overflow
        // parsing '1e999'". No offset comes with it, so the number is looked up in the text.
        std::string what = e.what();
        if (auto bracket = what.find("] "); bracket != std::string::npos)
            what = what.substr(bracket + 2);
        std::size_t offset = 0;
        const auto open = what.find('\'');
        const auto close = what.rfind('\'');
        if (open != std::string::npos && close > open + 1) {
            const auto at = text.find(what.substr(open + 1, close - open - 1));
            offset = at == std::string_view::npos ? 0 : at;
        }
        return fail(offset, "invalid JSON: " + what);
    }

    Reader reader;
    const JsonLocations duplicates =
        JsonLocations::index(text, JsonLocations::Detail::DuplicatesOnly);
    for (const std::string& dup : duplicates.duplicateKeys())
        reader.error(dup, "duplicate key; a later value would silently replace the earlier one");
    Policy policy = reader.readPolicy(doc);
    result.problems = std::move(reader.problems);
    if (!result.problems.empty()) {
        const JsonLocations locations = JsonLocations::index(text);
        for (PolicyProblem& p : result.problems) {
            const TextPosition pos = locations.locate(p.path);
            p.line = pos.line;
            p.column = pos.column;
        }
    }
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const PolicyProblem& a, const PolicyProblem& b) {
                         return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                     });
    if (result.errorCount() == 0)
        result.policy = std::move(policy);
    return result;
}

PolicyLoadResult loadFile(const QString& fileName) {
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        PolicyLoadResult result;
        result.problems.push_back({PolicyProblem::Severity::Error, "",
                                   "cannot read: " + file.errorString().toStdString(), 0, 0});
        return result;
    }
    if (file.size() > static_cast<qint64>(kMaxPolicyBytes)) {
        PolicyLoadResult result;
        result.problems.push_back({PolicyProblem::Severity::Error, "",
                                   "file is " + std::to_string(file.size()) +
                                       " bytes; the limit is " + std::to_string(kMaxPolicyBytes),
                                   0, 0});
        return result;
    }
    const QByteArray bytes = file.readAll();
    return parse(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

ordered_json toJson(const Policy& policy) {
    ordered_json out;
    out["version"] = policy.version;
    if (policy.description)
        out["description"] = *policy.description;
    PolicySection top = policy.top;
    if (!top.defaultAction)
        top.defaultAction = DefaultAction::Deny;
    writeSection(out, top);
    if (policy.hasServers || !policy.servers.empty()) {
        ordered_json servers = ordered_json::object();
        for (const auto& [key, section] : policy.servers) {
            ordered_json s = ordered_json::object();
            writeSection(s, section);
            writeExtensions(s, section.extensions);
            servers[key] = std::move(s);
        }
        out["servers"] = std::move(servers);
    }
    writeExtensions(out, policy.top.extensions);
    return out;
}

std::string serialize(const Policy& policy) {
    return toJson(policy).dump(2) + '\n';
}

std::optional<QString> saveFile(const Policy& policy, const QString& fileName) {
    const std::string text = serialize(policy);
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(fileName, file.errorString());
    if (file.write(text.data(), static_cast<qint64>(text.size())) !=
        static_cast<qint64>(text.size()))
        return QStringLiteral("cannot write %1: %2").arg(fileName, file.errorString());
    if (!file.commit())
        return QStringLiteral("cannot save %1: %2").arg(fileName, file.errorString());
    return std::nullopt;
}

} // namespace PolicyIo

} // namespace portcullis
