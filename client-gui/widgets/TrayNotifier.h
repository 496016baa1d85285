#pragma once
// TrayNotifier: the tray icon (its tooltip and badge say how many messages are
// unread) and the desktop notification for a message in a conversation that is not
// visible (QSystemTrayIcon::showMessage); clicking the notification opens that
// conversation. Where the desktop has no tray, notify() still records what it would
// have shown (lastNotification()), which is also what the tests read.
//
// Threading: GUI thread only.

#include <QIcon>
#include <QObject>

#include <memory>

class QMenu;
class QSystemTrayIcon;

namespace parley::gui {

class TrayNotifier final : public QObject {
    Q_OBJECT
public:
    struct Notification {
        quint32 peerId = 0;
        QString title;
        QString text;
    };

    explicit TrayNotifier(QObject* parent = nullptr);
    ~TrayNotifier() override;

    /// Shows the icon (after login) or hides it (at the login window).
    void setActive(bool active);
    void setUnreadTotal(int total);
    int unreadTotal() const { return m_unreadTotal; }
    /// A desktop notification for a message from `peerId`.
    void notify(quint32 peerId, const QString& title, const QString& text);
    const Notification& lastNotification() const { return m_last; }
    /// The icon as shown (with the unread badge), e.g. for a screenshot.
    QIcon currentIcon() const;

public slots:
    /// What clicking the last notification does (emits conversationRequested).
    void openLastNotification();

signals:
    void conversationRequested(quint32 peerId);
    /// The tray icon itself was clicked: bring the main window forward.
    void showRequested();

private:
    Q_DISABLE_COPY(TrayNotifier)
    std::unique_ptr<QMenu> m_menu;
    QSystemTrayIcon* m_tray;
    QIcon m_appIcon;
    int m_unreadTotal = 0;
    Notification m_last;
};

}  // namespace parley::gui
