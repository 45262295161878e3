#include "calls/auditverify.h"

#include <QCryptographicHash>
#include <QFile>

#include <nlohmann/json.hpp>

#include <memory>

namespace portcullis {

std::string auditLineHash(QByteArrayView line) {
    return QCryptographicHash::hash(line, QCryptographicHash::Sha256).toHex().toStdString();
}

namespace {

AuditVerifyResult fail(AuditVerifyResult result, std::uint64_t line, std::string message) {
    result.ok = false;
    result.firstBadLine = line;
    result.message = std::move(message);
    return result;
}

} // namespace

AuditVerifyResult verifyAuditLog(const QString& path) {
    AuditVerifyResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(result, 0, "cannot read: " + file.errorString().toStdString());

    // One buffer reused for every line keeps memory flat however large the file is; only the
    // pages a long line touches are ever committed. readLine() stores at most size - 1 bytes, so
    // a maximal line plus its '\n' fits and anything longer shows up as a line without '\n'.
    constexpr qint64 bufferSize = kAuditMaxLineBytes + 2;
    const auto buffer = std::make_unique_for_overwrite<char[]>(bufferSize);

    std::string expectedPrev(kAuditChainStart);
    std::uint64_t lastSeq = 0;
    std::uint64_t lineNo = 0;
    while (!file.atEnd()) {
        ++lineNo;
        const qint64 n = file.readLine(buffer.get(), bufferSize);
        if (n < 0)
            return fail(result, lineNo, "cannot read: " + file.errorString().toStdString());
        if (n == 0 || buffer[n - 1] != '\n') {
            if (n > kAuditMaxLineBytes)
                return fail(result, lineNo, "longer than 16 MiB (not written by the audit log)");
            return fail(result, lineNo, "no trailing newline (torn write)");
        }
        const std::string_view line(buffer.get(), static_cast<std::size_t>(n - 1));

        const nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
        if (record.is_discarded())
            return fail(result, lineNo, "not valid JSON");
        if (!record.is_object())
            return fail(result, lineNo, "not a JSON object");

        // seq before prev: a deleted line breaks both, and the seq gap says so more plainly.
        const auto seqIt = record.find("seq");
        if (seqIt == record.end() || !seqIt->is_number_unsigned())
            return fail(result, lineNo, "no \"seq\" number");
        const auto seq = seqIt->get<std::uint64_t>();
        if (lineNo == 1 && seq != 1)
            return fail(result, lineNo,
                        "seq " + std::to_string(seq) +
                            " at the start of the file, expected 1 (lines deleted from the start)");
        if (lineNo > 1 && seq != lastSeq + 1)
            return fail(result, lineNo,
                        "seq " + std::to_string(seq) + " follows " + std::to_string(lastSeq) +
                            (seq > lastSeq ? " (a line was deleted or moved)"
                                           : " (a line was repeated or moved)"));

        const auto prevIt = record.find("prev");
        if (prevIt == record.end() || !prevIt->is_string())
            return fail(result, lineNo, "no \"prev\" hash");
        if (prevIt->get_ref<const std::string&>() != expectedPrev) {
            if (lineNo == 1)
                return fail(result, lineNo, "prev of the first line is not 64 zeros (edited)");
            const std::string before = std::to_string(lineNo - 1);
            return fail(result, lineNo,
                        "prev does not match line " + before + " (line " + before +
                            " edited or a line deleted)");
        }

        expectedPrev =
            auditLineHash(QByteArrayView(line.data(), static_cast<qsizetype>(line.size())));
        lastSeq = seq;
        ++result.records;
    }
    result.ok = true;
    return result;
}

} // namespace portcullis
