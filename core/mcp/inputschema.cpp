#include "mcp/inputschema.h"

#include <QRegularExpression>
#include <QString>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace portcullis {
namespace {

using json = nlohmann::json;

// How many enum values or property names a message lists before it stops.
constexpr std::size_t kListedNames = 10;
constexpr std::size_t kPreviewChars = 60;

struct Segment {
    bool isIndex = false;
    std::size_t index = 0;
    std::string key;
};

using Path = std::vector<Segment>;

struct Found {
    Path path;
    std::string message;
};

const json* member(const json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const json* memberOfKind(const json& object, const char* key, json::value_t kind) {
    const json* value = member(object, key);
    return value && value->type() == kind ? value : nullptr;
}

// --- values -----------------------------------------------------------------------------------

enum class Kind { Null, Boolean, Object, Array, Number, Integer, String };

std::optional<Kind> kindNamed(const std::string& name) {
    static const std::unordered_map<std::string, Kind> kinds{
        {"null", Kind::Null},     {"boolean", Kind::Boolean}, {"object", Kind::Object},
        {"array", Kind::Array},   {"number", Kind::Number},   {"integer", Kind::Integer},
        {"string", Kind::String},
    };
    const auto it = kinds.find(name);
    return it == kinds.end() ? std::nullopt : std::optional(it->second);
}

bool isIntegral(const json& value) {
    if (value.is_number_integer())
        return true;
    if (!value.is_number_float())
        return false;
    const double d = value.get<double>();
    return std::isfinite(d) && std::trunc(d) == d;
}

bool valueIs(const json& value, Kind kind) {
    switch (kind) {
    case Kind::Null:
        return value.is_null();
    case Kind::Boolean:
        return value.is_boolean();
    case Kind::Object:
        return value.is_object();
    case Kind::Array:
        return value.is_array();
    case Kind::Number:
        return value.is_number();
    case Kind::Integer:
        return isIntegral(value);
    case Kind::String:
        return value.is_string();
    }
    return false;
}

const char* phrase(Kind kind) {
    switch (kind) {
    case Kind::Null:
        return "null";
    case Kind::Boolean:
        return "a boolean";
    case Kind::Object:
        return "an object";
    case Kind::Array:
        return "an array";
    case Kind::Number:
        return "a number";
    case Kind::Integer:
        return "an integer";
    case Kind::String:
        return "a string";
    }
    return "a value";
}

const char* phraseOf(const json& value) {
    if (value.is_number())
        return isIntegral(value) ? "a number" : "a fractional number";
    for (Kind kind : {Kind::Null, Kind::Boolean, Kind::Object, Kind::Array, Kind::String}) {
        if (valueIs(value, kind))
            return phrase(kind);
    }
    return "a value JSON cannot hold";
}

std::string phrases(const std::vector<Kind>& kinds) {
    std::string out;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (i > 0)
            out += i + 1 == kinds.size() ? " or " : ", ";
        out += phrase(kinds[i]);
    }
    return out;
}

// The kinds a `type` keyword names, or nothing when it is not a well-formed `type`: a name this
// checker does not know could admit anything, so the whole keyword is left alone.
std::optional<std::vector<Kind>> kindsOf(const json& type) {
    std::vector<Kind> kinds;
    const auto add = [&kinds](const json& name) {
        if (!name.is_string())
            return false;
        const auto kind = kindNamed(name.get_ref<const std::string&>());
        if (!kind)
            return false;
        if (std::find(kinds.begin(), kinds.end(), *kind) == kinds.end())
            kinds.push_back(*kind);
        return true;
    };
    if (type.is_array()) {
        for (const json& name : type) {
            if (!add(name))
                return std::nullopt;
        }
    } else if (!add(type)) {
        return std::nullopt;
    }
    if (kinds.empty())
        return std::nullopt;
    return kinds;
}

// Exact for any two integers, signed or not; a fraction on either side goes through long
// double, which holds every 64-bit integer on the platforms we build for.
std::partial_ordering compareNumbers(const json& a, const json& b) {
    if (a.is_number_integer() && b.is_number_integer()) {
        if (a.is_number_unsigned() && b.is_number_unsigned())
            return a.get<std::uint64_t>() <=> b.get<std::uint64_t>();
        if (a.is_number_unsigned()) {
            const auto other = b.get<std::int64_t>();
            return other < 0 ? std::partial_ordering::greater
                             : a.get<std::uint64_t>() <=> static_cast<std::uint64_t>(other);
        }
        if (b.is_number_unsigned()) {
            const auto own = a.get<std::int64_t>();
            return own < 0 ? std::partial_ordering::less
                           : static_cast<std::uint64_t>(own) <=> b.get<std::uint64_t>();
        }
        return a.get<std::int64_t>() <=> b.get<std::int64_t>();
    }
    const auto wide = [](const json& n) -> long double {
        if (n.is_number_unsigned())
            return static_cast<long double>(n.get<std::uint64_t>());
        if (n.is_number_integer())
            return static_cast<long double>(n.get<std::int64_t>());
        return static_cast<long double>(n.get<double>());
    };
    return wide(a) <=> wide(b);
}

// JSON Schema equality (1 and 1.0 are the same value). Iterative: nlohmann's own operator==
// recurses, and the values compared here may come from an untrusted server nested arbitrarily.
bool sameValue(const json& a, const json& b) {
    std::vector<std::pair<const json*, const json*>> pending{{&a, &b}};
    while (!pending.empty()) {
        const auto [x, y] = pending.back();
        pending.pop_back();
        if (x->is_number() && y->is_number()) {
            if (compareNumbers(*x, *y) != 0)
                return false;
            continue;
        }
        if (x->type() != y->type())
            return false;
        if (x->is_array()) {
            if (x->size() != y->size())
                return false;
            for (std::size_t i = 0; i < x->size(); ++i)
                pending.emplace_back(&(*x)[i], &(*y)[i]);
        } else if (x->is_object()) {
            if (x->size() != y->size())
                return false;
            for (auto it = x->begin(); it != x->end(); ++it) {
                const auto other = y->find(it.key());
                if (other == y->end())
                    return false;
                pending.emplace_back(&*it, &*other);
            }
        } else if (*x != *y) {
            return false;
        }
    }
    return true;
}

std::size_t scalarHash(const json& value) {
    if (value.is_number())
        return std::hash<double>{}(value.get<double>());
    if (value.is_string())
        return std::hash<std::string>{}(value.get_ref<const std::string&>());
    if (value.is_boolean())
        return value.get<bool>() ? 1 : 2;
    return static_cast<std::size_t>(value.type()) * 31 + value.size();
}

// Equal values hash alike; looking one level in keeps arrays of similar objects from all
// landing in one bucket, without recursing into the depths.
std::size_t shallowHash(const json& value) {
    std::size_t h = scalarHash(value);
    if (value.is_array()) {
        for (const json& element : value)
            h = h * 1'000'003 + scalarHash(element);
    } else if (value.is_object()) {
        // Order-independent, though nlohmann iterates keys sorted anyway.
        for (auto it = value.begin(); it != value.end(); ++it)
            h += std::hash<std::string>{}(it.key()) ^ scalarHash(*it);
    }
    return h;
}

std::size_t codePoints(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

// A non-negative integer keyword value (minLength, maxItems, ...), 3.0 included.
std::optional<std::uint64_t> countIn(const json* value) {
    if (!value)
        return std::nullopt;
    if (value->is_number_unsigned())
        return value->get<std::uint64_t>();
    if (value->is_number_integer()) {
        const auto n = value->get<std::int64_t>();
        return n < 0 ? std::nullopt : std::optional(static_cast<std::uint64_t>(n));
    }
    if (value->is_number_float()) {
        const double d = value->get<double>();
        if (!(d >= 0) || d >= 1.8e19 || std::trunc(d) != d)
            return std::nullopt;
        return static_cast<std::uint64_t>(d);
    }
    return std::nullopt;
}

std::string shorten(const std::string& text, std::size_t maxCodePoints) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
            continue;
        if (seen++ == maxCodePoints)
            return text.substr(0, i) + "…";
    }
    return text;
}

