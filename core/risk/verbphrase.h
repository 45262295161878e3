#pragma once

#include "risk/riskvocabulary.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

template <typename Range> bool oneOf(std::string_view word, const Range& set) {
    return std::find(set.begin(), set.end(), word) != set.end();
}

template <typename Range> bool anyOf(const std::vector<std::string>& words, const Range& set) {
    return std::any_of(words.begin(), words.end(),
                       [&](const std::string& w) { return oneOf(w, set); });
}

std::string inQuotes(std::string_view s);

// A verb found at words[index], with its sense refined by what follows it.
struct VerbHit {
    std::size_t index = 0;
    VerbSense sense;
};

// The verbs of a word list that decide what it does, from index `from` on: the first strong
// verb (or, with firstIsPrimary, the verb at `from`) plus any verb joined to another by "and" /
// "or" ("build_and_push", "Create or update"). Never empty if the list has a verb.
std::vector<VerbHit> actionVerbs(const std::vector<std::string>& words, VerbForms forms,
                                 std::size_t from, bool firstIsPrimary = false);

// Of several verbs the most severe wins (fail closed); on a tie the earlier one.
VerbHit mostSevere(const std::vector<VerbHit>& hits);

// The words other than the verb: what it acts on.
std::vector<std::string> without(std::vector<std::string> words, std::size_t index);

} // namespace portcullis
