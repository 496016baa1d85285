#include "client-gui/core/SessionController.h"

#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/ConversationModel.h"
#include "client-gui/core/HistoryStore.h"
#include "client-gui/core/PinnedCertificates.h"
#include "client-gui/core/TransferController.h"
#include "platform/Buffer.h"
#include "platform/tls/TlsContext.h"
#include "platform/tls/TlsLayer.h"
#include "shared/files/FileName.h"
#include "shared/session/Backoff.h"
#include "shared/session/ClientSession.h"
#include "shared/session/LoginTokenFile.h"
#include "shared/session/ServerList.h"
#include "shared/session/TextSplit.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalBlocker>
#include <QSslCertificate>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

namespace parley::gui {

namespace {

constexpr int kPreviewChars = 80;
/// Bytes handled per event-loop turn: a burst is stored and shown in slices, so
/// that the window keeps repainting and taking input in between.
constexpr qint64 kReadSliceBytes = 16 * 1024;

QString fromUtf8(const std::string& text) { return QString::fromStdString(text); }

QString preview(const QString& text) {
    QString line = text.simplified();
    if (line.size() > kPreviewChars) {
        line = line.left(kPreviewChars - 1) + QChar(0x2026);
    }
    return line;
}

LoginError toLoginError(proto::AuthStatus status) {
    switch (status) {
    case proto::AuthStatus::Throttled: return LoginError::Throttled;
    case proto::AuthStatus::ServerError: return LoginError::ServerError;
    case proto::AuthStatus::InvalidUsername:
    case proto::AuthStatus::InvalidPassword:
    case proto::AuthStatus::InvalidDisplayName: return LoginError::InvalidInput;
    case proto::AuthStatus::TokenInvalid:
    case proto::AuthStatus::TokenExpired: return LoginError::SavedLoginRefused;
    default: return LoginError::BadCredentials;
    }
}

bool isTokenRefusal(proto::AuthStatus status) {
    return status == proto::AuthStatus::TokenInvalid || status == proto::AuthStatus::TokenExpired;
}

session::LoginTokenFile tokenFile(const AccountPaths& paths, const ServerAddress& server, const QString& userName) {
    return session::LoginTokenFile(files::pathFromUtf8(paths.loginTokenFile(server, userName).toStdString()));
}

RegisterField toRegisterField(proto::AuthStatus status) {
    switch (status) {
    case proto::AuthStatus::UsernameTaken:
    case proto::AuthStatus::InvalidUsername:
    case proto::AuthStatus::InvalidDisplayName: return RegisterField::Name;
    case proto::AuthStatus::InvalidPassword: return RegisterField::Password;
    default: return RegisterField::Server;
    }
}

QString describeKick(proto::KickReason reason, const std::string& text) {
    QString why;
    switch (reason) {
    case proto::KickReason::LoggedInElsewhere:
        why = SessionController::tr("This account logged in somewhere else.");
        break;
    case proto::KickReason::Operator: why = SessionController::tr("The server's operator ended this session."); break;
    case proto::KickReason::ServerShutdown: why = SessionController::tr("The server is shutting down."); break;
    case proto::KickReason::Flooding: why = SessionController::tr("Too many messages too fast."); break;
    }
    return text.empty() ? why : why + QLatin1Char(' ') + fromUtf8(text);
}

}  // namespace

// ---- the implementation: session events -> store -> models/signals ----------

class SessionController::Impl : public session::SessionListener {
public:
    Impl(SessionController& owner, AccountPaths paths);
    ~Impl() override;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    // actions
    void connectTo(const ServerAddress& server);
    void logIn(const QString& userName, const QString& password, bool remember);
    bool logInSaved(const QString& userName);
    void startLogin();  ///< after the session has the credentials: connect and wait for the answer
    void registerAccount(const QString& userName, const QString& displayName, const QString& password);
    void logOut();
    bool send(quint32 peer, const QString& text);
    void typing(quint32 peer);
    void setVisible(quint32 peer, bool visible);
    ConversationModel* conversation(quint32 peer);

    // SessionListener
    void onProtocolError(proto::ProtocolError error) override;
    void onConnectionDead() override;
    void onStateChanged(session::SessionState state) override;
    void onRegisterResult(const proto::RegisterResult& result) override;
    void onLoginResult(const proto::LoginResult& result) override;
    void onKicked(proto::KickReason reason, const std::string& text) override;
    void onLoginToken(const std::string& username, const proto::IssuedToken& token) override;
    void onPasswordNeeded(const std::string& username, const std::string& why) override;
    void onServerError(const proto::Error& error) override;
    void onContactsChanged(const session::ContactList& contacts) override;
    void onPresenceChanged(const proto::Contact& contact) override;
    void onReady(bool first) override;
    void onChatReceived(session::UserId from, session::MessageId id, std::uint64_t timestampMs,
                        const std::string& text) override;
    void onRoomMessageReceived(session::UserId from, session::MessageId id, std::uint64_t timestampMs,
                               const std::string& text) override;
    void onMessageQueued(const session::OutgoingMessage& message) override;
    void onMessageStateChanged(session::UserId peer, session::MessageId id, session::MessageState state) override;
    void onTyping(session::UserId from, bool typing) override;
    void onRead(session::UserId reader, session::MessageId upTo) override;
    /// ACK Read for `peer`'s conversation up to `upTo` (the session skips what it sent).
    void sendRead(quint32 peer, quint64 upTo);

    // socket and timers
    void handleConnected();
    /// Handles one slice of the received bytes; false if nothing was handled or
    /// the store failed (the connection is then aborted).
    bool handleReadyRead();
    /// handleReadyRead() on the next turn, once: a burst is handled in slices, not message
    /// by message.
    void scheduleRead();
    /// TLS: opens the records of platform/tls over the connected socket (the ClientHello).
    void startTls();
    /// TLS: turns what the socket received into application bytes (m_plainIn), sends what
    /// the handshake answers, and reports the handshake's end or failure.
    void pumpTls();
    /// Received application bytes not yet handled.
    qint64 applicationBytesAvailable() const;
    QByteArray readApplicationBytes(qint64 most);
    /// Writes wire bytes the TLS layer produced.
    void writeWire(net::Buffer& wire);
    void handleClosed(const QString& reason);
    /// The node of the server's list the connection is (or goes) to, "host:port".
    QString currentNodeText() const {
        return ServerAddress::nodeText(q.m_server.node(static_cast<int>(m_rotation.current())));
    }
    void handleTick();
    void retryNow();
    void openSocket();
    /// The server's certificate at the end of the handshake: verified by a CA, or pinned,
    /// is accepted; else it is refused and why is noted for handleClosed().
    bool trustPeer(const net::TlsPeer& peer);
    /// The end of a connection whose certificate was refused (handleClosed's part).
    void handleRefusedCertificate();
    /// The login or registration under way fails with `text`; no reconnect.
    void abandonAttempt(const QString& text);
    /// No more reconnects: the password forgotten, the retry timer stopped.
    void stopReconnecting();
    /// Open for the protocol: connected, and (unless plaintext) the TLS handshake done.
    bool channelOpen() const;