// A value as a message shows it: scalars as JSON, containers only by their brackets, since
// printing them would recurse through whatever a server nested inside.
std::string preview(const json& value) {
    if (value.is_object())
        return "{…}";
    if (value.is_array())
        return "[…]";
    return shorten(value.dump(-1, ' ', false, json::error_handler_t::replace), kPreviewChars);
}

std::string counted(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + ' ' + (n == 1 ? one : many);
}

// --- references -------------------------------------------------------------------------------

std::optional<std::string> percentDecoded(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        unsigned byte = 0;
        if (i + 2 >= text.size())
            return std::nullopt;
        const auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, byte, 16);
        if (ec != std::errc() || end != text.data() + i + 3)
            return std::nullopt;
        out += static_cast<char>(byte);
        i += 2;
    }
    return out;
}

std::optional<std::string> unescapedToken(std::string_view token) {
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] != '~') {
            out += token[i];
            continue;
        }
        if (i + 1 == token.size() || (token[i + 1] != '0' && token[i + 1] != '1'))
            return std::nullopt;
        out += token[++i] == '0' ? '~' : '/';
    }
    return out;
}

// The schema a local reference ("#", "#/$defs/x", "#/definitions/x", any JSON Pointer) names
// inside the root, or nullptr for a reference this checker cannot follow (another document,
// an anchor, a pointer to nothing).
const json* resolve(const json& root, const std::string& ref) {
    if (ref.empty() || ref.front() != '#')
        return nullptr;
    const auto pointer = percentDecoded(std::string_view(ref).substr(1));
    if (!pointer)
        return nullptr;
    if (pointer->empty())
        return &root;
    if (pointer->front() != '/')
        return nullptr;
    const json* node = &root;
    std::size_t begin = 1;
    while (true) {
        const std::size_t end = pointer->find('/', begin);
        const auto token = unescapedToken(std::string_view(*pointer).substr(
            begin, end == std::string::npos ? std::string::npos : end - begin));
        if (!token)
            return nullptr;
        if (node->is_object()) {
            const auto it = node->find(*token);
            if (it == node->end())
                return nullptr;
            node = &*it;
        } else if (node->is_array()) {
            std::size_t index = 0;
            const char* first = token->data();
            const char* last = first + token->size();
            const auto [stop, ec] = std::from_chars(first, last, index);
            if (token->empty() || ec != std::errc() || stop != last ||
                (token->size() > 1 && token->front() == '0') || index >= node->size())
                return nullptr;
            node = &(*node)[index];
        } else {
            return nullptr;
        }
        if (end == std::string::npos)
            return node;
        begin = end + 1;
    }
}

