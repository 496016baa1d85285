#pragma once
// The thin layer between the widgets and the protocol: owns the socket (a QTcpSocket with
// platform/tls's TlsLayer, as parley-cli),
// the shared/session ClientSession (on the GUI thread), the HistoryStore of the
// logged-in account and one model per conversation. Widgets call the slots and
// react to the signals; they never see a frame.
//
//   QTcpSocket + TlsLayer --bytes-->  ClientSession  --SessionListener-->  SessionController
//   1 s tick timer        -------->   tick(), reconnect countdown             |  stores first,
//                                                                            v  then models/signals
//   HistoryStore (SQLite) <--- incoming stored before the ACK goes out; own messages and
//                              the outbox written before they are sent
//
// TLS (docs/security-client.md): TLS 1.2 or later with the host name checked, unless
// setPlaintext(true). A certificate that verifies against the system's CAs (or those of
// setCaCertificatesFile) is accepted; else the one pinned for the address in the
// profile's known_servers (PinnedCertificates); else the connection is closed and
// trustRequired() asks the widgets: trustCertificate() pins it and connects again,
// declineCertificate() gives up. A certificate other than the pinned one is refused
// (certificateChanged(), no reconnect) until the user forgets the pin.
//
// Rules (docs/protocol.md "Client rules"): reconnect with session::Backoff while the
// session remembers credentials; KICKED -> kicked(), no reconnect; messages longer than
// the protocol allows are split at a character boundary; TYPING at most once per
// kTypingIntervalMs per peer on the wire.
//
// Threading: the GUI thread only.

#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/ClientTypes.h"
#include "client-gui/core/ServerAddress.h"

#include <QObject>
#include <QString>

#include <memory>

namespace parley::gui {

class ContactListModel;
class ConversationModel;
class HistoryStore;
class TransferController;

class SessionController : public QObject {
    Q_OBJECT
public:
    /// A TYPING(true) to one peer goes out at most this often.
    static constexpr int kTypingIntervalMs = 3000;
    /// After this long without setTyping() the peer is told TYPING(false).
    static constexpr int kTypingIdleMs = 5000;

    explicit SessionController(AccountPaths paths, QObject* parent = nullptr);
    ~SessionController() override;

    // ---- actions --------------------------------------------------------------
    /// Opens the connection (nothing else). Re-connecting to another address
    /// first closes the current connection.
    void connectToServer(const ServerAddress& server);
    /// Connects if needed, opens this account's store (storeError() if it fails),
    /// restores its outbox and logs in; loginSucceeded()/loginFailed() follow.
    /// `remember` ("Remember me"): ask the server for a login token, kept in the account's
    /// folder (AccountPaths::loginTokenFile, 0600), that logs in from then on: at every
    /// reconnect and at the next start (logInWithSavedLogin), with no password kept.
    void logIn(const QString& userName, const QString& password, bool remember = false);
    /// Logs in to the current server with the saved token of `userName`, as logIn(); false
    /// (nothing done) if there is none. A refused token is deleted: savedLoginRefused().
    bool logInWithSavedLogin(const QString& userName);
    /// A login token of `userName` at `server` is saved in this profile.
    bool hasSavedLogin(const ServerAddress& server, const QString& userName) const;
    /// Connects if needed and registers; registerSucceeded()/registerFailed()
    /// follow. Does not log in.
    void registerAccount(const QString& userName, const QString& displayName, const QString& password);
    /// LOGOUT (which revokes the login token at the server), deletes the saved token,
    /// closes the connection, no reconnect. The outbox stays in the store. Quitting is not
    /// logging out: the saved login stays for the next start.
    void logOut();
    /// Stores and sends (or queues while offline) a message to `peerId`
    /// (kRoomPeerId: the room). Text over the protocol limit is split into
    /// several messages. False (nothing stored) for an empty text.
    bool sendChat(quint32 peerId, const QString& text);
    bool sendRoom(const QString& text) { return sendChat(kRoomPeerId, text); }
    /// The user is typing to `peerId` (call it on every key); rate-limited.
    void setTyping(quint32 peerId);
    /// A conversation became visible (unread reset) or hidden.
    void markConversationVisible(quint32 peerId, bool visible);