    void setState(ConnectionState state);
    void flushOutput();
    void incoming(quint32 peer, quint32 sender, quint64 id, std::uint64_t timestampMs, const std::string& text);
    void applyIncomingBatch();
    void openAccount(const QString& userName);
    QString nameOf(quint32 userId) const;
    void nameSenders(ConversationModel& model) const;
    void reportStoreError();
    quint64 nowMs() const { return static_cast<quint64>(m_clock.elapsed()); }

    SessionController& q;
    AccountPaths m_paths;
    // TLS is platform/tls's (TlsLayer: OpenSSL's handshake, then Parley's own records), as in
    // parley-cli and the server: QSslSocket copied every byte three more times (1.3x the
    // time of parley-cli for a large file, docs/benchmarks.md).
    QTcpSocket m_socket;
    PinnedCertificates m_pins;
    QString m_caFile;                              ///< empty: the system's CAs
    std::shared_ptr<const net::TlsContext> m_tls;  ///< made for m_caFile when first needed
    std::unique_ptr<net::TlsLayer> m_layer;        ///< of the current TLS connection
    net::Buffer m_plainIn;                         ///< decrypted, not yet handled
    bool m_tlsEstablished = false;                 ///< handshake done and the server trusted
    bool m_tlsJustEstablished = false;             ///< set inside decode(), handled after it
    std::string m_tlsFailure;                      ///< set inside decode(), handled after it
    quint64 m_connectionNumber = 0;                ///< counts openSocket(): a deferred close knows its own
    bool m_plaintext = false;                      ///< for the next connections
    bool m_connectionPlaintext = false;            ///< of the current one
    QString m_fingerprint;                         ///< of the current TLS connection
    QString m_socketError;                         ///< the error before a disconnected()
    /// A certificate refused during the current connection, handled when it has closed.
    struct Refusal {
        QString pinned;  ///< empty: unknown (ask); else the pin it does not match
        QString presented;
    };
    std::optional<Refusal> m_refusal;
    bool m_awaitingTrust = false;  ///< trustRequired() emitted, no answer yet
    QTimer m_tick;
    QTimer m_retryTimer;
    QElapsedTimer m_clock;
    session::Backoff m_backoff;
    /// Which node of a cluster's list the next connection goes to.
    session::ServerRotation m_rotation;

    std::unique_ptr<session::ClientSession> m_session;
    // Declared before the models that read it: destroyed after them.
    std::unique_ptr<HistoryStore> m_store;
    ContactListModel m_contacts;
    std::map<quint32, std::unique_ptr<ConversationModel>> m_conversations;

    QString m_account;              ///< the user name of m_store / m_session ("" = none yet)
    ServerAddress m_accountServer;  ///< and the server it belongs to
    QString m_password;             ///< in memory only: re-login after a server shutdown (until a token replaces it)
    QString m_token;                ///< the login token of this session ("Remember me"), also in the account's folder
    bool m_loginRequested = false;  ///< logIn() called and its result not yet reported
    bool m_loggedInOnce = false;
    bool m_wantOnline = false;         ///< reconnect when the connection is lost
    bool m_attemptOpen = false;        ///< a connect is under way or open: its end not yet handled
    bool m_readQueued = false;         ///< a handleReadyRead() for buffered bytes is posted
    bool m_reloginAfterClose = false;  ///< KICKED ServerShutdown: log in again after the close
    /// logIn() while the logged-out connection was still closing: open a new one once it is closed.
    bool m_connectAfterClose = false;
    struct PendingRegister {
        QString userName, displayName, password;
    };
    std::optional<PendingRegister> m_register;
    QString m_lastServerError;
    QString m_reportedStoreError;
    qint64 m_retryAtMs = 0;

    QSet<quint32> m_visible;
    QHash<quint32, qint64> m_typingSentMs;  ///< last TYPING(true) on the wire
    QHash<quint32, qint64> m_typingKeyMs;   ///< last setTyping() call

    /// What one read did to each conversation, applied once after it.
    struct IncomingSummary {
        int count = 0;
        QString senderName;
        QString preview;
        qint64 timeMs = 0;
        quint64 lastId = 0;  ///< the highest message id (what a read receipt covers)
    };
    std::map<quint32, IncomingSummary> m_incoming;