// --- problems ---------------------------------------------------------------------------------

std::string rendered(const Path& path) {
    std::string out;
    for (const Segment& segment : path) {
        out += '/';
        if (segment.isIndex) {
            out += std::to_string(segment.index);
            continue;
        }
        for (char c : segment.key) {
            if (c == '~')
                out += "~0";
            else if (c == '/')
                out += "~1";
            else
                out += c;
        }
    }
    return out;
}

// Document order: a value before what it holds, array items by index, members in the order
// nlohmann keeps them (std::string ordering).
bool comesBefore(const Path& a, const Path& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](const Segment& x, const Segment& y) {
                                            if (x.isIndex != y.isIndex)
                                                return x.isIndex;
                                            return x.isIndex ? x.index < y.index : x.key < y.key;
                                        });
}

class PathStep {
public:
    PathStep(Path& path, Segment segment)
        : m_path(path) {
        m_path.push_back(std::move(segment));
    }
    ~PathStep() { m_path.pop_back(); }
    PathStep(const PathStep&) = delete;
    PathStep& operator=(const PathStep&) = delete;

private:
    Path& m_path;
};

Segment keySegment(const std::string& key) {
    return Segment{false, 0, key};
}
Segment indexSegment(std::size_t index) {
    return Segment{true, index, {}};
}

// --- the checker ------------------------------------------------------------------------------

class Checker {
public:
    explicit Checker(const json& root)
        : m_root(root) {}

