#pragma once

#include "platform/InetAddress.h"
#include "platform/IoHandler.h"
#include "platform/Reactor.h"
#include "platform/Socket.h"

#include <chrono>
#include <functional>

namespace parley::net {

/// A listening socket on a loop (muduo Acceptor); hands each accepted, non-blocking
/// socket to a callback on the loop thread.
///
/// Descriptor exhaustion (EMFILE/ENFILE/ENOBUFS/ENOMEM) and other listener errors pause
/// accepting for kPauseOnError instead of spinning on a listener that stays readable;
/// pending clients wait in the backlog meanwhile. Each pause is logged as a warning.
class Acceptor final : private IoHandler {
public:
    using NewConnectionCallback = std::function<void(Socket socket, const InetAddress& peer)>;

    static constexpr std::chrono::milliseconds kPauseOnError{100};
    static constexpr int kMaxAcceptsPerEvent = 64;

    /// Any thread. Opens, binds (SO_REUSEADDR) and listens at once, so a busy port is
    /// reported here: throws std::system_error.
    Acceptor(Reactor& loop, const InetAddress& listenAddress, NewConnectionCallback callback);
    /// Loop thread if it is still accepting; any thread after stop() or after the loop ended.
    ~Acceptor();

    Acceptor(const Acceptor&) = delete;
    Acceptor& operator=(const Acceptor&) = delete;

    /// Loop thread. Starts accepting.
    void start();
    /// Loop thread. Stops accepting and closes the listening socket, so the port can be
    /// bound again at once. Idempotent.
    void stop();

    /// Any thread. The bound address (with the actual port if 0 was asked for).
    const InetAddress& address() const { return m_address; }

private:
    void handleEvents(IoEvents ready) override;
    void handleLoopExit() override;
    void pause(int error);

    Reactor& m_loop;
    Socket m_socket;
    InetAddress m_address;
    NewConnectionCallback m_callback;
    TimerId m_resumeTimer = kInvalidTimerId;
    bool m_registered = false;
};

}  // namespace parley::net