    // Last: destroyed first, it uses the session and the store.
    std::unique_ptr<TransferController> m_transfers;
};

SessionController::Impl::Impl(SessionController& owner, AccountPaths paths)
    : q(owner),
      m_paths(std::move(paths)),
      m_pins(m_paths.knownServersFile()),
      m_backoff(session::Backoff::kDefaultFirstMs, session::Backoff::kDefaultMaxMs,
                [] { return QRandomGenerator::global()->generate(); }) {
    // A system proxy breaks plain TCP connections (a known QTcpSocket failure).
    QNetworkProxyFactory::setUseSystemConfiguration(false);
    m_socket.setProxy(QNetworkProxy::NoProxy);
    m_clock.start();

    QObject::connect(&m_socket, &QTcpSocket::connected, &q, [this] {
        if (m_connectionPlaintext) {
            handleConnected();
        } else {
            startTls();  // handleConnected() after the handshake
        }
    });
    QObject::connect(&m_socket, &QTcpSocket::readyRead, &q, [this] {
        if (!m_connectionPlaintext) {
            pumpTls();
        }
        scheduleRead();
    });
    QObject::connect(&m_socket, &QTcpSocket::bytesWritten, &q, [this] {
        if (m_transfers) {
            m_transfers->outputDrained();  // room for more file chunks
        }
    });
    QObject::connect(&m_socket, &QTcpSocket::disconnected, &q, [this] {
        handleClosed(m_socketError.isEmpty() ? SessionController::tr("closed by the server") : m_socketError);
    });
    QObject::connect(&m_socket, &QAbstractSocket::errorOccurred, &q, [this](QAbstractSocket::SocketError) {
        // A failed connect never emits disconnected().
        if (m_socket.state() != QAbstractSocket::ConnectedState) {
            handleClosed(m_socket.errorString());
        } else {
            m_socketError = m_socket.errorString();
        }
    });
    m_tick.setInterval(1000);
    QObject::connect(&m_tick, &QTimer::timeout, &q, [this] { handleTick(); });
    m_tick.start();
    m_retryTimer.setSingleShot(true);
    QObject::connect(&m_retryTimer, &QTimer::timeout, &q, [this] { retryNow(); });
}

SessionController::Impl::~Impl() {
    // No LOGOUT, no flush: what is unsent stays in the persisted outbox.
    m_socket.disconnect(&q);
    m_socket.abort();
}

// ---- actions --------------------------------------------------------------------

void SessionController::Impl::connectTo(const ServerAddress& server) {
    m_awaitingTrust = false;  // a new attempt asks again
    const bool otherTransport = !(server == q.m_server) || m_plaintext != m_connectionPlaintext;
    if (otherTransport && m_socket.state() != QAbstractSocket::UnconnectedState) {
        m_socket.abort();
    }
    if (otherTransport || server.moreNodes != q.m_server.moreNodes) {
        m_rotation = session::ServerRotation(static_cast<std::size_t>(server.nodeCount()));
    }
    q.m_server = server;
    if (m_socket.state() != QAbstractSocket::UnconnectedState) {
        return;
    }
    m_retryTimer.stop();
    m_retryAtMs = 0;
    setState(ConnectionState::Connecting);
    openSocket();
}

void SessionController::Impl::openAccount(const QString& userName) {
    if (m_session && m_store && userName == m_account && q.m_server == m_accountServer) {
        return;  // the same account again (after logOut): same session, same store
    }
    m_transfers.reset();
    m_conversations.clear();
    m_accountServer = q.m_server;
    m_session = std::make_unique<session::ClientSession>(*this);
    m_store = std::make_unique<HistoryStore>();
    m_account = userName;
    m_loggedInOnce = false;
    m_reportedStoreError.clear();
    if (!m_store->open(m_paths.historyFile(q.m_server, userName))) {
        emit q.storeError(SessionController::tr("The message history cannot be kept: %1. "
                                                "Messages are shown but not saved.")
                              .arg(m_store->errorString()));
    }
    // What was written but not taken by the server before the last quit or crash.
    std::vector<session::OutgoingMessage> restored;
    for (const OutboxEntry& entry : m_store->outbox()) {
        session::OutgoingMessage message;
        message.type = entry.peer == kRoomPeerId ? proto::MessageType::Room : proto::MessageType::Chat;
        message.peer = entry.peer;
        message.id = entry.messageId;
        message.timestampMs = static_cast<std::uint64_t>(entry.timeMs);
        message.text = entry.text.toStdString();
        restored.push_back(std::move(message));
    }
    m_session->restoreOutbox(std::move(restored));
    TransferController::Hooks hooks;
    hooks.flush = [this] { flushOutput(); };
    hooks.backlog = [this] { return static_cast<std::size_t>(m_socket.bytesToWrite()); };
    hooks.nameOf = [this](quint32 peer) { return nameOf(peer); };
    m_transfers = std::make_unique<TransferController>(
        *m_session, *m_store, m_paths.accountDir(q.m_server, userName) + QStringLiteral("/transfers"),
        std::move(hooks));
    m_session->messageIds().observe(m_store->maxOwnMessageId());
    if (channelOpen()) {
        m_session->connectionOpened(nowMs());
    }
}

bool SessionController::Impl::logInSaved(const QString& userName) {
    const std::optional<std::string> token = tokenFile(m_paths, q.m_server, userName).load();
    if (!token) {
        return false;
    }
    openAccount(userName);
    if (m_session->loginWithToken(userName.toStdString(), *token) != session::SessionError::None) {
        return false;
    }
    m_password.clear();
    m_token = QString::fromStdString(*token);
    startLogin();
    return true;
}

void SessionController::Impl::logIn(const QString& userName, const QString& password, bool remember) {
    openAccount(userName);
    const session::SessionError error = m_session->login(userName.toStdString(), password.toStdString(), remember);
    if (error != session::SessionError::None) {
        emit q.loginFailed(LoginError::InvalidInput, SessionController::tr("Cannot log in with these details (%1).")
                                                         .arg(QString::fromLatin1(session::toString(error))));
        return;
    }
    m_password = password;
    m_token.clear();
    startLogin();
}

void SessionController::Impl::startLogin() {
    m_loginRequested = true;
    m_wantOnline = true;
    flushOutput();
    if (m_socket.state() == QAbstractSocket::UnconnectedState) {
        connectTo(q.m_server);
    } else if (m_socket.state() == QAbstractSocket::ClosingState) {
        // The connection logOut() closes is still sending its LOGOUT: its end is
        // not this login's failure; connect again once it has gone.
        m_connectAfterClose = true;
        setState(ConnectionState::Connecting);
    }
}

void SessionController::Impl::registerAccount(const QString& userName, const QString& displayName,
                                              const QString& password) {
    if (!m_session) {
        m_session = std::make_unique<session::ClientSession>(*this);
    }
    m_register = PendingRegister{userName, displayName, password};
    if (channelOpen()) {
        handleConnected();  // sends it
    } else if (m_socket.state() == QAbstractSocket::UnconnectedState) {
        connectTo(q.m_server);
    }
}

void SessionController::Impl::logOut() {
    // The LOGOUT below revokes the token at the server; the copy here goes in any case.
    if (!m_account.isEmpty()) {
        tokenFile(m_paths, m_accountServer, m_account).forget();
    }
    m_loginRequested = false;
    m_connectAfterClose = false;
    stopReconnecting();
    if (m_session) {
        m_session->logout();
        flushOutput();
    }
    m_socket.disconnectFromHost();
    setState(ConnectionState::Offline);
}

bool SessionController::Impl::send(quint32 peer, const QString& text) {
    if (!m_session || !m_store || text.isEmpty()) {
        return false;
    }
    // Longer than the protocol allows: several messages, cut between characters.
    bool ok = true;
    const quint64 wallClock = static_cast<quint64>(QDateTime::currentMSecsSinceEpoch());
    for (std::string& part : session::splitText(text.toStdString(), session::kMaxChatTextBytes)) {
        const session::SendResult result = peer == kRoomPeerId ? m_session->sendRoom(std::move(part), wallClock)
                                                               : m_session->sendChat(peer, std::move(part), wallClock);
        ok = ok && static_cast<bool>(result);
    }
    if (m_typingSentMs.remove(peer) > 0 && m_session->isLoggedIn()) {
        m_session->setTyping(peer, false);
    }
    m_typingKeyMs.remove(peer);
    flushOutput();
    reportStoreError();
    return ok;
}

void SessionController::Impl::typing(quint32 peer) {
    if (!m_session || !m_session->isLoggedIn() || peer == kRoomPeerId) {
        return;
    }
    const qint64 now = m_clock.elapsed();
    m_typingKeyMs.insert(peer, now);
    const auto sent = m_typingSentMs.constFind(peer);
    if (sent != m_typingSentMs.constEnd() && now - *sent < kTypingIntervalMs) {
        return;  // rate limit: the peer already knows
    }
    if (m_session->setTyping(peer, true) == session::SessionError::None) {
        m_typingSentMs.insert(peer, now);
        flushOutput();
    }
}

void SessionController::Impl::setVisible(quint32 peer, bool visible) {
    if (!visible) {
        m_visible.remove(peer);
        return;
    }
    m_visible.insert(peer);
    const ContactEntry* entry = m_contacts.find(peer);
    if (entry != nullptr && entry->unread > 0) {
        m_contacts.setUnread(peer, 0);
        emit q.unreadTotalChanged(m_contacts.unreadTotal());
    }
    if (m_store) {
        m_store->clearUnread(peer);
        sendRead(peer, m_store->lastIncomingId(peer));
    }
}

void SessionController::Impl::sendRead(quint32 peer, quint64 upTo) {
    // No receipts in the room; none before the session is logged in (the next
    // visible turn or message sends it).
    if (peer == kRoomPeerId || upTo == 0 || !m_session || m_session->state() != session::SessionState::LoggedIn) {
        return;
    }
    if (m_session->sendRead(peer, upTo) == session::SessionError::None) {
        flushOutput();
    }
}

ConversationModel* SessionController::Impl::conversation(quint32 peer) {
    if (!m_store) {
        return nullptr;
    }
    auto found = m_conversations.find(peer);
    if (found == m_conversations.end()) {
        auto model = std::make_unique<ConversationModel>(*m_store, peer);
        nameSenders(*model);
        found = m_conversations.emplace(peer, std::move(model)).first;
    }
    return found->second.get();
}

// ---- socket ---------------------------------------------------------------------

void SessionController::Impl::handleConnected() {
    if (!m_session) {
        m_session = std::make_unique<session::ClientSession>(*this);
    }
    if (m_session->state() == session::SessionState::Disconnected) {
        m_session->connectionOpened(nowMs());  // a remembered LOGIN goes out now
    }
    if (m_register) {
        const PendingRegister reg = *m_register;
        m_register.reset();
        const session::SessionError error = m_session->registerAccount(
            reg.userName.toStdString(), reg.password.toStdString(), reg.displayName.toStdString());
        if (error != session::SessionError::None) {
            emit q.registerFailed(RegisterField::Name, SessionController::tr("Cannot register these details (%1).")
                                                           .arg(QString::fromLatin1(session::toString(error))));
        }
    }
    if (m_session->state() == session::SessionState::Connected && !m_session->shouldReconnect()) {
        setState(ConnectionState::Connecting);  // open, not logging in (registering)
    }
    flushOutput();
}

bool SessionController::Impl::handleReadyRead() {
    m_readQueued = false;
    // A large frame begun in the last slice (a file chunk) is one message: read the rest
    // of it at once, plus a slice of what follows.
    const qint64 slice = kReadSliceBytes + (m_session ? static_cast<qint64>(m_session->bytesToCompleteFrame()) : 0);
    const QByteArray bytes = readApplicationBytes(slice);
    if (!m_session || bytes.isEmpty()) {
        return false;
    }
    if (applicationBytesAvailable() > 0) {
        // The rest on the next turn (readyRead is not emitted again for bytes
        // already buffered).
        scheduleRead();
    }
    const quint64 failuresBefore = m_store ? m_store->writeFailures() : 0;
    bool readFailed = false;
    if (m_store) {
        m_store->begin();
    }
    m_session->receive(reinterpret_cast<const std::uint8_t*>(bytes.constData()), static_cast<std::size_t>(bytes.size()),
                       nowMs());
    if (m_store) {
        const bool committed = m_store->commit();
        readFailed = !committed || m_store->writeFailures() != failuresBefore;
    }
    if (readFailed && m_store->isPersistent()) {
        // Store before ack: what could not be written is not acknowledged;
        // the server keeps it and delivers it again after the reconnect.
        m_session->rejectLastReceive();
        m_incoming.clear();
        for (auto& [peer, model] : m_conversations) {
            model->reload();  // rows the rolled-back transaction had added
        }
        reportStoreError();
        m_socket.abort();
        return false;
    }
    flushOutput();
    applyIncomingBatch();
    return true;
}

void SessionController::Impl::scheduleRead() {
    if (m_readQueued) {
        return;
    }
    m_readQueued = true;
    QMetaObject::invokeMethod(
        &q,
        [this] {
            if (m_readQueued) {
                handleReadyRead();
            }
        },
        Qt::QueuedConnection);
}

void SessionController::Impl::handleClosed(const QString& reason) {
    // errorOccurred and disconnected may both report one loss.
    if (!m_attemptOpen) {
        return;
    }
    m_attemptOpen = false;
    m_fingerprint.clear();
    if (m_refusal) {
        handleRefusedCertificate();
        return;
    }
    // What the server sent before it closed (e.g. KICKED) still counts.
    while (m_session && m_session->state() != session::SessionState::Disconnected && applicationBytesAvailable() > 0 &&
           handleReadyRead()) {}
    m_readQueued = false;
    if (m_session) {
        m_session->connectionClosed();
        if (m_reloginAfterClose) {
            m_reloginAfterClose = false;
            if (!m_token.isEmpty()) {
                m_session->loginWithToken(m_account.toStdString(), m_token.toStdString());
            } else {
                m_session->login(m_account.toStdString(), m_password.toStdString());
            }
        }
    }
    m_incoming.clear();
    // A cluster: the next node of the list at once; only a whole pass that failed counts.
    const QString node = currentNodeText();
    const bool retrying = m_register || (m_wantOnline && m_session && m_session->shouldReconnect());
    if (q.m_server.nodeCount() > 1 && retrying && !m_connectAfterClose && !m_rotation.failed()) {
        emit q.connectionMessage(
            SessionController::tr("%1 did not answer (%2); trying %3").arg(node, reason, currentNodeText()));
        setState(ConnectionState::Connecting);
        m_retryTimer.start(0);
        return;
    }
    if (m_register) {
        m_register.reset();
        emit q.registerFailed(
            RegisterField::Server,
            SessionController::tr("Cannot reach the server %1: %2").arg(q.m_server.listText(), reason));
    }
    if (m_connectAfterClose) {
        m_connectAfterClose = false;
        if (m_wantOnline) {
            // On the next turn: this may run from the old socket's errorOccurred,
            // before it is unconnected and has emitted disconnected().
            setState(ConnectionState::Connecting);
            m_retryTimer.start(0);
            return;
        }
    }
    const bool canRetry = m_wantOnline && m_session && m_session->shouldReconnect();
    if (canRetry && m_loginRequested) {
        // A login the person asked for and waits for at the login window.
        m_loginRequested = false;
        m_wantOnline = false;
        m_session->logout();
        setState(ConnectionState::Offline);
        emit q.loginFailed(LoginError::Unreachable,
                           SessionController::tr("Cannot reach the server %1: %2").arg(q.m_server.listText(), reason));
        return;
    }
    if (!canRetry) {
        setState(ConnectionState::Offline);
        return;
    }
    const auto delay = static_cast<int>(m_backoff.nextDelayMs());
    m_retryAtMs = m_clock.elapsed() + delay;
    m_retryTimer.start(delay);
    emit q.connectionMessage(SessionController::tr("Connection to %1 lost: %2").arg(node, reason));
    setState(ConnectionState::Reconnecting);
    emit q.retryCountdown(q.secondsToRetry());
}

void SessionController::Impl::openSocket() {
    m_attemptOpen = true;
    ++m_connectionNumber;
    m_socketError.clear();
    m_refusal.reset();
    m_layer.reset();
    m_plainIn.retrieveAll();
    m_tlsEstablished = false;
    m_tlsJustEstablished = false;
    m_tlsFailure.clear();
    m_connectionPlaintext = m_plaintext;
    if (!m_connectionPlaintext && !m_tls) {
        net::TlsClientSettings settings;
        settings.caFile = m_caFile.toStdString();
        settings.minimum = net::TlsMinimum::Tls12;  // a server may still allow TLS 1.2
        try {
            m_tls = net::TlsContext::client(settings);
        } catch (const net::TlsError& error) {
            m_attemptOpen = false;
            abandonAttempt(SessionController::tr("Cannot set up TLS: %1").arg(QString::fromStdString(error.what())));
            return;
        }
    }
    const ServerAddress::Node node = q.m_server.node(static_cast<int>(m_rotation.current()));
    m_socket.connectToHost(node.host, node.port);
}

bool SessionController::Impl::channelOpen() const {
    return m_socket.state() == QAbstractSocket::ConnectedState && (m_connectionPlaintext || m_tlsEstablished);
}

void SessionController::Impl::startTls() {
    net::TlsEvents events;
    events.onEstablished = [this] { m_tlsJustEstablished = true; };
    events.onFailure = [this](const std::string& reason) { m_tlsFailure = reason; };
    events.trust = [this](const net::TlsPeer& peer) { return trustPeer(peer); };
    // The name this node's certificate is checked against; a pin is the first node's.
    const QString host = q.m_server.node(static_cast<int>(m_rotation.current())).host;
    m_layer = net::TlsLayer::client(m_tls, host.toStdString(), std::move(events));
    net::Buffer wire;
    if (m_layer->open(wire) != 0) {
        m_tlsFailure = m_tlsFailure.empty() ? "TLS could not start" : m_tlsFailure;
    }
    writeWire(wire);
    pumpTls();  // reports a failure of open()
}

void SessionController::Impl::pumpTls() {
    if (!m_layer) {
        return;
    }
    const QByteArray received = m_socket.readAll();
    net::Buffer wire;
    if (!received.isEmpty() &&
        m_layer->decode(std::string_view(received.constData(), static_cast<std::size_t>(received.size())), m_plainIn,
                        wire) != 0 &&
        m_tlsFailure.empty()) {
        m_tlsFailure = "the TLS connection failed";
    }
    writeWire(wire);
    if (!m_tlsFailure.empty()) {
        // A refused certificate (m_refusal) or a broken record: the connection ends, on the
        // next turn (not inside the socket's own readyRead: handleClosed() may reconnect it).
        const QString reason = QString::fromStdString(m_tlsFailure);
        m_tlsFailure.clear();
        m_layer.reset();
        m_socketError = reason;
        QMetaObject::invokeMethod(
            &q,
            [this, reason, connection = m_connectionNumber] {
                if (connection != m_connectionNumber) {
                    return;  // that connection was replaced meanwhile (a new connectTo)
                }
                {
                    // Quietly: from a disconnected() handler inside abort(), handleClosed()
                    // would open the next connection, which the rest of abort() undoes.
                    const QSignalBlocker quiet(m_socket);
                    m_socket.abort();
                }
                handleClosed(reason);
            },
            Qt::QueuedConnection);
        return;
    }
    if (m_tlsJustEstablished) {
        m_tlsJustEstablished = false;
        m_tlsEstablished = true;
        handleConnected();
    }
}

qint64 SessionController::Impl::applicationBytesAvailable() const {
    return m_connectionPlaintext ? m_socket.bytesAvailable() : static_cast<qint64>(m_plainIn.readableBytes());
}

QByteArray SessionController::Impl::readApplicationBytes(qint64 most) {
    if (m_connectionPlaintext) {
        return m_socket.read(most);
    }
    const auto count = static_cast<std::size_t>(std::min<qint64>(most, applicationBytesAvailable()));
    QByteArray bytes(m_plainIn.peek(), static_cast<int>(count));
    m_plainIn.retrieve(count);
    return bytes;
}

void SessionController::Impl::writeWire(net::Buffer& wire) {
    if (wire.readableBytes() > 0 && m_socket.state() == QAbstractSocket::ConnectedState) {
        m_socket.write(wire.peek(), static_cast<qint64>(wire.readableBytes()));
    }
    wire.retrieveAll();
}

bool SessionController::Impl::trustPeer(const net::TlsPeer& peer) {
    // Not verified by a CA (self-signed, expired, another host name...): the pin decides.
    const QString presented = QString::fromStdString(peer.fingerprint);
    m_fingerprint = presented;
    switch (m_pins.decide(q.m_server, peer.verified, presented)) {
    case trust::TrustDecision::Verified:
    case trust::TrustDecision::Pinned: return true;
    case trust::TrustDecision::Changed: m_refusal = Refusal{m_pins.pinned(q.m_server), presented}; break;
    case trust::TrustDecision::Unknown: m_refusal = Refusal{QString(), presented}; break;
    }
    return false;  // TlsLayer fails the handshake; pumpTls() closes, handleClosed() goes on
}

void SessionController::Impl::handleRefusedCertificate() {
    const Refusal refusal = *m_refusal;
    m_refusal.reset();
    m_readQueued = false;
    m_incoming.clear();
    if (m_session) {
        m_session->connectionClosed();
    }
    const QString server = q.m_server.toString();
    if (!refusal.pinned.isEmpty()) {
        abandonAttempt(SessionController::tr("Not connected: the certificate of %1 changed. "
                                             "This can mean someone is intercepting the connection.")
                           .arg(server));
        emit q.certificateChanged(q.m_server, refusal.pinned, refusal.presented);
        return;
    }
    // The login or registration waits for the answer (the session keeps the credentials).
    m_awaitingTrust = true;
    setState(ConnectionState::Connecting);
    emit q.trustRequired(q.m_server, refusal.presented);
}

void SessionController::Impl::stopReconnecting() {
    m_wantOnline = false;
    m_password.clear();
    m_token.clear();
    m_retryTimer.stop();
    m_retryAtMs = 0;
}

void SessionController::Impl::abandonAttempt(const QString& text) {
    m_awaitingTrust = false;
    stopReconnecting();
    if (m_session) {
        m_session->logout();
    }
    setState(ConnectionState::Offline);
    if (m_register) {
        m_register.reset();
        emit q.registerFailed(RegisterField::Server, text);
    }
    if (m_loginRequested) {
        m_loginRequested = false;
        emit q.loginFailed(LoginError::Untrusted, text);
    } else {
        emit q.connectionMessage(text);
    }
}

void SessionController::Impl::retryNow() {
    m_retryAtMs = 0;
    if ((m_wantOnline || m_register) && m_socket.state() == QAbstractSocket::UnconnectedState) {
        setState(ConnectionState::Connecting);
        openSocket();
    }
}

void SessionController::Impl::handleTick() {
    if (m_session) {
        m_session->tick(nowMs());
        // The peer stops seeing "typing" when the keys stop.
        const qint64 now = m_clock.elapsed();
        for (auto it = m_typingSentMs.begin(); it != m_typingSentMs.end();) {
            if (now - m_typingKeyMs.value(it.key(), 0) >= kTypingIdleMs) {
                if (m_session->isLoggedIn()) {
                    m_session->setTyping(it.key(), false);
                }
                m_typingKeyMs.remove(it.key());
                it = m_typingSentMs.erase(it);
            } else {
                ++it;
            }
        }
        flushOutput();
    }
    if (q.m_state == ConnectionState::Reconnecting) {
        emit q.retryCountdown(q.secondsToRetry());
    }
}

void SessionController::Impl::flushOutput() {
    if (!m_session || !m_session->hasOutput()) {
        return;
    }
    const std::vector<std::uint8_t> bytes = m_session->takeOutput();
    if (!channelOpen()) {
        return;
    }
    if (m_connectionPlaintext) {
        m_socket.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
        return;
    }
    net::Buffer wire;
    if (m_layer->encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), wire) != 0) {
        // Not closed from here (the caller may be inside a read): on the next turn.
        m_tlsFailure = "TLS could not seal a record";
        QMetaObject::invokeMethod(
            &q, [this] { pumpTls(); }, Qt::QueuedConnection);
    }
    writeWire(wire);
}