    std::vector<SchemaProblem> run(const json& arguments);

private:
    void apply(const json& schema, const json& value);
    void applyAt(Segment segment, const json& schema, const json& value);
    bool fits(const json& schema, const json& value);
    bool done() const { return m_stopped.has_value() || m_sink->size() >= m_sinkCap; }
    bool spend();
    void report(std::string message);
    void stop(std::string message);

    void checkRef(const json& schema, const json& value);
    bool checkType(const json& schema, const json& value);
    void checkEnumAndConst(const json& schema, const json& value);
    void checkNumber(const json& schema, const json& value);
    void checkString(const json& schema, const json& value);
    void checkArray(const json& schema, const json& value);
    void checkObject(const json& schema, const json& value);
    void checkCombinations(const json& schema, const json& value);
    std::string matchesNone(const json& branches, const json& value) const;
    const QRegularExpression* regex(const std::string& pattern);

    const json& m_root;
    Path m_path;
    std::vector<Found> m_found;
    // Where problems go: m_found, or a scratch list while fits() asks whether a branch matches.
    std::vector<Found>* m_sink = &m_found;
    std::size_t m_sinkCap = kMaxSchemaProblems;
    std::optional<Found> m_stopped;
    int m_depth = 0;
    std::size_t m_steps = 0;
    // The (schema, value) pairs being applied, innermost last; at most kMaxSchemaDepth long.
    std::vector<std::pair<const json*, const json*>> m_active;
    std::unordered_map<std::string, std::optional<QRegularExpression>> m_patterns;
};

std::vector<SchemaProblem> Checker::run(const json& arguments) {
    apply(m_root, arguments);
    if (m_stopped) {
        if (m_found.size() >= kMaxSchemaProblems)
            m_found.pop_back();
        m_found.push_back(std::move(*m_stopped));
    }
    std::stable_sort(m_found.begin(), m_found.end(),
                     [](const Found& a, const Found& b) { return comesBefore(a.path, b.path); });
    std::vector<SchemaProblem> problems;
    problems.reserve(m_found.size());
    for (Found& found : m_found)
        problems.push_back({rendered(found.path), std::move(found.message)});
    return problems;
}

bool Checker::spend() {
    if (++m_steps <= kMaxSchemaSteps)
        return true;
    stop("schema too complex to check");
    return false;
}

void Checker::report(std::string message) {
    if (!done())
        m_sink->push_back({m_path, std::move(message)});
}

void Checker::stop(std::string message) {
    if (!m_stopped)
        m_stopped = Found{m_path, std::move(message)};
}

void Checker::apply(const json& schema, const json& value) {
    if (done())
        return;
    if (schema.is_boolean()) {
        if (!schema.get<bool>())
            report("no value is allowed here");
        return;
    }
    if (!schema.is_object())
        return;
    if (m_depth >= kMaxSchemaDepth) {
        stop("schema too deeply nested");
        return;
    }
    if (!spend())
        return;
    ++m_depth;
    m_active.emplace_back(&schema, &value);
    checkRef(schema, value);
    // A value of the wrong type would also miss every enum member; one problem says it better.
    if (checkType(schema, value))
        checkEnumAndConst(schema, value);
    if (value.is_number())
        checkNumber(schema, value);
    else if (value.is_string())
        checkString(schema, value);
    else if (value.is_array())
        checkArray(schema, value);
    else if (value.is_object())
        checkObject(schema, value);
    checkCombinations(schema, value);
    m_active.pop_back();
    --m_depth;
}

void Checker::applyAt(Segment segment, const json& schema, const json& value) {
    const PathStep step(m_path, std::move(segment));
    apply(schema, value);
}

// Whether the value matches without reporting why not; stops at the first problem.
bool Checker::fits(const json& schema, const json& value) {
    std::vector<Found> scratch;
    std::vector<Found>* const sink = std::exchange(m_sink, &scratch);
    const std::size_t cap = std::exchange(m_sinkCap, 1);
    apply(schema, value);
    m_sink = sink;
    m_sinkCap = cap;
    return scratch.empty() && !m_stopped;
}

