#pragma once

#include "calls/callevent.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTimer>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

class QFile;

namespace portcullis {

// The append-only audit.jsonl: one line per finished call, hash-chained so that verifyAuditLog()
// can tell when a line was edited or deleted. A line is
//   {"seq":N,"time":"...Z",<the CallEvent fields of toJson()>,"prev":"<sha256 of line N-1>"}
// with "arguments" stored according to ArgumentsMode and results never stored.
//
// Lines are buffered and written within a second (and on flush() and destruction), so a
// busy gateway does not pay one write per call. Not thread-safe: use it from the thread that owns
// it (its flush timer runs there).
class AuditLog final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditLog)

public:
    enum class ArgumentsMode {
        Hash, // "arguments": "sha256:<hex of the canonical JSON>" (the default: no secrets on disk)
        Full, // the arguments as the agent sent them
        None  // no "arguments" key
    };
    static const char* toString(ArgumentsMode mode); // "hash", "full", "none"
    static std::optional<ArgumentsMode> argumentsModeFromString(std::string_view s);

    // When the disk is gone, records pile up in memory; past this many, append() refuses new ones
    // (and counts them) instead of growing without bound until the process is killed.
    static constexpr std::size_t kDefaultMaxBufferedRecords = 100'000;
    // The same for bytes, since with ArgumentsMode::Full a single record can be large.
    static constexpr qsizetype kMaxBufferedBytes = 256 * 1024 * 1024;
    static constexpr int kFlushIntervalMs = 1000;

    // Opens (or creates, owner-only) the file for appending and continues its chain from the last
    // line. nullptr with *error set when the file cannot be opened or its end cannot be read.
    static std::unique_ptr<AuditLog>
    open(const QString& path, ArgumentsMode mode = ArgumentsMode::Hash, QString* error = nullptr);
    ~AuditLog() override; // flushes

    // Buffers one line for the call. false when the buffer is full (see recordsDropped()); the
    // next accepted record is preceded by a {"seq","time","dropped":N,"prev"} line so the gap is
    // on the record too.
    bool append(const CallEvent& event);
    // Writes everything buffered. false (logged, nothing discarded) when the write fails; the
    // records stay buffered and are tried again by the timer.
    bool flush();

    QString path() const { return m_path; }
    ArgumentsMode argumentsMode() const { return m_mode; }
    // Lines on disk since open(), "dropped" lines included.
    std::uint64_t recordsWritten() const { return m_written; }
    std::uint64_t recordsDropped() const { return m_dropped; }
    std::size_t recordsBuffered() const { return m_recordSizes.size(); }
    void setMaxBufferedRecords(std::size_t max) { m_maxBufferedRecords = max; }

private:
    AuditLog(std::unique_ptr<QFile> file, ArgumentsMode mode, std::uint64_t nextSeq,
             std::string prevHash);

    nlohmann::ordered_json startLine() const;
    std::string render(const CallEvent& event, ArgumentsMode mode) const;
    void commit(std::string line);
    bool drop(const char* why);
    void consume(qint64 bytes);

    std::unique_ptr<QFile> m_file;
    QString m_path;
    ArgumentsMode m_mode;
    std::uint64_t m_nextSeq;
    std::string m_prevHash;

    // Whole lines not yet on disk, and the size of each (the first may be partly written).
    QByteArray m_pending;
    std::deque<qsizetype> m_recordSizes;
    qsizetype m_frontWritten = 0;
    std::size_t m_maxBufferedRecords = kDefaultMaxBufferedRecords;

    std::uint64_t m_written = 0;
    std::uint64_t m_dropped = 0;
    std::uint64_t m_droppedUnrecorded = 0; // dropped since the last "dropped" line
    bool m_failing = false;                // the last flush failed; log only the first of a streak
    QTimer m_flushTimer;
};

} // namespace portcullis
