#include "util/linesplitter.h"

namespace portcullis {

LineSplitter::Status LineSplitter::feed(QByteArrayView bytes, const LineHandler& onLine) {
    m_buffer.append(bytes);
    qsizetype start = 0;
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n', start)) >= 0) {
        const QByteArray line = m_buffer.mid(start, newline - start).trimmed();
        start = newline + 1;
        if (m_discarding) {
            m_discarding = false; // the tail of a line already dropped
            continue;
        }
        if (!line.isEmpty() && !onLine(line)) {
            m_buffer.remove(0, start);
            return Status::Ok;
        }
    }
    m_buffer.remove(0, start);
    if (m_buffer.size() > m_maxLineBytes) {
        m_buffer.clear();
        m_discarding = true;
        return Status::Overflow;
    }
    return Status::Ok;
}

} // namespace portcullis