void Checker::checkRef(const json& schema, const json& value) {
    const json* ref = memberOfKind(schema, "$ref", json::value_t::string);
    if (!ref)
        return;
    const json* target = resolve(m_root, ref->get_ref<const std::string&>());
    if (!target)
        return;
    // Coming back to a schema already being applied to this same value can add nothing the
    // first application does not check, and following it again would never end.
    const std::pair<const json*, const json*> visit{target, &value};
    if (std::find(m_active.begin(), m_active.end(), visit) == m_active.end())
        apply(*target, value);
}

bool Checker::checkType(const json& schema, const json& value) {
    const json* type = member(schema, "type");
    if (!type)
        return true;
    const auto kinds = kindsOf(*type);
    if (!kinds)
        return true;
    if (std::any_of(kinds->begin(), kinds->end(), [&](Kind k) { return valueIs(value, k); }))
        return true;
    report("expected " + phrases(*kinds) + ", got " + phraseOf(value));
    return false;
}

void Checker::checkEnumAndConst(const json& schema, const json& value) {
    if (const json* allowed = memberOfKind(schema, "enum", json::value_t::array)) {
        const bool listed = std::any_of(allowed->begin(), allowed->end(),
                                        [&](const json& v) { return sameValue(v, value); });
        if (!listed && allowed->empty()) {
            report("no value is allowed here");
        } else if (!listed) {
            std::string names;
            for (std::size_t i = 0; i < allowed->size() && i < kListedNames; ++i)
                names += (i ? ", " : "") + preview((*allowed)[i]);
            if (allowed->size() > kListedNames)
                names += ", …";
            report("expected one of " + names);
        }
    }
    if (const json* exact = member(schema, "const"); exact && !sameValue(*exact, value))
        report("expected exactly " + preview(*exact));
}

void Checker::checkNumber(const json& schema, const json& value) {
    const auto number = [&schema](const char* key) -> const json* {
        const json* v = member(schema, key);
        return v && v->is_number() ? v : nullptr;
    };
    const json* minimum = number("minimum");
    const json* maximum = number("maximum");
    const json* exclusiveMin = member(schema, "exclusiveMinimum");
    const json* exclusiveMax = member(schema, "exclusiveMaximum");
    // Draft 4 spelled exclusivity as a boolean beside minimum/maximum; later drafts give the
    // bound itself.
    const bool minIsExclusive =
        exclusiveMin && exclusiveMin->is_boolean() && exclusiveMin->get<bool>();
    const bool maxIsExclusive =
        exclusiveMax && exclusiveMax->is_boolean() && exclusiveMax->get<bool>();

    if (minimum) {
        const auto order = compareNumbers(value, *minimum);
        if (minIsExclusive && order <= 0)
            report("must be greater than " + minimum->dump());
        else if (!minIsExclusive && order < 0)
            report("must be at least " + minimum->dump());
    }
    if (exclusiveMin && exclusiveMin->is_number() && compareNumbers(value, *exclusiveMin) <= 0)
        report("must be greater than " + exclusiveMin->dump());
    if (maximum) {
        const auto order = compareNumbers(value, *maximum);
        if (maxIsExclusive && order >= 0)
            report("must be less than " + maximum->dump());
        else if (!maxIsExclusive && order > 0)
            report("must be at most " + maximum->dump());
    }
    if (exclusiveMax && exclusiveMax->is_number() && compareNumbers(value, *exclusiveMax) >= 0)
        report("must be less than " + exclusiveMax->dump());
}

void Checker::checkString(const json& schema, const json& value) {
    const auto& text = value.get_ref<const std::string&>();
    const auto minLength = countIn(member(schema, "minLength"));
    const auto maxLength = countIn(member(schema, "maxLength"));
    if (minLength || maxLength) {
        const std::size_t length = codePoints(text);
        if (minLength && length < *minLength)
            report("must be at least " + counted(*minLength, "character", "characters") +
                   " long (is " + std::to_string(length) + ")");
        if (maxLength && length > *maxLength)
            report("must be at most " + counted(*maxLength, "character", "characters") +
                   " long (is " + std::to_string(length) + ")");
    }
    if (const json* pattern = memberOfKind(schema, "pattern", json::value_t::string)) {
        const auto& source = pattern->get_ref<const std::string&>();
        if (const QRegularExpression* re = regex(source);
            re && spend() && !re->match(QString::fromStdString(text)).hasMatch())
            report("does not match the pattern " + shorten(source, kPreviewChars));
    }
}

