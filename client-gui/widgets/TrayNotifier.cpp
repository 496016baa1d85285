#include "client-gui/widgets/TrayNotifier.h"

#include "client-gui/widgets/Icons.h"

#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>

namespace parley::gui {

namespace {

/// The app icon with a red count in its corner.
QIcon withBadge(const QIcon& base, int count) {
    if (count <= 0) return base;
    constexpr int kSize = 64;
    QPixmap pixmap = base.pixmap(kSize, kSize);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRect badge(kSize / 2 - 2, 0, kSize / 2 + 2, kSize / 2 + 2);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0xd3, 0x2f, 0x2f));
    painter.drawEllipse(badge);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(count > 99 ? 14 : 20);
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(badge, Qt::AlignCenter, count > 99 ? QStringLiteral("99+") : QString::number(count));
    return QIcon(pixmap);
}

}  // namespace

TrayNotifier::TrayNotifier(QObject* parent)
    : QObject(parent),
      m_menu(std::make_unique<QMenu>()),
      m_tray(new QSystemTrayIcon(this)),
      m_appIcon(icon(IconName::App)) {
    m_tray->setIcon(m_appIcon);
    m_tray->setToolTip(tr("Parley"));
    QAction* show = m_menu->addAction(tr("Show Parley"));
    connect(show, &QAction::triggered, this, &TrayNotifier::showRequested);
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayNotifier::openLastNotification);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) emit showRequested();
    });
}

TrayNotifier::~TrayNotifier() = default;

void TrayNotifier::setActive(bool active) { m_tray->setVisible(active && QSystemTrayIcon::isSystemTrayAvailable()); }

void TrayNotifier::setUnreadTotal(int total) {
    if (total == m_unreadTotal) return;
    m_unreadTotal = total;
    m_tray->setIcon(currentIcon());
    m_tray->setToolTip(total > 0 ? tr("Parley — %n unread message(s)", nullptr, total) : tr("Parley"));
}

QIcon TrayNotifier::currentIcon() const { return withBadge(m_appIcon, m_unreadTotal); }

void TrayNotifier::notify(quint32 peerId, const QString& title, const QString& text) {
    m_last = Notification{peerId, title, text};
    if (m_tray->isVisible() && QSystemTrayIcon::supportsMessages()) {
        m_tray->showMessage(title, text, m_appIcon, 8000);
    }
}

void TrayNotifier::openLastNotification() { emit conversationRequested(m_last.peerId); }

}  // namespace parley::gui
