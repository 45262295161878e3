#include "policy/condition.h"

#include <QString>

#include <charconv>

namespace portcullis {

std::optional<std::vector<PathStep>> parseArgumentPath(std::string_view path) {
    constexpr std::string_view root = "args";
    if (path.substr(0, root.size()) != root)
        return std::nullopt;
    std::vector<PathStep> steps;
    std::size_t at = root.size();
    while (at < path.size()) {
        if (path[at] == '.') {
            const std::size_t start = ++at;
            while (at < path.size() && path[at] != '.' && path[at] != '[' && path[at] != ']')
                ++at;
            if (at == start)
                return std::nullopt;
            steps.push_back({std::string(path.substr(start, at - start)), -1});
        } else if (path[at] == '[') {
            const std::size_t close = path.find(']', at);
            if (close == std::string_view::npos || close == at + 1)
                return std::nullopt;
            std::int64_t index = 0;
            const char* first = path.data() + at + 1;
            const char* last = path.data() + close;
            auto [ptr, ec] = std::from_chars(first, last, index);
            if (ec != std::errc() || ptr != last || index < 0)
                return std::nullopt;
            steps.push_back({std::string(), index});
            at = close + 1;
        } else {
            return std::nullopt;
        }
    }
    return steps;
}

const nlohmann::json* resolveArgument(const nlohmann::json& arguments,
                                      const std::vector<PathStep>& steps) {
    const nlohmann::json* node = &arguments;
    for (const PathStep& step : steps) {
        if (step.index >= 0) {
            if (!node->is_array() || static_cast<std::size_t>(step.index) >= node->size())
                return nullptr;
            node = &(*node)[static_cast<std::size_t>(step.index)];
        } else {
            if (!node->is_object())
                return nullptr;
            auto it = node->find(step.key);
            if (it == node->end())
                return nullptr;
            node = &*it;
        }
    }
    return node;
}

namespace {

// nlohmann's operator== already compares integers and floats by value; everything else is exact.
bool jsonEquals(const nlohmann::json& a, const nlohmann::json& b) {
    return a == b;
}

std::optional<int> compareNumbers(const nlohmann::json& a, const nlohmann::json& b) {
    if (!a.is_number() || !b.is_number())
        return std::nullopt;
    if (a.is_number_integer() && b.is_number_integer() && !a.is_number_unsigned() &&
        !b.is_number_unsigned()) {
        const auto x = a.get<std::int64_t>();
        const auto y = b.get<std::int64_t>();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    const double x = a.get<double>();
    const double y = b.get<double>();
    return x < y ? -1 : (x > y ? 1 : 0);
}

bool inList(const nlohmann::json& arg, const nlohmann::json& list) {
    if (!list.is_array())
        return false;
    for (const auto& item : list) {
        if (jsonEquals(arg, item))
            return true;
    }
    return false;
}

} // namespace

bool conditionHolds(const Condition& c, const nlohmann::json& arguments) {
    const nlohmann::json* arg = resolveArgument(arguments, c.steps);
    if (c.op == ConditionOp::Exists)
        return (arg != nullptr) == (c.value.is_boolean() ? c.value.get<bool>() : true);
    if (!arg)
        return false;
    switch (c.op) {
    case ConditionOp::Eq:
        return jsonEquals(*arg, c.value);
    case ConditionOp::Neq:
        return !jsonEquals(*arg, c.value);
    case ConditionOp::In:
        return inList(*arg, c.value);
    case ConditionOp::NotIn:
        return c.value.is_array() && !inList(*arg, c.value);
    case ConditionOp::Lt: {
        const auto r = compareNumbers(*arg, c.value);
        return r && *r < 0;
    }
    case ConditionOp::Lte: {
        const auto r = compareNumbers(*arg, c.value);
        return r && *r <= 0;
    }
    case ConditionOp::Gt: {
        const auto r = compareNumbers(*arg, c.value);
        return r && *r > 0;
    }
    case ConditionOp::Gte: {
        const auto r = compareNumbers(*arg, c.value);
        return r && *r >= 0;
    }
    case ConditionOp::Regex:
        if (!arg->is_string() || !c.regex)
            return false;
        return c.regex->match(QString::fromStdString(arg->get_ref<const std::string&>()))
            .hasMatch();
    case ConditionOp::Contains:
        if (arg->is_string() && c.value.is_string())
            return arg->get_ref<const std::string&>().find(c.value.get_ref<const std::string&>()) !=
                   std::string::npos;
        if (arg->is_array())
            return inList(c.value, *arg);
        return false;
    case ConditionOp::Exists:
        break;
    }
    return false;
}

std::string describeCondition(const Condition& c) {
    return c.path + ' ' + toString(c.op) + ' ' +
           (c.value.is_string() ? c.value.get<std::string>() : c.value.dump());
}

} // namespace portcullis