void SessionController::Impl::setState(ConnectionState state) {
    if (q.m_state == state) {
        return;
    }
    q.m_state = state;
    emit q.connectionStateChanged(state);
}

// ---- session events -------------------------------------------------------------

void SessionController::Impl::onProtocolError(proto::ProtocolError error) {
    emit q.connectionMessage(SessionController::tr("The server sent data that is not Parley (%1).")
                                 .arg(QString::fromLatin1(proto::toString(error))));
    flushOutput();  // the session's ERROR for the server
    m_socket.disconnectFromHost();
}

void SessionController::Impl::onConnectionDead() {
    emit q.connectionMessage(
        SessionController::tr("No answer from the server for %1 s.").arg(session::kDeadAfterMs / 1000));
    m_socket.abort();
}

void SessionController::Impl::onStateChanged(session::SessionState state) {
    if (state == session::SessionState::LoggingIn) {
        setState(ConnectionState::LoggingIn);
    }
}

void SessionController::Impl::onRegisterResult(const proto::RegisterResult& result) {
    if (result.status == proto::AuthStatus::Ok) {
        emit q.registerSucceeded();
        return;
    }
    emit q.registerFailed(toRegisterField(result.status), fromUtf8(result.text));
}

void SessionController::Impl::onLoginResult(const proto::LoginResult& result) {
    if (result.status == proto::AuthStatus::Ok) {
        m_loggedInOnce = true;
        m_backoff.reset();
        m_rotation.succeeded();
        if (m_loginRequested) {
            m_loginRequested = false;
            emit q.loginSucceeded();
        }
        return;
    }
    QString text = fromUtf8(result.text);
    if (result.status == proto::AuthStatus::Throttled && result.retryAfterSeconds > 0) {
        text += QLatin1Char(' ') +
                SessionController::tr("Try again in %n s.", nullptr, static_cast<int>(result.retryAfterSeconds));
    }
    const bool wasAsked = m_loginRequested;
    m_loginRequested = false;
    if (!m_session->shouldReconnect()) {
        m_wantOnline = false;
        setState(ConnectionState::Offline);
    } else if (m_loggedInOnce) {
        // A re-login the server could not do now (throttled, database down): try
        // again on a new connection after the backoff, not on this one forever.
        QMetaObject::invokeMethod(
            &q, [this] { m_socket.abort(); }, Qt::QueuedConnection);
    }
    if (isTokenRefusal(result.status)) {
        // Also when a re-login finds the token revoked: back to the login window.
        emit q.savedLoginRefused(m_account, text);
    }
    if (wasAsked || !m_loggedInOnce) {
        emit q.loginFailed(toLoginError(result.status), text);
    } else if (!isTokenRefusal(result.status)) {
        emit q.connectionMessage(text);
    }
}

