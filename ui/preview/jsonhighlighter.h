#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace portcullis::ui {

// Colours JSON: keys, strings, numbers, and true/false/null. Colours are picked from the
// palette's lightness so they stay readable on dark themes too.
class JsonHighlighter final : public QSyntaxHighlighter {
    Q_OBJECT

public:
    explicit JsonHighlighter(QTextDocument* document, bool darkBackground);

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_literal;
};

} // namespace portcullis::ui
