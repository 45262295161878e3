#pragma once

#include <QColor>
#include <QString>

class QPainter;
class QStyleOptionViewItem;

namespace portcullis::ui {

// A table cell drawn as the style draws it (selection, focus) with, instead of its text, a
// rounded badge: bold white text on `color`. The risk and decision columns share it, so both
// read the same on light and dark palettes.
void paintBadgeCell(QPainter* painter, const QStyleOptionViewItem& option, const QString& text,
                    const QColor& color, int padding);

} // namespace portcullis::ui