void SessionController::Impl::onLoginToken(const std::string& username, const proto::IssuedToken& token) {
    m_password.clear();  // the token logs in from now on
    m_token = QString::fromStdString(token.token);
    const QString user = QString::fromStdString(username);
    if (const std::error_code error = tokenFile(m_paths, q.m_server, user).save(token.token)) {
        emit q.connectionMessage(SessionController::tr("The login cannot be remembered on this computer: %1")
                                     .arg(QString::fromStdString(error.message())));
    }
}

void SessionController::Impl::onPasswordNeeded(const std::string& username, const std::string& /*why*/) {
    m_token.clear();
    tokenFile(m_paths, q.m_server, QString::fromStdString(username)).forget();
}

void SessionController::Impl::onKicked(proto::KickReason reason, const std::string& text) {
    if (reason == proto::KickReason::ServerShutdown && (!m_password.isEmpty() || !m_token.isEmpty())) {
        // Not about this account: come back once the server is up again (the
        // credentials are given back to the session when this connection is gone).
        m_reloginAfterClose = true;
        emit q.connectionMessage(describeKick(reason, text));
        return;
    }
    m_wantOnline = false;
    m_password.clear();
    m_retryTimer.stop();
    setState(ConnectionState::Offline);
    emit q.kicked(describeKick(reason, text));
}

