#pragma once

#include "platform/Compat.h"
#include "platform/IoEvents.h"
#include "platform/IoHandler.h"

#include <vector>

namespace parley::net {

/// One ready socket, as reported by Poller::poll.
struct ReadyEvent {
    IoHandler* handler;
    IoEvents events;
};

using ReadyList = std::vector<ReadyEvent>;

/// The backend interface behind the Reactor (muduo Poller.h, redis aeApi*): a set of
/// sockets with an interest mask each, plus a thread-safe wake-up. Backends are level
/// triggered and never own the sockets they poll.
///
/// Everything except wakeup() is called on the loop thread only. Errors are errno-like
/// codes (0 = success); implementations catch their library's exceptions and retry EINTR.
class Poller {
public:
    virtual ~Poller() = default;
    Poller(const Poller&) = delete;
    Poller& operator=(const Poller&) = delete;

    virtual const char* name() const = 0;

    /// Registers a socket that is not registered yet.
    virtual int add(SocketHandle socket, IoEvents interest, IoHandler& handler) = 0;
    /// Changes the interest of a registered socket (None is allowed).
    virtual int update(SocketHandle socket, IoEvents interest, IoHandler& handler) = 0;
    /// Unregisters a socket; must be called before the socket is closed.
    virtual int remove(SocketHandle socket) = 0;

    /// Waits up to timeoutMs (0 = do not block) and appends ready sockets to `ready`.
    /// A wake-up or EINTR ends the wait early with nothing appended.
    virtual int poll(int timeoutMs, ReadyList& ready) = 0;

    /// Any thread: makes a concurrent or the next poll() return promptly.
    virtual void wakeup() = 0;

protected:
    Poller() = default;
};

}  // namespace parley::net
