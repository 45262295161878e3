#include "calls/auditlog.h"

#include "calls/auditverify.h"
#include "util/log.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>

#include <algorithm>
#include <utility>

namespace portcullis {

namespace {

using nlohmann::ordered_json;

std::string dumpLine(const ordered_json& line) {
    // A name or reason with invalid UTF-8 must not cost the call its audit line.
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string argumentsHash(const nlohmann::json& arguments) {
    // nlohmann's object type is a std::map, so dump() writes sorted keys and no whitespace: the
    // same arguments always give the same hash, whatever order the agent sent them in.
    const std::string canonical =
        arguments.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return "sha256:" +
           QCryptographicHash::hash(
               QByteArrayView(canonical.data(), static_cast<qsizetype>(canonical.size())),
               QCryptographicHash::Sha256)
               .toHex()
               .toStdString();
}

std::optional<std::uint64_t> seqOf(const QByteArray& line) {
    const auto record = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
    if (!record.is_object())
        return std::nullopt;
    const auto seq = record.find("seq");
    if (seq == record.end() || !seq->is_number_unsigned())
        return std::nullopt;
    return seq->get<std::uint64_t>();
}

// Where the chain of an existing file left off.
struct Tail {
    std::uint64_t nextSeq = 1;
    std::string prevHash{kAuditChainStart};
    bool torn = false;        // the file does not end in '\n'
    bool lastIsNoise = false; // the last line is not an audit record
};

// The offset just after the last '\n' before `end`, found by reading backwards in chunks so that
// opening a log of any size costs at most one line's worth of reading.
bool findLineStart(QFile& file, qint64 end, qint64& start, QString& problem) {
    constexpr qint64 chunk = 64 * 1024;
    start = 0;
    for (qint64 pos = end; pos > 0;) {
        if (end - pos > kAuditMaxLineBytes)
            break;
        const qint64 from = std::max<qint64>(0, pos - chunk);
        if (!file.seek(from)) {
            problem = file.errorString();
            return false;
        }
        const QByteArray bytes = file.read(pos - from);
        if (bytes.size() != pos - from) {
            problem = file.errorString();
            return false;
        }
        const qsizetype newline = bytes.lastIndexOf('\n');
        if (newline >= 0) {
            start = from + newline + 1;
            break;
        }
        pos = from;
    }
    if (end - start > kAuditMaxLineBytes) {
        problem = QStringLiteral("its last line is longer than 16 MiB");
        return false;
    }
    return true;
}

bool readLine(QFile& file, qint64 start, qint64 end, QByteArray& line, QString& problem) {
    if (!file.seek(start)) {
        problem = file.errorString();
        return false;
    }
    line = file.read(end - start);
    if (line.size() != end - start) {
        problem = file.errorString();
        return false;
    }
    return true;
}

bool readTail(const QString& path, Tail& tail, QString& problem) {
    QFile file(path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        problem = file.errorString();
        return false;
    }
    const qint64 size = file.size();
    if (size == 0)
        return true;

    char last = 0;
    if (!file.seek(size - 1) || !file.getChar(&last)) {
        problem = file.errorString();
        return false;
    }
    tail.torn = last != '\n';
    const qint64 lastEnd = tail.torn ? size : size - 1;
    qint64 lastStart = 0;
    QByteArray lastLine;
    if (!findLineStart(file, lastEnd, lastStart, problem) ||
        !readLine(file, lastStart, lastEnd, lastLine, problem))
        return false;

    // The chain links physical lines, so the next "prev" is the hash of whatever the last line
    // is, even a torn or foreign one; verify then points at that line and nothing else.
    tail.prevHash = auditLineHash(lastLine);
    if (const auto seq = seqOf(lastLine)) {
        tail.nextSeq = *seq + 1;
        return true;
    }
    // A line that is not a record (typically the half-written last record of a crash) still
    // takes its seq, counted on from the line before it.
    tail.lastIsNoise = true;
    if (lastStart == 0) {
        tail.nextSeq = 2;
        return true;
    }
    qint64 beforeStart = 0;
    QByteArray before;
    if (!findLineStart(file, lastStart - 1, beforeStart, problem) ||
        !readLine(file, beforeStart, lastStart - 1, before, problem))
        return false;
    if (const auto seq = seqOf(before)) {
        tail.nextSeq = *seq + 2;
        return true;
    }
    // Two broken lines are not a crash; guessing a seq would hide whatever happened to the file.
    problem = QStringLiteral("its last two lines are not audit records (check it with "
                             "`portcullis-gateway audit verify`, then move it aside)");
    return false;
}

} // namespace

const char* AuditLog::toString(ArgumentsMode mode) {
    switch (mode) {
    case ArgumentsMode::Hash:
        return "hash";
    case ArgumentsMode::Full:
        return "full";
    case ArgumentsMode::None:
        return "none";
    }
    return "hash";
}

std::optional<AuditLog::ArgumentsMode> AuditLog::argumentsModeFromString(std::string_view s) {
    for (const ArgumentsMode mode : {ArgumentsMode::Hash, ArgumentsMode::Full, ArgumentsMode::None})
        if (s == toString(mode))
            return mode;
    return std::nullopt;
}

std::unique_ptr<AuditLog> AuditLog::open(const QString& path, ArgumentsMode mode, QString* error) {
    const auto failed = [&](const QString& message) {
        if (error)
            *error = message;
        return std::unique_ptr<AuditLog>();
    };

    Tail tail;
    QString problem;
    if (!readTail(path, tail, problem))
        return failed(QStringLiteral("cannot continue audit log %1: %2").arg(path, problem));

    auto file = std::make_unique<QFile>(path);
    // Unbuffered: write() then reports exactly how many bytes reached the file, so after a failed
    // or partial write exactly the unwritten rest is retried, and nothing is written twice.
    if (!file->open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered,
                    QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return failed(QStringLiteral("cannot open audit log %1 for appending: %2")
                          .arg(path, file->errorString()));

    if (tail.torn) {
        // Appending to the torn line would fuse a good record onto it and lose both.
        if (file->write("\n", 1) != 1)
            return failed(QStringLiteral("cannot end the torn last line of audit log %1: %2")
                              .arg(path, file->errorString()));
        log::logger()->warn("audit log {}: the last line has no trailing newline (torn write, e.g. "
                            "a crash); continuing on a new line{}",
                            path.toStdString(),
                            tail.lastIsNoise ? "; `audit verify` will report the torn line" : "");
    } else if (tail.lastIsNoise) {
        log::logger()->warn("audit log {}: the last line is not an audit record; continuing the "
                            "chain after it (`audit verify` will report it)",
                            path.toStdString());
    }
    return std::unique_ptr<AuditLog>(
        new AuditLog(std::move(file), mode, tail.nextSeq, std::move(tail.prevHash)));
}

AuditLog::AuditLog(std::unique_ptr<QFile> file, ArgumentsMode mode, std::uint64_t nextSeq,
                   std::string prevHash)
    : m_file(std::move(file))
    , m_path(m_file->fileName())
    , m_mode(mode)
    , m_nextSeq(nextSeq)
    , m_prevHash(std::move(prevHash))
    , m_flushTimer(this) {
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &AuditLog::flush);
}

AuditLog::~AuditLog() {
    flush();
    if (!m_recordSizes.empty() || m_droppedUnrecorded > 0)
        log::logger()->error("audit log {}: closing with {} records unwritten and {} dropped",
                             m_path.toStdString(), m_recordSizes.size(), m_droppedUnrecorded);
}

ordered_json AuditLog::startLine() const {
    ordered_json line;
    line["seq"] = m_nextSeq;
    line["time"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
    return line;
}

std::string AuditLog::render(const CallEvent& event, ArgumentsMode mode) const {
    ordered_json line = startLine();
    ordered_json fields = toJson(event); // named: items() of a temporary would dangle
    for (auto& [key, value] : fields.items()) {
        if (key == "arguments") {
            if (mode == ArgumentsMode::None)
                continue;
            if (mode == ArgumentsMode::Hash) {
                line[key] = argumentsHash(event.arguments);
                continue;
            }
        }
        line[key] = std::move(value);
    }
    line["prev"] = m_prevHash;
    return dumpLine(line);
}

void AuditLog::commit(std::string text) {
    m_prevHash = auditLineHash(QByteArrayView(text.data(), static_cast<qsizetype>(text.size())));
    ++m_nextSeq;
    text += '\n';
    m_pending.append(text.data(), static_cast<qsizetype>(text.size()));
    m_recordSizes.push_back(static_cast<qsizetype>(text.size()));
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

bool AuditLog::drop(const char* why) {
    if (m_droppedUnrecorded == 0)
        log::logger()->error("audit log {}: dropping records ({}); the gap will be recorded",
                             m_path.toStdString(), why);
    ++m_dropped;
    ++m_droppedUnrecorded;
    return false;
}

bool AuditLog::append(const CallEvent& event) {
    if (m_recordSizes.size() >= m_maxBufferedRecords || m_pending.size() >= kMaxBufferedBytes)
        return drop("the buffer is full: is the disk failing?");

    if (m_droppedUnrecorded > 0) {
        // A reader of the file alone must see that records are missing, not just a shorter log.
        ordered_json gap = startLine();
        gap["dropped"] = m_droppedUnrecorded;
        gap["prev"] = m_prevHash;
        commit(dumpLine(gap));
        m_droppedUnrecorded = 0;
    }

    std::string text;
    try {
        text = render(event, m_mode);
        // verify reads lines of bounded length; a huge argument is kept as its hash instead.
        if (static_cast<qint64>(text.size()) > kAuditMaxLineBytes && m_mode == ArgumentsMode::Full)
            text = render(event, ArgumentsMode::Hash);
    } catch (const nlohmann::json::exception& e) {
        log::logger()->error("audit log {}: cannot encode call {}: {}", m_path.toStdString(),
                             event.id, e.what());
        return drop("a call could not be encoded");
    }
    if (static_cast<qint64>(text.size()) > kAuditMaxLineBytes)
        return drop("a record is longer than 16 MiB");
    commit(std::move(text));
    return true;
}

void AuditLog::consume(qint64 bytes) {
    if (bytes == m_pending.size())
        m_pending.clear(); // releases a large backlog's memory
    else
        m_pending.remove(0, static_cast<qsizetype>(bytes));
    m_frontWritten += static_cast<qsizetype>(bytes);
    while (!m_recordSizes.empty() && m_frontWritten >= m_recordSizes.front()) {
        m_frontWritten -= m_recordSizes.front();
        m_recordSizes.pop_front();
        ++m_written;
    }
}

bool AuditLog::flush() {
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return true;
    const qint64 total = m_pending.size();
    const qint64 written = m_file->write(m_pending);
    if (written > 0)
        consume(written);
    if (written == total && m_file->flush()) {
        if (m_failing)
            log::logger()->info("audit log {}: writing again", m_path.toStdString());
        m_failing = false;
        return true;
    }
    // Keep everything and retry on the timer: a full disk often recovers, and a lost audit line
    // would go unnoticed, unlike one that arrives late.
    if (!m_failing)
        log::logger()->error("audit log {}: cannot write: {}; keeping {} records in memory and "
                             "retrying every second",
                             m_path.toStdString(), m_file->errorString().toStdString(),
                             m_recordSizes.size());
    m_failing = true;
    m_file->unsetError();
    m_flushTimer.start();
    return false;
}

} // namespace portcullis
