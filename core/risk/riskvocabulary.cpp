#include "risk/riskvocabulary.h"

#include <algorithm>
#include <array>

namespace portcullis {

namespace {

using C = RiskCategory;
using S = VerbStrength;

constexpr std::string_view kReads = "only reads";
constexpr std::string_view kChecks = "only checks and reports";
constexpr std::string_view kWaits = "only waits and reads status";
constexpr std::string_view kAdvises = "only gives advice or documentation";
constexpr std::string_view kComputes = "only computes a result, changes nothing";
constexpr std::string_view kCreates = "creates or changes data, which can be undone";
constexpr std::string_view kReplaces = "creates or replaces data, which can be undone";
constexpr std::string_view kChanges = "changes existing data, which can be changed back";
constexpr std::string_view kSends = "sends something that others will see";
constexpr std::string_view kGrants = "changes who may do what";
constexpr std::string_view kRuns = "runs operations with side effects";
constexpr std::string_view kRunsCode = "runs code or commands";
constexpr std::string_view kDeploys = "changes what is running";
constexpr std::string_view kStarts = "starts or stops something that runs";
constexpr std::string_view kActs = "acts in a live session (clicks, typing)";
constexpr std::string_view kDeletes = "deletes data, no undo";
constexpr std::string_view kRevokes = "removes access immediately, no undo";
constexpr std::string_view kDestroys = "destroys it for good, no undo";
constexpr std::string_view kPays = "moves money";

constexpr auto kVerbs = std::to_array<VerbSense>({
    // Read
    {"get", C::Read, S::Strong, kReads},
    {"list", C::Read, S::Strong, kReads},
    {"describe", C::Read, S::Strong, kReads},
    {"read", C::Read, S::Strong, kReads},
    {"search", C::Read, S::Strong, kReads},
    {"fetch", C::Read, S::Strong, kReads},
    {"query", C::Read, S::Strong, kReads},
    {"view", C::Read, S::Strong, kReads},
    {"show", C::Read, S::Strong, kReads},
    {"find", C::Read, S::Strong, kReads},
    {"lookup", C::Read, S::Strong, kReads},
    {"look", C::Read, S::Strong, kReads},
    {"retrieve", C::Read, S::Strong, kReads},
    {"browse", C::Read, S::Strong, kReads},
    {"count", C::Read, S::Strong, kReads},
    {"download", C::Read, S::Strong, kReads},
    {"export", C::Read, S::Strong, kReads},
    {"inspect", C::Read, S::Strong, kReads},
    {"scan", C::Read, S::Strong, kReads},
    {"navigate", C::Read, S::Weak, kReads},
    {"open", C::Read, S::Weak, kReads},
    {"select", C::Read, S::Weak, kReads},
    {"hover", C::Read, S::Weak, kReads},
    {"scroll", C::Read, S::Weak, kReads},
    {"screenshot", C::Read, S::Strong, kReads},
    {"snapshot", C::Read, S::Weak, kReads},
    {"load", C::Read, S::Weak, kReads},
    {"check", C::Read, S::Strong, kChecks},
    {"validate", C::Read, S::Strong, kChecks},
    {"verify", C::Read, S::Strong, kChecks},
    {"test", C::Read, S::Weak, kChecks},
    {"lint", C::Read, S::Strong, kChecks},
    {"audit", C::Read, S::Strong, kChecks},
    {"diagnose", C::Read, S::Strong, kChecks},
    {"troubleshoot", C::Read, S::Strong, kChecks},
    {"detect", C::Read, S::Strong, kChecks},
    {"analyze", C::Read, S::Strong, kChecks},
    {"analyse", C::Read, S::Strong, kChecks},
    {"ping", C::Read, S::Strong, kChecks},
    {"wait", C::Read, S::Strong, kWaits},
    {"poll", C::Read, S::Strong, kWaits},
    {"watch", C::Read, S::Strong, kWaits},
    {"monitor", C::Read, S::Strong, kWaits},
    {"recommend", C::Read, S::Strong, kAdvises},
    {"suggest", C::Read, S::Strong, kAdvises},
    {"explain", C::Read, S::Strong, kAdvises},
    {"summarize", C::Read, S::Strong, kAdvises},
    {"summarise", C::Read, S::Strong, kAdvises},
    {"preview", C::Read, S::Strong, kComputes},
    {"compare", C::Read, S::Strong, kComputes},
    {"diff", C::Read, S::Strong, kComputes},
    {"calculate", C::Read, S::Strong, kComputes},
    {"compute", C::Read, S::Weak, kComputes},
    {"estimate", C::Read, S::Strong, kComputes},
    {"convert", C::Read, S::Weak, kComputes},
    {"translate", C::Read, S::Weak, kComputes},
    {"parse", C::Read, S::Strong, kComputes},
    {"extract", C::Read, S::Weak, kComputes},
    {"simulate", C::Read, S::Weak, kComputes},
    {"plan", C::Read, S::Weak, kComputes},
    {"render", C::Read, S::Weak, kComputes},
    {"format", C::Read, S::Weak, kComputes},
    {"generate", C::Read, S::Weak, kComputes},
    {"think", C::Read, S::Weak, kComputes},
    {"discover", C::Read, S::Strong, kReads},
    {"geocode", C::Read, S::Strong, kComputes},
    {"access", C::Read, S::Weak, kReads},
    {"review", C::Read, S::Weak, kChecks},
    {"return", C::Read, S::Weak, kReads},
    {"provide", C::Read, S::Weak, kReads},
    {"display", C::Read, S::Strong, kReads},
    {"print", C::Read, S::Weak, kReads},
    {"echo", C::Read, S::Weak, kComputes},
    {"resolve", C::Write, S::Weak, kChanges}, // a lookup before an identifier, see nameevidence
    // Write
    {"create", C::Write, S::Strong, kCreates},
    {"add", C::Write, S::Strong, kCreates},
    {"insert", C::Write, S::Strong, kCreates},
    {"register", C::Write, S::Strong, kCreates},
    {"upload", C::Write, S::Strong, kCreates},
    {"write", C::Write, S::Strong, kReplaces},
    {"put", C::Write, S::Strong, kReplaces},
    {"save", C::Write, S::Strong, kReplaces},
    {"store", C::Write, S::Strong, kReplaces},
    {"upsert", C::Write, S::Strong, kReplaces},
    {"replace", C::Write, S::Strong, kReplaces},
    {"import", C::Write, S::Strong, kCreates},
    {"append", C::Write, S::Strong, kCreates},
    {"prepend", C::Write, S::Strong, kCreates},
    {"pop", C::Write, S::Strong, kChanges},
    {"setup", C::Write, S::Weak, kCreates},
    {"copy", C::Write, S::Strong, kCreates},
    {"clone", C::Write, S::Strong, kCreates},
    {"duplicate", C::Write, S::Strong, kCreates},
    {"fork", C::Write, S::Strong, kCreates},
    {"init", C::Write, S::Strong, kCreates},
    {"initialize", C::Write, S::Strong, kCreates},
    {"make", C::Write, S::Weak, kCreates},
    {"mkdir", C::Write, S::Strong, kCreates},
    {"new", C::Write, S::Weak, kCreates},
    {"place", C::Write, S::Weak, kCreates},
    {"book", C::Write, S::Strong, kCreates},
    {"reserve", C::Write, S::Strong, kCreates},
    {"schedule", C::Write, S::Strong, kCreates},
    {"record", C::Write, S::Weak, kCreates},
    {"draft", C::Write, S::Strong, kCreates},
    {"compose", C::Write, S::Strong, kCreates},
    {"update", C::Write, S::Strong, kChanges},
    {"set", C::Write, S::Strong, kChanges},
    {"edit", C::Write, S::Strong, kChanges},
    {"modify", C::Write, S::Strong, kChanges},
    {"change", C::Write, S::Strong, kChanges},
    {"patch", C::Write, S::Strong, kChanges},
    {"rename", C::Write, S::Strong, kChanges},
    {"move", C::Write, S::Strong, kChanges},
    {"merge", C::Write, S::Strong, kChanges},
    {"commit", C::Write, S::Strong, kChanges},
    {"push", C::Write, S::Strong, kChanges},
    {"pull", C::Write, S::Weak, kChanges},
    {"checkout", C::Write, S::Weak, kChanges},
    {"reset", C::Write, S::Strong, kChanges},
    {"restore", C::Write, S::Strong, kChanges},
    {"revert", C::Write, S::Strong, kChanges},
    {"rollback", C::Write, S::Strong, kChanges},
    {"undo", C::Write, S::Strong, kChanges},
    {"sync", C::Write, S::Strong, kChanges},
    {"synchronize", C::Write, S::Strong, kChanges},
    {"configure", C::Write, S::Strong, kChanges},
    {"enable", C::Write, S::Strong, kChanges},
    {"disable", C::Write, S::Strong, kChanges},
    {"toggle", C::Write, S::Strong, kChanges},
    {"tag", C::Write, S::Strong, kChanges},
    {"untag", C::Write, S::Strong, kChanges},
    {"label", C::Write, S::Strong, kChanges},
    {"mark", C::Write, S::Strong, kChanges},
    {"star", C::Write, S::Strong, kChanges},
    {"unstar", C::Write, S::Strong, kChanges},
    {"pin", C::Write, S::Strong, kChanges},
    {"unpin", C::Write, S::Strong, kChanges},
    {"archive", C::Write, S::Strong, kChanges},
    {"unarchive", C::Write, S::Strong, kChanges},
    {"lock", C::Write, S::Strong, kChanges},
    {"unlock", C::Write, S::Strong, kChanges},
    {"link", C::Write, S::Strong, kChanges},
    {"attach", C::Write, S::Strong, kChanges},
    {"associate", C::Write, S::Strong, kChanges},
    {"assign", C::Write, S::Strong, kChanges},
    {"unassign", C::Write, S::Strong, kChanges},
    {"transition", C::Write, S::Strong, kChanges},
    {"close", C::Write, S::Strong, kChanges},
    {"reopen", C::Write, S::Strong, kChanges},
    {"cancel", C::Write, S::Strong, kChanges},
    {"complete", C::Write, S::Weak, kChanges},
    {"finalize", C::Write, S::Strong, kChanges},
    {"accept", C::Write, S::Strong, kChanges},
    {"approve", C::Write, S::Strong, kChanges},
    {"reject", C::Write, S::Strong, kChanges},
    {"decline", C::Write, S::Strong, kChanges},
    {"release", C::Write, S::Weak, kChanges},
    {"promote", C::Write, S::Strong, kChanges},
    {"provision", C::Write, S::Strong, kCreates},
    {"rotate", C::Write, S::Strong, kChanges},
    {"refresh", C::Write, S::Weak, kChanges},
    {"renew", C::Write, S::Strong, kChanges},
    {"increment", C::Write, S::Strong, kChanges},
    {"decrement", C::Write, S::Strong, kChanges},
    {"resize", C::Write, S::Strong, kChanges},
    {"upgrade", C::Write, S::Strong, kChanges},
    {"downgrade", C::Write, S::Strong, kChanges},
    {"subscribe", C::Write, S::Strong, kChanges},
    {"unsubscribe", C::Write, S::Strong, kChanges},
    {"follow", C::Write, S::Strong, kChanges},
    {"unfollow", C::Write, S::Strong, kChanges},
    {"join", C::Write, S::Strong, kChanges},
    {"leave", C::Write, S::Strong, kChanges},
    {"block", C::Write, S::Strong, kChanges},
    {"unblock", C::Write, S::Strong, kChanges},
    {"ban", C::Write, S::Strong, kChanges},
    {"unban", C::Write, S::Strong, kChanges},
    {"kick", C::Write, S::Strong, kChanges},
    {"mute", C::Write, S::Strong, kChanges},
    {"unmute", C::Write, S::Strong, kChanges},
    {"connect", C::Write, S::Weak, kChanges},
    {"disconnect", C::Write, S::Weak, kChanges},
    {"manage", C::Write, S::Weak, kChanges},
    {"handle", C::Write, S::Weak, kChanges},
    {"submit", C::Write, S::Strong, kSends},
    {"send", C::Write, S::Strong, kSends},
    {"post", C::Write, S::Strong, kSends},
    {"publish", C::Write, S::Strong, kSends},
    {"unpublish", C::Write, S::Strong, kChanges},
    {"reply", C::Write, S::Strong, kSends},
    {"respond", C::Write, S::Strong, kSends},
    {"comment", C::Write, S::Strong, kSends},
    {"react", C::Write, S::Strong, kSends},
    {"like", C::Write, S::Weak, kSends},
    {"forward", C::Write, S::Strong, kSends},
    {"notify", C::Write, S::Strong, kSends},
    {"email", C::Write, S::Strong, kSends},
    {"message", C::Write, S::Weak, kSends},
    {"invite", C::Write, S::Strong, kSends},
    {"share", C::Write, S::Strong, kSends},
    {"unshare", C::Write, S::Strong, kChanges},
    {"mention", C::Write, S::Strong, kSends},
    {"grant", C::Write, S::Strong, kGrants},
    {"authorize", C::Write, S::Strong, kGrants},
    // Execute
    {"run", C::Execute, S::Strong, kRuns},
    {"execute", C::Execute, S::Strong, kRunsCode},
    {"exec", C::Execute, S::Strong, kRunsCode},
    {"invoke", C::Execute, S::Strong, kRuns},
    {"call", C::Execute, S::Weak, kRuns},
    {"eval", C::Execute, S::Strong, kRunsCode},
    {"evaluate", C::Execute, S::Weak, kRunsCode},
    {"shell", C::Execute, S::Strong, kRunsCode},
    {"ssh", C::Execute, S::Strong, kRunsCode},
    {"trigger", C::Execute, S::Strong, kRuns},
    {"dispatch", C::Execute, S::Strong, kRuns},
    {"spawn", C::Execute, S::Strong, kRuns},
    {"process", C::Execute, S::Weak, kRuns},
    {"rerun", C::Execute, S::Strong, kRuns},
    {"retry", C::Execute, S::Strong, kRuns},
    {"build", C::Execute, S::Strong, kRuns},
    {"compile", C::Execute, S::Strong, kRuns},
    {"install", C::Execute, S::Strong, kRunsCode},
    {"migrate", C::Execute, S::Strong, kRuns},
    {"automate", C::Execute, S::Strong, kRuns},
    {"orchestrate", C::Execute, S::Strong, kRuns},
    {"deploy", C::Execute, S::Strong, kDeploys},
    {"apply", C::Execute, S::Strong, kDeploys},
    {"rollout", C::Execute, S::Strong, kDeploys},
    {"scale", C::Execute, S::Strong, kDeploys},
    {"start", C::Execute, S::Strong, kStarts},
    {"stop", C::Execute, S::Strong, kStarts},
    {"restart", C::Execute, S::Strong, kStarts},
    {"reboot", C::Execute, S::Strong, kStarts},
    {"launch", C::Execute, S::Strong, kStarts},
    {"shutdown", C::Execute, S::Strong, kStarts},
    {"suspend", C::Execute, S::Strong, kStarts},
    {"resume", C::Execute, S::Strong, kStarts},
    {"pause", C::Execute, S::Strong, kStarts},
    {"unpause", C::Execute, S::Strong, kStarts},
    {"click", C::Execute, S::Strong, kActs},
    {"press", C::Execute, S::Strong, kActs},
    {"type", C::Execute, S::Weak, kActs},
    {"fill", C::Execute, S::Strong, kActs},
    {"tap", C::Execute, S::Strong, kActs},
    {"drag", C::Execute, S::Strong, kActs},
    // Destructive
    {"delete", C::Destructive, S::Strong, kDeletes},
    {"del", C::Destructive, S::Strong, kDeletes},
    {"remove", C::Destructive, S::Strong, kDeletes},
    {"rm", C::Destructive, S::Strong, kDeletes},
    {"rmdir", C::Destructive, S::Strong, kDeletes},
    {"unlink", C::Destructive, S::Strong, kDeletes},
    {"drop", C::Destructive, S::Strong, kDeletes},
    {"truncate", C::Destructive, S::Strong, kDeletes},
    {"trim", C::Destructive, S::Strong, kDeletes},
    {"purge", C::Destructive, S::Strong, kDeletes},
    {"wipe", C::Destructive, S::Strong, kDeletes},
    {"erase", C::Destructive, S::Strong, kDeletes},
    {"clear", C::Destructive, S::Strong, kDeletes},
    {"discard", C::Destructive, S::Strong, kDeletes},
    {"expunge", C::Destructive, S::Strong, kDeletes},
    {"flush", C::Destructive, S::Strong, kDeletes},
    {"prune", C::Destructive, S::Strong, kDeletes},
    {"cleanup", C::Destructive, S::Strong, kDeletes},
    {"overwrite", C::Destructive, S::Strong, kDeletes},
    {"shred", C::Destructive, S::Strong, kDeletes},
    {"nuke", C::Destructive, S::Strong, kDeletes},
    {"detach", C::Destructive, S::Strong, kRevokes},
    {"disassociate", C::Destructive, S::Strong, kRevokes},
    {"revoke", C::Destructive, S::Strong, kRevokes},
    {"deregister", C::Destructive, S::Strong, kRevokes},
    {"unregister", C::Destructive, S::Strong, kRevokes},
    {"destroy", C::Destructive, S::Strong, kDestroys},
    {"terminate", C::Destructive, S::Strong, kDestroys},
    {"kill", C::Destructive, S::Strong, kDestroys},
    {"decommission", C::Destructive, S::Strong, kDestroys},
    {"uninstall", C::Destructive, S::Strong, kDestroys},
    // Financial
    {"charge", C::Financial, S::Strong, kPays},
    {"pay", C::Financial, S::Strong, kPays},
    {"refund", C::Financial, S::Strong, kPays},
    {"transfer", C::Financial, S::Weak, kPays}, // files and domains are transferred too
    {"payout", C::Financial, S::Strong, kPays},
    {"purchase", C::Financial, S::Strong, kPays},
    {"buy", C::Financial, S::Strong, kPays},
    {"sell", C::Financial, S::Strong, kPays},
    {"withdraw", C::Financial, S::Strong, kPays},
    {"deposit", C::Financial, S::Strong, kPays},
    {"donate", C::Financial, S::Strong, kPays},
    {"tip", C::Financial, S::Weak, kPays},
    {"trade", C::Financial, S::Strong, kPays},
});

// Nouns that end in "ing" but name a thing, not an action.
constexpr auto kIngNouns = std::to_array<std::string_view>({
    "setting", "building",  "listing", "billing", "booking",   "posting", "recording",
    "mapping", "string",    "thing",   "ring",    "spring",    "pricing", "staging",
    "logging", "messaging", "ping",    "timing",  "warning",   "morning", "evening",
    "during",  "padding",   "routing", "tracing", "invoicing",
});

constexpr auto kMoneyNouns = std::to_array<std::string_view>({
    "payment", "payments", "invoice", "invoices", "subscription", "subscriptions", "charge",
    "charges", "refund",   "refunds", "payout",   "payouts",      "transfer",      "transfers",
    "money",   "funds",    "fund",    "wire",     "checkout",     "balance",       "paymentintent",
});

constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kSecurityNouns{{
    {"iam", "IAM"},
    {"policy", "policies"},
    {"policies", "policies"},
    {"permission", "permissions"},
    {"permissions", "permissions"},
    {"role", "roles"},
    {"roles", "roles"},
    {"acl", "access lists"},
    {"acls", "access lists"},
    {"credential", "credentials"},
    {"credentials", "credentials"},
    {"secret", "secrets"},
    {"secrets", "secrets"},
    {"password", "passwords"},
    {"passwords", "passwords"},
    {"passwd", "passwords"},
    {"token", "tokens"},
    {"tokens", "tokens"},
    {"apikey", "API keys"},
    {"apikeys", "API keys"},
    {"privilege", "privileges"},
    {"privileges", "privileges"},
}};

constexpr auto kCredentialQualifiers = std::to_array<std::string_view>({
    "api",
    "access",
    "private",
    "secret",
    "ssh",
    "signing",
    "encryption",
    "gpg",
    "pgp",
    "kms",
    "license",
    "auth",
});

constexpr auto kReadNouns = std::to_array<std::string_view>({
    "status", "info", "information",   "details",  "detail",     "history", "log",    "logs",
    "tree",   "docs", "documentation", "stats",    "statistics", "metrics", "health", "version",
    "whoami", "help", "usage",         "overview", "summary",    "report",  "schema",
});

constexpr auto kExecNouns = std::to_array<std::string_view>({
    "bash",
    "shell",
    "terminal",
    "repl",
    "python",
    "javascript",
    "powershell",
    "cmd",
    "sql",
    "script",
    "command",
    "exec",
});

// "is_database_connected", "has_access": a question, answered by looking.
constexpr auto kPredicates = std::to_array<std::string_view>({"is", "has", "can", "does"});

// "purchase_analyzer", "schema_validator": tools named for what they do to their object.
constexpr auto kReadAgents = std::to_array<std::string_view>({
    "analyzer",  "analyser", "calculator", "estimator",  "advisor",    "recommender", "checker",
    "validator", "viewer",   "explorer",   "finder",     "reader",     "inspector",   "planner",
    "simulator", "scanner",  "linter",     "summarizer", "visualizer", "reporter",    "auditor",
});

// "token" alone is as often a pagination, CAS or LLM token as a credential.
constexpr auto kTokenQualifiers = std::to_array<std::string_view>({
    "access",
    "auth",
    "api",
    "bearer",
    "refresh",
    "session",
    "oauth",
    "personal",
    "security",
    "jwt",
    "id",
    "sts",
    "github",
    "bot",
});

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view word) {
    return std::find(set.begin(), set.end(), word) != set.end();
}

std::optional<VerbSense> exact(std::string_view word) {
    for (const VerbSense& v : kVerbs) {
        if (v.base == word)
            return v;
    }
    return std::nullopt;
}

bool endsWith(std::string_view s, std::string_view tail) {
    return s.size() > tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::optional<VerbSense> fromGerund(std::string_view word) {
    if (!endsWith(word, "ing") || contains(kIngNouns, word))
        return std::nullopt;
    const std::string stem(word.substr(0, word.size() - 3));
    if (auto v = exact(stem))
        return v; // listing, fetching
    if (auto v = exact(stem + 'e'))
        return v; // creating, validating
    if (stem.size() > 2 && stem.back() == stem[stem.size() - 2])
        return exact(std::string_view(stem).substr(0, stem.size() - 1)); // running, stopping
    return std::nullopt;
}

std::optional<VerbSense> fromThirdPerson(std::string_view word) {
    if (endsWith(word, "ies"))
        return exact(std::string(word.substr(0, word.size() - 3)) + 'y'); // applies, queries
    if (endsWith(word, "es")) {
        if (auto v = exact(word.substr(0, word.size() - 2)))
            return v; // pushes, fetches
    }
    if (endsWith(word, "s") && !endsWith(word, "ss"))
        return exact(word.substr(0, word.size() - 1)); // creates, deletes
    return std::nullopt;
}

} // namespace

std::optional<VerbSense> lookupVerb(std::string_view lowerWord, VerbForms forms) {
    if (auto v = exact(lowerWord))
        return v;
    if (forms == VerbForms::Name && contains(kPredicates, lowerWord))
        return VerbSense{"is", RiskCategory::Read, VerbStrength::Strong, kChecks};
    if (auto v = fromGerund(lowerWord))
        return v;
    if (forms == VerbForms::Prose)
        return fromThirdPerson(lowerWord);
    return std::nullopt;
}

int severity(RiskCategory c) {
    switch (c) {
    case RiskCategory::Other:
        return 0;
    case RiskCategory::Read:
        return 1;
    case RiskCategory::Write:
        return 2;
    case RiskCategory::Execute:
        return 3;
    case RiskCategory::Financial:
        return 4;
    case RiskCategory::Destructive:
        return 5; // hiding beats asking, so it wins a tie with Financial
    }
    return 0;
}

bool isMoneyNoun(std::string_view lowerWord) {
    return contains(kMoneyNouns, lowerWord);
}

std::optional<std::string_view> securityTopic(std::string_view lowerWord) {
    for (const auto& [noun, topic] : kSecurityNouns) {
        if (noun == lowerWord)
            return topic;
    }
    return std::nullopt;
}

bool mentionsCredential(const std::vector<std::string>& lowerWords) {
    constexpr auto credentialTopics =
        std::to_array<std::string_view>({"credentials", "secrets", "passwords", "API keys"});
    for (std::size_t i = 0; i < lowerWords.size(); ++i) {
        const std::string& w = lowerWords[i];
        if (auto topic = securityTopic(w); topic && contains(credentialTopics, *topic))
            return true;
        const std::string_view before = i > 0 ? std::string_view(lowerWords[i - 1]) : "";
        if ((w == "key" || w == "keys") && contains(kCredentialQualifiers, before))
            return true;
        if ((w == "token" || w == "tokens") && contains(kTokenQualifiers, before))
            return true;
    }
    return false;
}

bool isReadAgent(std::string_view lowerWord) {
    return contains(kReadAgents, lowerWord);
}

bool isReadNoun(std::string_view lowerWord) {
    return contains(kReadNouns, lowerWord);
}

bool isExecNoun(std::string_view lowerWord) {
    return contains(kExecNouns, lowerWord);
}

} // namespace portcullis
