#pragma once

#include <nlohmann/json.hpp>

// nlohmann's == calls 5u and 5 equal; a document built another way must also keep which of
// them it is. True when both have the same kind of value everywhere (and the same keys).
inline bool sameJsonTypes(const nlohmann::json& a, const nlohmann::json& b) {
    if (a.type() != b.type() || a.size() != b.size())
        return false;
    if (a.is_object()) {
        for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
            if (ia.key() != ib.key() || !sameJsonTypes(*ia, *ib))
                return false;
        }
    } else if (a.is_array()) {
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!sameJsonTypes(a[i], b[i]))
                return false;
        }
    }
    return true;
}
