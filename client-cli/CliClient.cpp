#include "client-cli/CliClient.h"

#include "client-cli/CliFormat.h"
#include "platform/Buffer.h"
#include "platform/Now.h"
#include "platform/TcpConnection.h"
#include "platform/tls/TlsLayer.h"

#include <algorithm>
#include <iostream>
#include <string_view>
#include <system_error>
#include <utility>

namespace parley::client {

using namespace std::chrono_literals;

CliClient::CliClient(CliOptions options)
    : m_options(std::move(options)),
      m_session(*this),
      m_tokenFile(
          session::LoginTokenFile::inStateDirectory(m_options.stateDirectory, m_options.serverText(), m_options.user)),
      m_trust(m_options) {
    // The session hands each message over as soon as it is produced; the connection
    // buffers it and writes once per loop iteration.
    m_session.setOutputCallback([this](const std::uint8_t* data, std::size_t size) {
        if (m_connection) {
            m_connection->send(std::string_view(reinterpret_cast<const char*>(data), size));
        }
    });
}

CliClient::~CliClient() = default;

// ---- the run -------------------------------------------------------------------------

Outcome CliClient::run() {
    for (const CliOptions::Server& entry : m_options.serverList()) {
        const auto address = net::InetAddress::parse(entry.host, entry.port);
        if (!address) {
            return {ExitCode::Usage, "not a numeric address: " + entry.host};
        }
        m_servers.push_back(*address);
    }
    m_rotation = session::ServerRotation(m_servers.size());
    const net::InetAddress* server = &m_servers.front();
    if (!m_options.plaintext) {
        if (std::string failed = m_trust.load(); !failed.empty()) {
            return {ExitCode::Usage, failed};
        }
        net::TlsClientSettings settings;
        settings.caFile = m_options.caFile;
        try {
            m_tls = net::TlsContext::client(settings);
        } catch (const net::TlsError& error) {
            return {ExitCode::Usage, error.what()};
        }
    }
    try {
        m_loop = &m_loopThread.start();
    } catch (const std::system_error& error) {
        return {ExitCode::Connect, std::string("cannot start the event loop: ") + error.what()};
    }
    m_tcp = std::make_unique<net::TcpClient>(*m_loop, *server);
    net::ConnectionCallbacks callbacks;
    callbacks.onConnection = [this](const net::TcpConnectionPtr& c) { handleConnected(c); };
    callbacks.onMessage = [this](const net::TcpConnectionPtr& c, net::Buffer& b) { handleBytes(c, b); };
    callbacks.onClose = [this](const net::TcpConnectionPtr& c) { handleClosed(c); };
    // File chunks wait for an almost empty socket queue, so that chat never queues behind
    // them; each time it drains, more may go.
    callbacks.onWriteComplete = [this](const net::TcpConnectionPtr&) {
        if (m_transfers && !m_finishing) {
            m_transfers->onOutputDrained();
        }
    };
    m_tcp->setCallbacks(std::move(callbacks));
    m_tcp->setConnectFailedCallback([this](const std::error_code& e) { handleConnectFailed(e); });
    m_loop->post([this, address = *server] { begin(address); });

    std::unique_lock<std::mutex> lock(m_doneMutex);
    m_doneChanged.wait(lock, [this] { return m_done; });
    lock.unlock();

    m_tcp->stop();
    m_loopThread.stop();
    return m_outcome;
}

void CliClient::begin(const net::InetAddress& server) {
    m_loop->runEvery(1s, [this] {
        if (!m_finishing) {
            m_session.tick(nowMs());
        }
    });
    setDeadline(m_options.timeout, "connecting to " + server.toString() + " and logging in");
    onStart();
    if (!m_finishing) {
        m_tcp->connect();
    }
}

void CliClient::finish(Outcome outcome) {
    if (!startEnding(std::move(outcome))) {
        return;
    }
    cancelDeadline();
    // LOGOUT after whatever is queued (ACKs); no more re-logins. LOGOUT revokes the
    // login token, so a run that keeps one only closes (the `logout` command revokes).
    if (m_session.usesToken() && m_options.command != Command::Logout) {
        m_session.leave();
    } else {
        m_session.logout();
    }
    if (!m_connection) {
        complete();
        return;
    }
    // Half-close: what is queued is written, then FIN; the server answers by closing
    // (handleClosed completes). Closing outright could reset the connection while the
    // server still has our last bytes unread.
    m_connection->shutdown();
    m_graceTimer = m_loop->runAfter(kCloseGrace, [this] {
        m_graceTimer = net::kInvalidTimerId;
        if (m_connection && m_connection->outputBytes() > 0 && m_outcome.code == ExitCode::Ok) {
            m_outcome = {ExitCode::Timeout, "timed out writing the last bytes to the server"};
        }
        complete();
    });
}

void CliClient::fail(Outcome outcome) {
    if (startEnding(std::move(outcome))) {
        complete();
    }
}

bool CliClient::startEnding(Outcome outcome) {
    m_loop->assertInLoopThread();
    if (m_finishing) {
        return false;  // the first outcome stands
    }
    m_finishing = true;
    m_outcome = std::move(outcome);
    return true;
}

void CliClient::logIn() {
    const std::optional<std::string> token = m_options.remember ? m_tokenFile.load() : std::nullopt;
    if (!token && m_options.password.empty()) {
        fail({ExitCode::Usage, "--password is missing (or set PARLEY_PASSWORD): there is no saved login for " +
                                   m_options.user + " at " + m_options.serverText()});
        return;
    }
    const session::SessionError error = token ? m_session.loginWithToken(m_options.user, *token)
                                              : m_session.login(m_options.user, m_options.password, m_options.remember);
    if (error != session::SessionError::None) {
        fail({ExitCode::Usage, std::string("cannot log in with these credentials: ") + session::toString(error)});
    }
}

void CliClient::complete() {
    cancelDeadline();
    for (net::TimerId* timer : {&m_retryTimer, &m_graceTimer}) {
        if (*timer != net::kInvalidTimerId) {
            m_loop->cancel(*timer);
            *timer = net::kInvalidTimerId;
        }
    }
    const std::lock_guard<std::mutex> lock(m_doneMutex);
    m_done = true;
    m_doneChanged.notify_all();
}

void CliClient::setDeadline(std::chrono::milliseconds delay, std::string what) {
    m_loop->assertInLoopThread();
    cancelDeadline();
    m_deadline = m_loop->runAfter(delay, [this, what = std::move(what)] {
        m_deadline = net::kInvalidTimerId;
        fail({ExitCode::Timeout, "timed out " + what});
    });
}

void CliClient::cancelDeadline() {
    if (m_deadline != net::kInvalidTimerId) {
        m_loop->cancel(m_deadline);
        m_deadline = net::kInvalidTimerId;
    }
}

bool CliClient::post(std::function<void()> fn) { return m_loop != nullptr && m_loop->post(std::move(fn)); }

void CliClient::enableFileTransfers() {
    if (m_transfers) {
        return;
    }
    m_fileIo = std::make_unique<fileio::ThreadedFileIo>([this](std::function<void()> fn) { post(std::move(fn)); });
    m_transfers = std::make_unique<transfer::TransferManager>(m_session, m_fileIo->io(),
                                                              static_cast<transfer::TransferListener&>(*this));
    m_transfers->setOutputBacklog([this] { return m_connection ? m_connection->outputBytes() : std::size_t{0}; });
}

void CliClient::onIncomingOffer(const transfer::TransferInfo& info) {
    m_transfers->reject(info.number, "this client does not take files now");
}

// ---- the connection ----------------------------------------------------------------

void CliClient::handleConnected(const net::TcpConnectionPtr& connection) {
    if (m_finishing) {
        connection->forceClose();
        return;
    }
    m_connection = connection;
    m_closeReason.clear();
    m_tlsFailure.clear();
    if (m_tls) {
        startTls(connection);  // the session opens once the server is trusted
    } else {
        established(connection);
    }
}

void CliClient::startTls(const net::TcpConnectionPtr& connection) {
    net::TlsEvents events;
    const std::weak_ptr<net::TcpConnection> weak = connection;
    events.onEstablished = [this, weak] {
        if (const net::TcpConnectionPtr c = weak.lock()) {
            established(c);
        }
    };
    events.trust = [this](const net::TlsPeer& peer) { return m_trust.accept(peer); };
    events.onFailure = [this](const std::string& reason) { m_tlsFailure = reason; };
    connection->setStreamLayer(net::TlsLayer::client(m_tls, m_options.certificateName(), std::move(events)));
}

void CliClient::established(const net::TcpConnectionPtr& connection) {
    if (connection != m_connection || m_finishing) {
        return;
    }
    m_everConnected = true;
    m_session.connectionOpened(nowMs());
    onConnected();
}

void CliClient::handleBytes(const net::TcpConnectionPtr& connection, net::Buffer& buffer) {
    // After finish() nothing is shown, so nothing may be acknowledged either: a message
    // that arrives now stays on the server for the next login.
    if (connection == m_connection && !m_finishing) {
        m_session.receive(reinterpret_cast<const std::uint8_t*>(buffer.peek()), buffer.readableBytes(), nowMs());
    }
    buffer.retrieveAll();
}

void CliClient::handleClosed(const net::TcpConnectionPtr& connection) {
    if (connection != m_connection) {
        return;
    }
    m_connection.reset();
    m_session.connectionClosed();
    if (m_finishing) {
        complete();
        return;
    }
    if (!m_trust.refusal().empty()) {
        // Never retried: the same certificate would be refused again.
        fail({ExitCode::Untrusted, m_trust.refusal(), m_trust.unknownFingerprint()});
        return;
    }
    if (!m_tlsFailure.empty() && !m_everConnected) {
        fail({ExitCode::Connect, "TLS with " + currentServerText() + " failed: " + m_tlsFailure +
                                     " (if that server runs with --plaintext, add --plaintext)"});
        return;
    }
    std::string reason = !m_tlsFailure.empty() ? "TLS: " + m_tlsFailure : m_closeReason;
    if (reason.empty()) {
        const std::error_code error = connection->lastError();
        reason = error ? error.message() : "closed by the server";
    }
    const std::string lost = "connection to " + currentServerText() + " lost: " + reason;
    connectionLost(lost, m_rotation.failed());
}

void CliClient::handleConnectFailed(const std::error_code& error) {
    if (m_finishing) {
        return;
    }
    const std::string reason = "cannot connect to " + currentServerText() + ": " + error.message();
    const bool passOver = m_rotation.failed();
    if (!m_everConnected) {
        if (!passOver) {
            connectCurrent();  // the next server of the list, within the same deadline
            return;
        }
        fail({ExitCode::Connect, m_servers.size() > 1 ? reason + " (nor to any other server of the list)" : reason});
        return;
    }
    connectionLost(reason, passOver);
}

void CliClient::connectionLost(const std::string& reason, bool passOver) {
    if (!m_session.shouldReconnect()) {
        fail({ExitCode::Connect, reason});
        return;
    }
    const std::chrono::milliseconds delay(passOver ? m_backoff.nextDelayMs() : 0);
    m_retryTimer = m_loop->runAfter(delay, [this] {
        m_retryTimer = net::kInvalidTimerId;
        connectCurrent();
    });
    onReconnecting(reason, delay);
}

void CliClient::connectCurrent() { m_tcp->connectTo(m_servers[m_rotation.current()]); }

std::string CliClient::currentServerText() const {
    const CliOptions::Server server = m_options.serverList()[m_rotation.current()];
    return formatServer(server.host, server.port);
}

void CliClient::onReconnecting(const std::string& reason, std::chrono::milliseconds /*retryIn*/) {
    printError(reason + "; reconnecting");
}

// ---- SessionListener -------------------------------------------------------------------

void CliClient::onProtocolError(proto::ProtocolError error) {
    // The session queued an ERROR for the server: let it go out, then close.
    m_closeReason = std::string("the server sent bytes that are not Parley (") + proto::toString(error) + ")";
    if (m_connection) {
        m_connection->close();
    }
}

void CliClient::onConnectionDead() {
    m_closeReason = "no answer from the server for " + std::to_string(session::kDeadAfterMs / 1000) + " s";
    if (m_connection) {
        m_connection->forceClose();
    }
}

void CliClient::onLoginToken(const std::string& /*username*/, const proto::IssuedToken& token) {
    if (const std::error_code error = m_tokenFile.save(token.token)) {
        printError("cannot save the login token in " + m_tokenFile.path().string() + ": " + error.message());
    }
}

void CliClient::onPasswordNeeded(const std::string& /*username*/, const std::string& /*why*/) {
    m_tokenFile.forget();
    m_passwordFallback = !m_options.password.empty();
}

void CliClient::onLoginResult(const proto::LoginResult& result) {
    if (m_passwordFallback) {
        // The saved token is gone; the password given on this run logs in (and saves a new one).
        m_passwordFallback = false;
        if (m_session.login(m_options.user, m_options.password, m_options.remember) == session::SessionError::None) {
            return;
        }
    }
    if (result.status != proto::AuthStatus::Ok) {
        const ExitCode code = result.status == proto::AuthStatus::ServerError ? ExitCode::Refused : ExitCode::Auth;
        finish({code, describeLoginFailure(result)});
        return;
    }
    m_backoff.reset();
    m_rotation.succeeded();
    if (m_rotation.current() != 0) {
        printError("logged in on " + currentServerText() + " (server " + std::to_string(m_rotation.current() + 1) +
                   " of " + std::to_string(m_servers.size()) + " in --server)");
    }
}

void CliClient::onReady(bool first) {
    if (m_finishing) {
        return;
    }
    if (first) {
        cancelDeadline();
    }
    onReadyToChat(first);
}

void CliClient::onKicked(proto::KickReason reason, const std::string& text) {
    finish({ExitCode::Refused, describeKick(reason, text)});
}

void CliClient::onChatReceived(session::UserId from, session::MessageId messageId, std::uint64_t timestampMs,
                               const std::string& text) {
    deliver({from, {}, timestampMs, text, false, messageId});
}

void CliClient::onRoomMessageReceived(session::UserId from, session::MessageId messageId, std::uint64_t timestampMs,
                                      const std::string& text) {
    deliver({from, {}, timestampMs, text, true, messageId});
}

void CliClient::deliver(ReceivedMessage message) {
    // The session holds messages back until the contact list is in (onReady).
    message.fromName = nameOf(message.from);
    onMessage(message);
}

// ---- small helpers ---------------------------------------------------------------------

std::string CliClient::nameOf(session::UserId id) const {
    if (const proto::Contact* contact = m_session.contacts().find(id)) {
        return contact->username;
    }
    if (id == m_session.userId() && !m_options.user.empty()) {
        return m_options.user;
    }
    return "user#" + std::to_string(id);
}

void CliClient::printLine(const std::string& line) { std::cout << line << '\n' << std::flush; }

void CliClient::printError(const std::string& line) { std::cerr << line << '\n' << std::flush; }

std::uint64_t CliClient::wallClockMs() { return net::wallNowMs(); }

std::uint64_t CliClient::nowMs() { return net::steadyNowMs(); }

}  // namespace parley::client