void Checker::checkArray(const json& schema, const json& value) {
    const std::size_t size = value.size();
    if (const auto minItems = countIn(member(schema, "minItems")); minItems && size < *minItems)
        report("must have at least " + counted(*minItems, "item", "items") + " (has " +
               std::to_string(size) + ")");
    if (const auto maxItems = countIn(member(schema, "maxItems")); maxItems && size > *maxItems)
        report("must have at most " + counted(*maxItems, "item", "items") + " (has " +
               std::to_string(size) + ")");

    // 2020-12 spells a tuple prefixItems + items; earlier drafts items (array) + additionalItems.
    const json* items = member(schema, "items");
    const json* tuple = memberOfKind(schema, "prefixItems", json::value_t::array);
    const json* rest = items;
    if (!tuple && items && items->is_array()) {
        tuple = items;
        rest = member(schema, "additionalItems");
    }
    const std::size_t positional = tuple ? tuple->size() : 0;
    for (std::size_t i = 0; i < size && !done(); ++i) {
        if (i < positional) {
            applyAt(indexSegment(i), (*tuple)[i], value[i]);
        } else if (!rest) {
            break;
        } else if (rest->is_boolean() && !rest->get<bool>()) {
            const PathStep step(m_path, indexSegment(i));
            report(positional == 0 ? std::string("unexpected item: the array must be empty")
                                   : "unexpected item: at most " +
                                         counted(positional, "item is", "items are") + " allowed");
        } else {
            applyAt(indexSegment(i), *rest, value[i]);
        }
    }

    if (const json* unique = member(schema, "uniqueItems");
        unique && unique->is_boolean() && unique->get<bool>()) {
        std::unordered_map<std::size_t, std::vector<std::size_t>> buckets;
        for (std::size_t i = 0; i < size && !done(); ++i) {
            auto& bucket = buckets[shallowHash(value[i])];
            const auto same = std::find_if(bucket.begin(), bucket.end(), [&](std::size_t j) {
                return sameValue(value[j], value[i]);
            });
            if (same == bucket.end()) {
                bucket.push_back(i);
                continue;
            }
            const PathStep step(m_path, indexSegment(i));
            report("repeats item " + std::to_string(*same) + "; items must be unique");
        }
    }
}

void Checker::checkObject(const json& schema, const json& value) {
    if (const json* required = memberOfKind(schema, "required", json::value_t::array)) {
        for (const json& name : *required) {
            if (name.is_string() && !value.contains(name.get_ref<const std::string&>()))
                report("missing required property " + preview(name));
        }
    }
    const std::size_t size = value.size();
    if (const auto least = countIn(member(schema, "minProperties")); least && size < *least)
        report("must have at least " + counted(*least, "property", "properties") + " (has " +
               std::to_string(size) + ")");
    if (const auto most = countIn(member(schema, "maxProperties")); most && size > *most)
        report("must have at most " + counted(*most, "property", "properties") + " (has " +
               std::to_string(size) + ")");

    const json* properties = memberOfKind(schema, "properties", json::value_t::object);
    const json* patterns = memberOfKind(schema, "patternProperties", json::value_t::object);
    const json* additional = member(schema, "additionalProperties");
    if (!properties && !patterns && !additional)
        return;
    for (auto it = value.begin(); it != value.end() && !done(); ++it) {
        const std::string& key = it.key();
        bool declared = false;
        if (properties) {
            if (const auto p = properties->find(key); p != properties->end()) {
                declared = true;
                applyAt(keySegment(key), *p, *it);
            }
        }
        if (patterns) {
            const QString qkey = QString::fromStdString(key);
            for (auto p = patterns->begin(); p != patterns->end() && !done(); ++p) {
                const QRegularExpression* re = regex(p.key());
                // A pattern that cannot be read might have matched; the key is not extra.
                if (!re) {
                    declared = true;
                } else if (spend() && re->match(qkey).hasMatch()) {
                    declared = true;
                    applyAt(keySegment(key), *p, *it);
                }
            }
        }
        if (declared || !additional)
            continue;
        if (additional->is_boolean() && !additional->get<bool>()) {
            std::string message = "not an allowed property";
            if (properties && !properties->empty()) {
                message += " (allowed: ";
                std::size_t listed = 0;
                for (auto p = properties->begin(); p != properties->end(); ++p, ++listed) {
                    if (listed == kListedNames) {
                        message += ", …";
                        break;
                    }
                    message += (listed ? ", " : "") + shorten(p.key(), kPreviewChars);
                }
                message += ')';
            }
            const PathStep step(m_path, keySegment(key));
            report(std::move(message));
        } else {
            applyAt(keySegment(key), *additional, *it);
        }
    }
}