void SessionController::Impl::onServerError(const proto::Error& error) { m_lastServerError = fromUtf8(error.text); }

void SessionController::Impl::onContactsChanged(const session::ContactList& contacts) {
    QHash<quint32, ConversationSummary> summaries;
    if (m_store) {
        for (const ConversationSummary& summary : m_store->summaries()) {
            summaries.insert(summary.peer, summary);
        }
    }
    QVector<ContactEntry> entries;
    entries.reserve(static_cast<int>(contacts.size()) + 1);
    const auto withSummary = [&summaries](ContactEntry entry) {
        const auto found = summaries.constFind(entry.userId);
        if (found != summaries.constEnd()) {
            entry.unread = found->unread;
            entry.lastPreview = preview(found->lastText);
            entry.lastTimeMs = found->lastTimeMs;
        }
        return entry;
    };
    ContactEntry room;
    room.userId = kRoomPeerId;
    room.name = QStringLiteral("room");
    room.displayName = SessionController::tr("Everyone (room)");
    room.isRoom = true;
    room.online = true;
    entries.append(withSummary(room));
    for (const auto& [id, contact] : contacts) {
        if (id == m_session->userId()) {
            continue;  // oneself is at the top of the window, not in the list
        }
        ContactEntry entry;
        entry.userId = contact.userId;
        entry.name = fromUtf8(contact.username);
        entry.displayName = fromUtf8(contact.displayName);
        entry.online = contact.state == proto::PresenceState::Online;
        entries.append(withSummary(entry));
    }
    m_contacts.setContacts(std::move(entries));
    for (auto& [peer, model] : m_conversations) {
        nameSenders(*model);
    }
}

