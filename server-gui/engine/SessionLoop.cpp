#include "server-gui/engine/SessionLoop.h"

#include "shared/proto/Codec.h"

#include <any>
#include <stdexcept>

namespace parley::server {

SessionLoop& SessionLoop::install(net::Reactor& loop, const Clock& clock, FreeMemory& memory) {
    // std::any needs a copyable value: the state itself sits behind a shared_ptr.
    auto state = std::make_shared<SessionLoop>(loop, clock, memory);
    loop.context() = state;
    return *state;
}

SessionLoop& SessionLoop::of(net::Reactor& loop) {
    if (auto* state = std::any_cast<std::shared_ptr<SessionLoop>>(&loop.context())) return **state;
    throw std::logic_error("SessionLoop::of: no SessionLoop installed on this loop");
}

SessionLoop::SessionLoop(net::Reactor& loop, const Clock& clock, FreeMemory& memory)
    : m_wallClock(loop, clock),
      m_relay(loop),
      m_burst(loop, memory),
      m_sweep(loop, clock, memory),
      m_presence(loop, clock, m_sweep) {}

std::string_view SessionLoop::stamp(const std::uint8_t* frame, std::size_t size, proto::UserId source) {
    std::string& copy = m_scratch.copyOf(frame, size);
    proto::stampRelayed(reinterpret_cast<std::uint8_t*>(copy.data()), source, m_wallClock.wallMs());
    return copy;
}

}  // namespace parley::server