void Checker::checkCombinations(const json& schema, const json& value) {
    if (const json* all = memberOfKind(schema, "allOf", json::value_t::array)) {
        for (std::size_t i = 0; i < all->size() && !done(); ++i)
            apply((*all)[i], value);
    }
    if (const json* any = memberOfKind(schema, "anyOf", json::value_t::array);
        any && !any->empty() && !done()) {
        const bool matched = std::any_of(any->begin(), any->end(),
                                         [&](const json& branch) { return fits(branch, value); });
        if (!matched)
            report(matchesNone(*any, value));
    }
    if (const json* one = memberOfKind(schema, "oneOf", json::value_t::array);
        one && !one->empty() && !done()) {
        std::vector<std::size_t> matched;
        for (std::size_t i = 0; i < one->size() && matched.size() < 2 && !m_stopped; ++i) {
            if (fits((*one)[i], value))
                matched.push_back(i);
        }
        if (matched.empty())
            report(matchesNone(*one, value));
        else if (matched.size() > 1)
            report("matches more than one of the " + std::to_string(one->size()) +
                   " allowed shapes (" + std::to_string(matched[0] + 1) + " and " +
                   std::to_string(matched[1] + 1) + "); exactly one must match");
    }
    if (const json* excluded = member(schema, "not"); excluded && !done()) {
        if (fits(*excluded, value))
            report("matches a shape that is not allowed here");
    }
    const json* condition = member(schema, "if");
    const json* then = member(schema, "then");
    const json* otherwise = member(schema, "else");
    if (condition && (then || otherwise) && !done()) {
        const json* branch = fits(*condition, value) ? then : otherwise;
        if (branch)
            apply(*branch, value);
    }
}

// A count alone says little; when no branch even admits the value's type, naming the types
// tells the person what to write instead.
std::string Checker::matchesNone(const json& branches, const json& value) const {
    std::string message =
        branches.size() == 1
            ? std::string("does not match the allowed shape")
            : "matches none of the " + std::to_string(branches.size()) + " allowed shapes";
    std::vector<Kind> kinds;
    for (const json& branch : branches) {
        const json* type = branch.is_object() ? member(branch, "type") : nullptr;
        const auto named = type ? kindsOf(*type) : std::nullopt;
        if (!named)
            return message;
        for (Kind kind : *named) {
            if (valueIs(value, kind))
                return message;
            if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
                kinds.push_back(kind);
        }
    }
    return message + ": expected " + phrases(kinds) + ", got " + phraseOf(value);
}

const QRegularExpression* Checker::regex(const std::string& pattern) {
    auto it = m_patterns.find(pattern);
    if (it == m_patterns.end()) {
        QRegularExpression re(QString::fromStdString(pattern));
        std::optional<QRegularExpression> usable;
        if (re.isValid())
            usable = std::move(re);
        it = m_patterns.emplace(pattern, std::move(usable)).first;
    }
    return it->second ? &*it->second : nullptr;
}

} // namespace

std::vector<SchemaProblem> checkArguments(const nlohmann::json& inputSchema,
                                          const nlohmann::json& arguments) {
    return Checker(inputSchema).run(arguments);
}

std::string describe(const std::vector<SchemaProblem>& problems) {
    std::string out;
    for (const SchemaProblem& problem : problems) {
        if (!out.empty())
            out += '\n';
        out += problem.path.empty() ? std::string("(arguments)") : problem.path;
        out += ": ";
        out += problem.message;
    }
    return out;
}

} // namespace portcullis
