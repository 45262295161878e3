#pragma once

#include "gateway/approvalqueue.h"

#include <QObject>

class QIcon;
class QSystemTrayIcon;
class QWidget;

namespace portcullis::ui {

// Draws a person to a held call: the tray icon shows how many calls wait, a notification says
// which call arrived (clicking it brings the window and that card forward), and the window
// asks the desktop for attention.
class Attention final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Attention)

public:
    explicit Attention(QWidget* window);
    ~Attention() override;

    void callHeld(const ApprovalQueue::Held& held);
    void setPending(int count);
    QString trayToolTip() const;
    // The application icon with the number of waiting calls on it.
    static QIcon trayIcon(int pending);

Q_SIGNALS:
    // The person clicked the notification or the tray icon.
    void showRequested(std::uint64_t approvalId);

private:
    QWidget* m_window = nullptr;
    QSystemTrayIcon* m_tray = nullptr;
    std::uint64_t m_lastHeld = 0;
    int m_pending = 0;
};

} // namespace portcullis::ui
