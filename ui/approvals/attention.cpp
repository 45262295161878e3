#include "ui/approvals/attention.h"

#include <QApplication>
#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>
#include <QWidget>

namespace portcullis::ui {

Attention::Attention(QWidget* window)
    : QObject(window)
    , m_window(window) {
    m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/portcullis.svg")), this);
    m_tray->setToolTip(trayToolTip());
    // Desktops without a tray (and the offscreen platform) simply have no icon.
    if (QSystemTrayIcon::isSystemTrayAvailable())
        m_tray->show();
    connect(m_tray, &QSystemTrayIcon::messageClicked, this,
            [this] { Q_EMIT showRequested(m_lastHeld); });
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
        if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick)
            Q_EMIT showRequested(m_pending > 0 ? m_lastHeld : 0);
    });
}

Attention::~Attention() = default;

void Attention::callHeld(const ApprovalQueue::Held& held) {
    m_lastHeld = held.id;
    const QString tool = QString::fromStdString(held.event.tool);
    const QString client = QString::fromStdString(
        held.event.client.empty() ? std::string("An agent") : held.event.client);
    if (m_tray->isVisible() && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(tr("%1 wants to run %2").arg(client, tool),
                            tr("On %1. Approve or reject it in Portcullis.")
                                .arg(QString::fromStdString(held.event.server)),
                            QSystemTrayIcon::Warning, 10'000);
    QApplication::alert(m_window);
}

void Attention::setPending(int count) {
    if (count == m_pending)
        return;
    m_pending = count;
    m_tray->setToolTip(trayToolTip());
    m_tray->setIcon(trayIcon(count));
}

QIcon Attention::trayIcon(int pending) {
    const QIcon base(QStringLiteral(":/icons/portcullis.svg"));
    if (pending <= 0)
        return base;
    // The count on a blue disc in the corner, readable at tray size.
    QPixmap pixmap = base.pixmap(64, 64);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF disc(24, 24, 40, 40);
    p.setPen(QPen(Qt::white, 3));
    p.setBrush(QColor(0x0d, 0x47, 0xa1));
    p.drawEllipse(disc);
    QFont font = p.font();
    font.setBold(true);
    font.setPixelSize(pending > 9 ? 20 : 26);
    p.setFont(font);
    p.drawText(disc, Qt::AlignCenter,
               pending > 99 ? QStringLiteral("99+") : QString::number(pending));
    return QIcon(pixmap);
}

QString Attention::trayToolTip() const {
    return m_pending == 0   ? tr("Portcullis: no call waiting")
           : m_pending == 1 ? tr("Portcullis: 1 call waiting for you")
                            : tr("Portcullis: %1 calls waiting for you").arg(m_pending);
}

} // namespace portcullis::ui
