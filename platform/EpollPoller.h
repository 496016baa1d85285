#pragma once

#include "platform/Poller.h"

#include <vector>

struct epoll_event;

namespace parley::net {

/// Linux backend: level-triggered epoll, eventfd wake-up (redis ae_epoll.c, muduo
/// EPollPoller). Setup failures throw std::system_error from the constructor.
class EpollPoller final : public Poller {
public:
    EpollPoller();
    ~EpollPoller() override;

    const char* name() const override { return "epoll"; }
    int add(SocketHandle socket, IoEvents interest, IoHandler& handler) override;
    int update(SocketHandle socket, IoEvents interest, IoHandler& handler) override;
    int remove(SocketHandle socket) override;
    int poll(int timeoutMs, ReadyList& ready) override;
    void wakeup() override;

private:
    int control(int operation, SocketHandle socket, IoEvents interest, IoHandler* handler);
    void drainWakeup();

    static constexpr std::size_t kInitialEvents = 64;
    static constexpr std::size_t kMaxEvents = 4096;

    int m_epollFd;
    int m_wakeFd;
    std::vector<epoll_event> m_events;
};

}  // namespace parley::net