void SessionController::Impl::onPresenceChanged(const proto::Contact& contact) {
    if (contact.userId == m_session->userId()) {
        return;
    }
    ContactEntry entry;
    entry.userId = contact.userId;
    entry.name = fromUtf8(contact.username);
    entry.displayName = fromUtf8(contact.displayName);
    entry.online = contact.state == proto::PresenceState::Online;
    m_contacts.upsert(entry);
}

void SessionController::Impl::onReady(bool /*first*/) {
    setState(ConnectionState::Connected);
    if (m_transfers) {
        m_transfers->ready();
    }
    emit q.ready();
}

void SessionController::Impl::onChatReceived(session::UserId from, session::MessageId id, std::uint64_t timestampMs,
                                             const std::string& text) {
    incoming(from, from, id, timestampMs, text);
}

void SessionController::Impl::onRoomMessageReceived(session::UserId from, session::MessageId id,
                                                    std::uint64_t timestampMs, const std::string& text) {
    incoming(kRoomPeerId, from, id, timestampMs, text);
}

void SessionController::Impl::incoming(quint32 peer, quint32 sender, quint64 id, std::uint64_t timestampMs,
                                       const std::string& text) {
    if (!m_store) {
        return;
    }
    const StoredMessage stored =
        m_store->addIncoming(peer, sender, id, static_cast<qint64>(timestampMs), fromUtf8(text));
    if (stored.rowId == 0) {
        return;  // a duplicate (already in the history), or not written (handleReadyRead sees it)
    }
    const auto model = m_conversations.find(peer);
    if (model != m_conversations.end()) {
        model->second->append(stored);
    }
    IncomingSummary& summary = m_incoming[peer];
    if (!m_visible.contains(peer)) {
        ++summary.count;
    }
    summary.lastId = std::max(summary.lastId, static_cast<quint64>(id));
    summary.senderName = nameOf(sender);
    summary.preview = preview(stored.text);
    summary.timeMs = stored.timeMs;
}

void SessionController::Impl::applyIncomingBatch() {
    // Once per read, not per message: a burst of 10,000 costs a few updates.
    std::map<quint32, IncomingSummary> batch;
    batch.swap(m_incoming);
    for (const auto& [peer, summary] : batch) {
        if (summary.count > 0) {
            m_store->addUnread(peer, summary.count);
            m_contacts.addUnread(peer, summary.count);
        }
        m_contacts.setLastMessage(peer, summary.preview, summary.timeMs);
        if (m_visible.contains(peer)) {
            sendRead(peer, summary.lastId);  // after the ACK Received of this read (flushOutput above)
        }
        emit q.messageReceived(peer, summary.senderName, summary.preview);
    }
    if (!batch.empty()) {
        emit q.unreadTotalChanged(m_contacts.unreadTotal());
    }
    reportStoreError();
}

void SessionController::Impl::onMessageQueued(const session::OutgoingMessage& message) {
    const quint32 peer = message.type == proto::MessageType::Room ? kRoomPeerId : message.peer;
    const StoredMessage stored = m_store->addOutgoing(peer, m_session->userId(), message.id,
                                                      static_cast<qint64>(message.timestampMs), fromUtf8(message.text));
    if (stored.rowId == 0) {
        return;  // reported by reportStoreError(); the session still sends it
    }
    const auto model = m_conversations.find(peer);
    if (model != m_conversations.end()) {
        model->second->append(stored);
    }
    m_contacts.setLastMessage(peer, preview(stored.text), stored.timeMs);
}

void SessionController::Impl::onMessageStateChanged(session::UserId peer, session::MessageId id,
                                                    session::MessageState state) {
    DeliveryState shown = DeliveryState::Sending;
    QString reason;
    switch (state) {
    case session::MessageState::Pending: return;
    case session::MessageState::Stored: shown = DeliveryState::Stored; break;
    case session::MessageState::Delivered:
    case session::MessageState::Broadcast: shown = DeliveryState::Delivered; break;
    case session::MessageState::Abandoned:
        shown = DeliveryState::Refused;
        reason = SessionController::tr("not sent: another account logged in");
        break;
    case session::MessageState::Refused:
        shown = DeliveryState::Refused;
        reason = m_lastServerError;
        break;
    }
    if (m_store) {
        m_store->setState(id, shown, reason);
    }
    const auto model = m_conversations.find(peer);
    if (model != m_conversations.end()) {
        model->second->setState(id, shown, reason);
    }
    emit q.messageStateChanged(peer, id, shown);
}

