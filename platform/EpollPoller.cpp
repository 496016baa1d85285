#include "platform/EpollPoller.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace parley::net {

namespace {

std::uint32_t toEpoll(IoEvents interest) {
    std::uint32_t events = 0;
    if (hasAny(interest, IoEvents::Readable)) {
        events |= EPOLLIN;
    }
    if (hasAny(interest, IoEvents::Writable)) {
        events |= EPOLLOUT;
    }
    return events;
}

// EPOLLERR and EPOLLHUP arrive whatever the interest; they become Error so the handler
// can close even when it has stopped reading (otherwise level triggering would spin).
IoEvents fromEpoll(std::uint32_t events) {
    IoEvents result = IoEvents::None;
    if ((events & (EPOLLIN | EPOLLPRI | EPOLLRDHUP)) != 0) {
        result |= IoEvents::Readable;
    }
    if ((events & EPOLLOUT) != 0) {
        result |= IoEvents::Writable;
    }
    if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
        result |= IoEvents::Error;
    }
    return result;
}

}  // namespace

EpollPoller::EpollPoller() : m_epollFd(::epoll_create1(EPOLL_CLOEXEC)), m_wakeFd(-1), m_events(kInitialEvents) {
    if (m_epollFd < 0) {
        throw std::system_error(errno, std::system_category(), "epoll_create1");
    }
    m_wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_wakeFd < 0) {
        const int error = errno;
        ::close(m_epollFd);
        throw std::system_error(error, std::system_category(), "eventfd");
    }
    // The wake-up descriptor is tagged with a null handler pointer.
    if (const int error = control(EPOLL_CTL_ADD, m_wakeFd, IoEvents::Readable, nullptr); error != 0) {
        ::close(m_wakeFd);
        ::close(m_epollFd);
        throw std::system_error(error, std::system_category(), "epoll_ctl(eventfd)");
    }
}

EpollPoller::~EpollPoller() {
    ::close(m_wakeFd);
    ::close(m_epollFd);
}

int EpollPoller::control(int operation, SocketHandle socket, IoEvents interest, IoHandler* handler) {
    epoll_event event{};
    event.events = toEpoll(interest);
    event.data.ptr = handler;
    return ::epoll_ctl(m_epollFd, operation, socket, &event) == 0 ? 0 : errno;
}

int EpollPoller::add(SocketHandle socket, IoEvents interest, IoHandler& handler) {
    return control(EPOLL_CTL_ADD, socket, interest, &handler);
}

int EpollPoller::update(SocketHandle socket, IoEvents interest, IoHandler& handler) {
    return control(EPOLL_CTL_MOD, socket, interest, &handler);
}

int EpollPoller::remove(SocketHandle socket) { return control(EPOLL_CTL_DEL, socket, IoEvents::None, nullptr); }

int EpollPoller::poll(int timeoutMs, ReadyList& ready) {
    const int count = ::epoll_wait(m_epollFd, m_events.data(), static_cast<int>(m_events.size()), timeoutMs);
    if (count < 0) {
        // EINTR: report nothing; the reactor polls again with a recomputed timeout.
        return errno == EINTR ? 0 : errno;
    }
    const auto used = static_cast<std::size_t>(count);
    for (std::size_t i = 0; i < used; ++i) {
        auto* handler = static_cast<IoHandler*>(m_events[i].data.ptr);
        if (handler == nullptr) {
            drainWakeup();
        } else {
            ready.push_back({handler, fromEpoll(m_events[i].events)});
        }
    }
    if (used == m_events.size() && used < kMaxEvents) {
        m_events.resize(used * 2);
    }
    return 0;
}

void EpollPoller::wakeup() {
    const std::uint64_t one = 1;
    if (::write(m_wakeFd, &one, sizeof one) < 0) {
        // EAGAIN: the counter is saturated, so a wake-up is pending already.
    }
}

void EpollPoller::drainWakeup() {
    std::uint64_t count = 0;
    if (::read(m_wakeFd, &count, sizeof count) < 0) {
        // EAGAIN: another poll drained it already.
    }
}

}  // namespace parley::net
