#pragma once

#include "platform/Poller.h"

#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/PollSet.h>
#include <Poco/Net/Socket.h>

#include <unordered_map>
#include <vector>

namespace parley::net {

/// Portable backend over Poco::Net::PollSet (epoll on Linux, WSAPoll on Windows, poll or
/// select elsewhere). This is the backend Windows runs; on Linux it exists for tests and
/// benchmarks. Setup failures throw std::system_error from the constructor; Poco
/// exceptions never leave this class.
///
/// Sockets stay owned by their parley::net::Socket: each registered handle is wrapped in a
/// Poco::Net::StreamSocket whose implementation *borrows* the handle and never closes it.
///
/// Interest changes are applied in one batch just before each poll (see PocoPoller.cpp for
/// the PollSet quirks this avoids).
class PocoPoller final : public Poller {
public:
    PocoPoller();
    ~PocoPoller() override;

    const char* name() const override { return "poco"; }
    int add(SocketHandle socket, IoEvents interest, IoHandler& handler) override;
    int update(SocketHandle socket, IoEvents interest, IoHandler& handler) override;
    int remove(SocketHandle socket) override;
    int poll(int timeoutMs, ReadyList& ready) override;
    void wakeup() override;

private:
    struct Entry {
        Poco::Net::Socket socket;
        IoHandler* handler;
        IoEvents wanted;
        IoEvents applied;  // what the PollSet has; None = not in the PollSet
        bool dirty;
    };

    void markDirty(SocketHandle socket, Entry& entry);
    bool applyChanges(ReadyList& ready);
    void drainWakeup();

    Poco::Net::PollSet m_pollSet;
    Poco::Net::DatagramSocket m_wakeReceiver;
    Poco::Net::DatagramSocket m_wakeSender;
    std::unordered_map<SocketHandle, Entry> m_entries;
    std::vector<SocketHandle> m_dirty;
    std::vector<SocketHandle> m_removedSincePoll;
};

}  // namespace parley::net
