#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

namespace portcullis {

// Splits a byte stream (a pipe, stdin) into newline-delimited messages, bounded: a line that
// grows past the limit before its newline arrives is dropped up to that newline, so a peer that
// never sends one cannot make us buffer without end.
class LineSplitter final {
public:
    enum class Status { Ok, Overflow };
    // Return false to stop: the remaining bytes are kept for the next feed().
    using LineHandler = std::function<bool(const QByteArray& line)>;

    explicit LineSplitter(qsizetype maxLineBytes)
        : m_maxLineBytes(maxLineBytes) {}

    // Calls onLine for every complete line, trimmed, empty ones skipped. Overflow means an
    // unfinished line was just dropped, for the caller to report.
    Status feed(QByteArrayView bytes, const LineHandler& onLine);

private:
    QByteArray m_buffer;
    qsizetype m_maxLineBytes;
    bool m_discarding = false;
};

} // namespace portcullis
