#pragma once

#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <string>
#include <string_view>

namespace portcullis {

// Longest audit line either side accepts. AuditLog never writes a longer one (it falls back to
// hashing the arguments), so a longer line means the file was not written by us, and verify can
// stream a huge file with one bounded buffer.
constexpr qint64 kAuditMaxLineBytes = 16 * 1024 * 1024;

// Lowercase hex SHA-256 of one line's exact bytes (without its '\n'): the next line's "prev".
std::string auditLineHash(QByteArrayView line);

// The "prev" of the first line of a chain.
inline constexpr std::string_view kAuditChainStart =
    "0000000000000000000000000000000000000000000000000000000000000000";
static_assert(kAuditChainStart.size() == 64);

struct AuditVerifyResult {
    bool ok = false;
    std::uint64_t records = 0;      // lines that checked out before the first problem
    std::uint64_t firstBadLine = 0; // 1-based line where the problem shows; 0 when none or no line
    // What is wrong, without the "line N: " prefix (firstBadLine carries that), e.g.
    // "prev does not match line 6 (line 6 edited or a line deleted)".
    std::string message;
};

// Streams audit.jsonl line by line: every line must be a JSON object ending in '\n', "seq" must
// start at 1 and grow by exactly 1, and "prev" must be the SHA-256 of the previous line's bytes
// (64 zeros on the first line). The first problem wins. An edit shows on the line after the
// edited one; an edit or removal of the very last line cannot be seen from the file alone.
AuditVerifyResult verifyAuditLog(const QString& path);

} // namespace portcullis
