#include "platform/PocoPoller.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>

#include <algorithm>
#include <system_error>

namespace parley::net {

namespace {

// A StreamSocketImpl that borrows a handle: SocketImpl's destructor closes whatever
// handle it still holds, so this one hands it back (reset) first. The parley::net::Socket
// that owns the handle closes it, after the poller has unregistered it.
class BorrowedSocketImpl final : public Poco::Net::StreamSocketImpl {
public:
    explicit BorrowedSocketImpl(SocketHandle handle) : Poco::Net::StreamSocketImpl(handle) {}

protected:
    ~BorrowedSocketImpl() override { reset(); }
};

Poco::Net::Socket borrow(SocketHandle handle) {
    // Poco::Net::Socket adopts a raw, reference-counted SocketImpl*; there is no factory
    // that would avoid this `new` (the impl's destructor is protected).
    return Poco::Net::StreamSocket(new BorrowedSocketImpl(handle));
}

int toMode(IoEvents interest) {
    int mode = Poco::Net::PollSet::POLL_ERROR;
    if (hasAny(interest, IoEvents::Readable)) {
        mode |= Poco::Net::PollSet::POLL_READ;
    }
    if (hasAny(interest, IoEvents::Writable)) {
        mode |= Poco::Net::PollSet::POLL_WRITE;
    }
    return mode;
}

IoEvents fromMode(int mode) {
    IoEvents events = IoEvents::None;
    if ((mode & Poco::Net::PollSet::POLL_READ) != 0) {
        events |= IoEvents::Readable;
    }
    if ((mode & Poco::Net::PollSet::POLL_WRITE) != 0) {
        events |= IoEvents::Writable;
    }
    if ((mode & Poco::Net::PollSet::POLL_ERROR) != 0) {
        events |= IoEvents::Error;
    }
    return events;
}

int codeOf(const Poco::Exception& e) {
    // Socket errors carry the native error code; other Poco exceptions carry 0.
    return e.code() != 0 ? e.code() : static_cast<int>(std::errc::io_error);
}

}  // namespace

// Poco 1.11 has no PollSet::wakeUp(), and a pipe or eventfd is not portable (WSAPoll only
// polls sockets). A connected pair of loopback UDP sockets created through Poco works
// everywhere: wakeup() sends one datagram, poll() sees the receiver readable and drains
// it. A full receive buffer only drops datagrams while a wake-up is pending anyway. The
// receiver also keeps the PollSet non-empty: PollSet::poll returns at once, without
// waiting, when no socket is registered.
PocoPoller::PocoPoller() {
    try {
        m_wakeReceiver.bind(Poco::Net::SocketAddress("127.0.0.1", 0));
        m_wakeReceiver.setBlocking(false);
        m_wakeSender.connect(m_wakeReceiver.address());
        m_wakeSender.setBlocking(false);
        m_pollSet.add(m_wakeReceiver, Poco::Net::PollSet::POLL_READ);
    } catch (const Poco::Exception& e) {
        throw std::system_error(codeOf(e), std::system_category(), "poco poller wake-up sockets: " + e.displayText());
    }
}

PocoPoller::~PocoPoller() = default;

void PocoPoller::markDirty(SocketHandle socket, Entry& entry) {
    if (!entry.dirty) {
        entry.dirty = true;
        m_dirty.push_back(socket);
    }
}

int PocoPoller::add(SocketHandle socket, IoEvents interest, IoHandler& handler) {
    auto [it, inserted] =
        m_entries.try_emplace(socket, Entry{borrow(socket), &handler, interest, IoEvents::None, false});
    if (!inserted) {
        return static_cast<int>(std::errc::file_exists);
    }
    markDirty(socket, it->second);
    return 0;
}

int PocoPoller::update(SocketHandle socket, IoEvents interest, IoHandler& handler) {
    const auto it = m_entries.find(socket);
    if (it == m_entries.end()) {
        return static_cast<int>(std::errc::no_such_file_or_directory);
    }
    it->second.wanted = interest;
    it->second.handler = &handler;
    markDirty(socket, it->second);
    return 0;
}

// Removal is immediate, not batched: the caller closes the socket right after.
int PocoPoller::remove(SocketHandle socket) {
    const auto it = m_entries.find(socket);
    if (it == m_entries.end()) {
        return static_cast<int>(std::errc::no_such_file_or_directory);
    }
    int error = 0;
    if (it->second.applied != IoEvents::None) {
        try {
            m_pollSet.remove(it->second.socket);
        } catch (const Poco::Exception& e) {
            error = codeOf(e);
        }
        m_removedSincePoll.push_back(socket);
    }
    m_entries.erase(it);
    return error;
}

// Why batch: with the WSAPoll/poll implementation of PollSet (Windows, BSD), add() only
// queues the socket until the next poll(), and an update() before that poll is lost; and
// remove() drops the descriptor only at the start of the next poll(), so adding a
// recycled handle value before then leaves a stale duplicate. Applying the net change
// once per iteration never calls update() on a fresh socket, and a handle removed since
// the last poll is added one (zero-timeout) poll later. A socket whose interest becomes
// None leaves the PollSet: its epoll variant drops EPOLLHUP, so a hung-up socket
// registered with no interest would make epoll_wait return at once, forever.
bool PocoPoller::applyChanges(ReadyList& ready) {
    std::vector<SocketHandle> deferred;
    for (const SocketHandle socket : m_dirty) {
        const auto it = m_entries.find(socket);
        if (it == m_entries.end() || !it->second.dirty) {
            continue;
        }
        Entry& entry = it->second;
        const bool recycled =
            std::find(m_removedSincePoll.begin(), m_removedSincePoll.end(), socket) != m_removedSincePoll.end();
        if (entry.applied == IoEvents::None && entry.wanted != IoEvents::None && recycled) {
            deferred.push_back(socket);
            continue;
        }
        entry.dirty = false;
        try {
            if (entry.wanted == IoEvents::None) {
                if (entry.applied != IoEvents::None) {
                    m_pollSet.remove(entry.socket);
                }
            } else if (entry.applied == IoEvents::None) {
                m_pollSet.add(entry.socket, toMode(entry.wanted));
            } else if (entry.wanted != entry.applied) {
                m_pollSet.update(entry.socket, toMode(entry.wanted));
            }
            entry.applied = entry.wanted;
        } catch (const Poco::Exception&) {
            // The socket cannot be polled; its handler learns it as an error.
            ready.push_back({entry.handler, IoEvents::Error});
        }
    }
    m_removedSincePoll.clear();
    m_dirty.clear();  // keeps its capacity for the next iteration
    m_dirty.insert(m_dirty.end(), deferred.begin(), deferred.end());
    return !m_dirty.empty();
}

int PocoPoller::poll(int timeoutMs, ReadyList& ready) {
    try {
        const bool pending = applyChanges(ready);
        using Microseconds = Poco::Timespan::TimeDiff;
        const Microseconds timeoutUs = pending || !ready.empty() ? Microseconds{0} : Microseconds{1000} * timeoutMs;
        // PollSet::poll retries EINTR itself.
        const Poco::Net::PollSet::SocketModeMap result = m_pollSet.poll(Poco::Timespan(timeoutUs));
        for (const auto& [socket, mode] : result) {
            if (socket == m_wakeReceiver) {
                drainWakeup();
                continue;
            }
            const auto it = m_entries.find(socket.impl()->sockfd());
            if (it == m_entries.end()) {
                continue;
            }
            const IoEvents events = fromMode(mode) & (it->second.applied | IoEvents::Error);
            if (events != IoEvents::None) {
                ready.push_back({it->second.handler, events});
            }
        }
        return 0;
    } catch (const Poco::Exception& e) {
        return codeOf(e);
    }
}

void PocoPoller::wakeup() {
    const char byte = 0;
    try {
        m_wakeSender.sendBytes(&byte, 1);
    } catch (const Poco::Exception&) {
        // Would block: the receiver is full of wake-ups already.
    }
}

void PocoPoller::drainWakeup() {
    char buffer[64];
    try {
        while (m_wakeReceiver.receiveBytes(buffer, sizeof buffer) > 0) {}
    } catch (const Poco::Exception&) {
        // Drained (non-blocking receive reports "would block" as an exception on some versions).
    }
}

}  // namespace parley::net