    // ---- state ----------------------------------------------------------------
    ContactListModel* contacts() const;
    /// The conversation with `peerId` (kRoomPeerId: the room), created on first
    /// use; owned by the controller, valid until logIn() with another account or
    /// the controller's end. nullptr before the first logIn().
    ConversationModel* conversation(quint32 peerId);
    quint32 ownUserId() const;
    QString ownName() const;  ///< the login name
    QString ownDisplayName() const;
    ConnectionState connectionState() const { return m_state; }
    /// While Reconnecting: whole seconds until the next attempt; else 0.
    int secondsToRetry() const;
    ServerAddress server() const { return m_server; }
    /// The node of server()'s list the connection is (or goes) to, "host:port": for one
    /// server its address; for a cluster the node that answered last.
    QString currentNode() const;
    /// The profile's folders (settings, accounts).
    const AccountPaths& paths() const;
    /// The store of the logged-in account (nullptr before the first logIn()).
    HistoryStore* store() const;
    /// File transfers of the logged-in account (nullptr before the first logIn();
    /// replaced, like the store, by logIn() with another account).
    TransferController* transfers() const;
    /// Own messages not yet taken by the server (persisted in the store).
    int outboxSize() const;
    /// Reconnect delays (first, doubling to max; jittered). For tests and tuning.
    void setReconnectDelays(int firstMs, int maxMs);

    // ---- transport security -----------------------------------------------------
    /// No TLS on the next connections (a server started with --plaintext): everything,
    /// the password too, crosses the network in clear.
    void setPlaintext(bool plaintext);
    bool isPlaintext() const;
    /// Verify servers against the CA certificates in this PEM file instead of the
    /// system's (--ca). An empty string, or why the file gives no certificate.
    QString setCaCertificatesFile(const QString& file);
    /// The open connection is TLS (encrypted, certificate accepted).
    bool isSecure() const;
    /// The SHA-256 fingerprint of the open TLS connection's certificate ("" if none).
    QString serverFingerprint() const;
    /// After trustRequired(): pin `fingerprint` for that server and connect again
    /// (the login or registration that was under way goes on).
    void trustCertificate(const QString& fingerprint);
    /// After trustRequired(): do not trust it; what was under way fails (Untrusted).
    void declineCertificate();
    /// The fingerprint pinned for `server` in this profile ("" if none).
    QString pinnedFingerprint(const ServerAddress& server) const;
    /// Removes the pin of `server` (the user's deliberate choice); "" or why not.
    QString forgetCertificate(const ServerAddress& server);

signals:
    void connectionStateChanged(parley::gui::ConnectionState state);
    /// Every second while Reconnecting (for "reconnecting in N s").
    void retryCountdown(int seconds);
    /// The login asked for by logIn() succeeded (not repeated for automatic re-logins).
    void loginSucceeded();
    /// Logged in and the contact list arrived (also after every reconnect).
    void ready();
    void loginFailed(parley::gui::LoginError code, const QString& text);
    /// The saved login of `userName` expired or was revoked (also on an automatic re-login):
    /// it is deleted; the password is needed (back to the login window).
    void savedLoginRefused(const QString& userName, const QString& text);
    void registerSucceeded();
    void registerFailed(parley::gui::RegisterField field, const QString& text);
    /// Logged in elsewhere, or kicked by the operator: show why, back to login.
    void kicked(const QString& reason);
    /// A new message in a conversation (for notifications); peerId = kRoomPeerId for the room.
    void messageReceived(quint32 peerId, const QString& senderName, const QString& preview);
    /// The sum of unread messages changed (tray icon).
    void unreadTotalChanged(int total);
    /// An own message changed state (the conversation model already shows it);
    /// for Read, every own message to the peer up to `messageId`.
    void messageStateChanged(quint32 peerId, quint64 messageId, parley::gui::DeliveryState state);
    void peerTyping(quint32 peerId, bool typing);
    /// The store could not be opened or written (corrupt, read-only profile):
    /// the app keeps working with history in memory only.
    void storeError(const QString& text);
    /// A human-readable line about the connection (lost, refused, ...), for a status bar.
    void connectionMessage(const QString& text);
    /// First contact: `server` presents a certificate no CA vouches for and none is
    /// pinned. Nothing was sent; answer with trustCertificate() or declineCertificate().
    void trustRequired(const parley::gui::ServerAddress& server, const QString& fingerprint);
    /// `server` presents another certificate than the pinned one: refused, nothing was
    /// sent, no reconnect (a login under way also gets loginFailed(Untrusted)).
    void certificateChanged(const parley::gui::ServerAddress& server, const QString& pinnedFingerprint,
                            const QString& presentedFingerprint);

private:
    class Impl;
    friend class Impl;
    std::unique_ptr<Impl> m_impl;
    ConnectionState m_state = ConnectionState::Offline;
    ServerAddress m_server;
};

}  // namespace parley::gui