void SessionController::Impl::onRead(session::UserId reader, session::MessageId upTo) {
    if (m_store) {
        m_store->markRead(reader, upTo);
    }
    const auto model = m_conversations.find(reader);
    if (model != m_conversations.end()) {
        model->second->markRead(upTo);
    }
    emit q.messageStateChanged(reader, upTo, DeliveryState::Read);
}

void SessionController::Impl::onTyping(session::UserId from, bool typing) { emit q.peerTyping(from, typing); }

// ---- small helpers --------------------------------------------------------------

QString SessionController::Impl::nameOf(quint32 userId) const {
    if (m_session && userId == m_session->userId() && userId != 0) {
        return m_account;
    }
    if (const ContactEntry* entry = m_contacts.find(userId)) {
        return entry->displayName.isEmpty() ? entry->name : entry->displayName;
    }
    return SessionController::tr("user #%1").arg(userId);
}

void SessionController::Impl::nameSenders(ConversationModel& model) const {
    model.setOwnName(m_account);
    if (m_session && m_session->userId() != 0) {
        model.setSenderName(m_session->userId(), m_account);
    }
    if (model.peer() != kRoomPeerId) {
        model.setSenderName(model.peer(), nameOf(model.peer()));
        return;
    }
    for (int row = 0; row < m_contacts.rowCount(); ++row) {
        const quint32 id = m_contacts.index(row).data(ContactListModel::UserIdRole).toUInt();
        model.setSenderName(id, nameOf(id));
    }
}

void SessionController::Impl::reportStoreError() {
    if (!m_store) {
        return;
    }
    const QString error = m_store->lastWriteError();
    if (!error.isEmpty() && error != m_reportedStoreError) {
        m_reportedStoreError = error;
        emit q.storeError(SessionController::tr("The message history could not be saved: %1").arg(error));
    }
}

// ---- SessionController ------------------------------------------------------------

SessionController::SessionController(AccountPaths paths, QObject* parent)
    : QObject(parent), m_impl(std::make_unique<Impl>(*this, std::move(paths))) {
    qRegisterMetaType<ConnectionState>();
    qRegisterMetaType<LoginError>();
    qRegisterMetaType<RegisterField>();
    qRegisterMetaType<DeliveryState>();
    qRegisterMetaType<ServerAddress>();
}

SessionController::~SessionController() = default;

void SessionController::connectToServer(const ServerAddress& server) { m_impl->connectTo(server); }

QString SessionController::currentNode() const { return m_impl->currentNodeText(); }

void SessionController::logIn(const QString& userName, const QString& password, bool remember) {
    m_impl->logIn(userName, password, remember);
}

bool SessionController::logInWithSavedLogin(const QString& userName) { return m_impl->logInSaved(userName); }

bool SessionController::hasSavedLogin(const ServerAddress& server, const QString& userName) const {
    return tokenFile(m_impl->m_paths, server, userName).load().has_value();
}

void SessionController::registerAccount(const QString& userName, const QString& displayName, const QString& password) {
    m_impl->registerAccount(userName, displayName, password);
}

void SessionController::logOut() { m_impl->logOut(); }

bool SessionController::sendChat(quint32 peerId, const QString& text) { return m_impl->send(peerId, text); }

void SessionController::setTyping(quint32 peerId) { m_impl->typing(peerId); }

void SessionController::markConversationVisible(quint32 peerId, bool visible) { m_impl->setVisible(peerId, visible); }

ContactListModel* SessionController::contacts() const { return &m_impl->m_contacts; }

ConversationModel* SessionController::conversation(quint32 peerId) { return m_impl->conversation(peerId); }

quint32 SessionController::ownUserId() const { return m_impl->m_session ? m_impl->m_session->userId() : 0; }

QString SessionController::ownName() const { return m_impl->m_account; }

QString SessionController::ownDisplayName() const {
    return m_impl->m_session ? fromUtf8(m_impl->m_session->displayName()) : QString();
}

int SessionController::secondsToRetry() const {
    if (m_state != ConnectionState::Reconnecting || m_impl->m_retryAtMs == 0) {
        return 0;
    }
    const qint64 left = m_impl->m_retryAtMs - m_impl->m_clock.elapsed();
    return left <= 0 ? 0 : static_cast<int>((left + 999) / 1000);
}

HistoryStore* SessionController::store() const { return m_impl->m_store.get(); }
const AccountPaths& SessionController::paths() const { return m_impl->m_paths; }

TransferController* SessionController::transfers() const { return m_impl->m_transfers.get(); }

int SessionController::outboxSize() const {
    return m_impl->m_session ? static_cast<int>(m_impl->m_session->outboxSize()) : 0;
}

void SessionController::setPlaintext(bool plaintext) { m_impl->m_plaintext = plaintext; }

bool SessionController::isPlaintext() const { return m_impl->m_plaintext; }

QString SessionController::setCaCertificatesFile(const QString& file) {
    if (QSslCertificate::fromPath(file, QSsl::Pem).isEmpty()) {
        return tr("%1 holds no PEM certificate (or cannot be read).").arg(file);
    }
    m_impl->m_caFile = file;
    m_impl->m_tls.reset();  // made again for this file at the next connection
    return {};
}

bool SessionController::isSecure() const { return !m_impl->m_connectionPlaintext && m_impl->channelOpen(); }

QString SessionController::serverFingerprint() const { return m_impl->m_fingerprint; }

void SessionController::trustCertificate(const QString& fingerprint) {
    if (!m_impl->m_awaitingTrust) {
        return;
    }
    if (const QString failed = m_impl->m_pins.pin(m_server, fingerprint); !failed.isEmpty()) {
        m_impl->abandonAttempt(tr("Cannot remember the certificate of %1: %2").arg(m_server.toString(), failed));
        return;
    }
    m_impl->m_awaitingTrust = false;
    m_impl->setState(ConnectionState::Connecting);
    m_impl->openSocket();
}

void SessionController::declineCertificate() {
    if (!m_impl->m_awaitingTrust) {
        return;
    }
    m_impl->abandonAttempt(tr("Not connected: you did not trust the certificate of %1.").arg(m_server.toString()));
}

QString SessionController::pinnedFingerprint(const ServerAddress& server) const {
    return m_impl->m_pins.pinned(server);
}

QString SessionController::forgetCertificate(const ServerAddress& server) { return m_impl->m_pins.forget(server); }

void SessionController::setReconnectDelays(int firstMs, int maxMs) {
    m_impl->m_backoff = session::Backoff(static_cast<std::uint64_t>(firstMs), static_cast<std::uint64_t>(maxMs),
                                         [] { return QRandomGenerator::global()->generate(); });
}

}  // namespace parley::gui
