#include "ui/preview/jsonhighlighter.h"

namespace portcullis::ui {

JsonHighlighter::JsonHighlighter(QTextDocument* document, bool darkBackground)
    : QSyntaxHighlighter(document) {
    m_key.setForeground(darkBackground ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x0b, 0x45, 0x8c));
    m_key.setFontWeight(QFont::DemiBold);
    m_string.setForeground(darkBackground ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
    m_number.setForeground(darkBackground ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x76, 0x3a));
    m_literal.setForeground(darkBackground ? QColor(0x56, 0x9c, 0xd6) : QColor(0x6f, 0x2d, 0xa8));
}

// Policy JSON is written one value per line, so a line-local scan is enough: a string followed
// by ':' is a key.
void JsonHighlighter::highlightBlock(const QString& text) {
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n;) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('"')) {
            qsizetype j = i + 1;
            while (j < n && text.at(j) != QLatin1Char('"'))
                j += text.at(j) == QLatin1Char('\\') ? 2 : 1;
            j = std::min(j + 1, n);
            qsizetype k = j;
            while (k < n && text.at(k).isSpace())
                ++k;
            const bool key = k < n && text.at(k) == QLatin1Char(':');
            setFormat(static_cast<int>(i), static_cast<int>(j - i), key ? m_key : m_string);
            i = j;
        } else if (c.isDigit() || c == QLatin1Char('-')) {
            qsizetype j = i + 1;
            while (j < n && (text.at(j).isDigit() || text.at(j) == QLatin1Char('.') ||
                             text.at(j) == QLatin1Char('e') || text.at(j) == QLatin1Char('E') ||
                             text.at(j) == QLatin1Char('+') || text.at(j) == QLatin1Char('-')))
                ++j;
            setFormat(static_cast<int>(i), static_cast<int>(j - i), m_number);
            i = j;
        } else if (c.isLetter()) {
            qsizetype j = i;
            while (j < n && text.at(j).isLetter())
                ++j;
            setFormat(static_cast<int>(i), static_cast<int>(j - i), m_literal);
            i = j;
        } else {
            ++i;
        }
    }
}

} // namespace portcullis::ui
