#pragma once

#include "platform/Callbacks.h"
#include "platform/InetAddress.h"
#include "platform/IoHandler.h"
#include "platform/Reactor.h"
#include "platform/Socket.h"

#include <functional>

namespace parley::net {

/// One non-blocking connect attempt (muduo Connector, without retries). Reports exactly
/// one of: ConnectedCallback with the connected socket, or ConnectFailedCallback; or
/// nothing after cancel() / the end of the loop.
///
/// Loop thread only, including destruction while an attempt is in flight.
class Connector final : private IoHandler {
public:
    using ConnectedCallback = std::function<void(Socket socket, const InetAddress& peer)>;

    Connector(Reactor& loop, const InetAddress& server, ConnectedCallback onConnected, ConnectFailedCallback onFailed);
    ~Connector();

    Connector(const Connector&) = delete;
    Connector& operator=(const Connector&) = delete;

    void start();
    void cancel();

private:
    void handleEvents(IoEvents ready) override;
    void handleLoopExit() override;
    void fail(int error);

    Reactor& m_loop;
    InetAddress m_server;
    ConnectedCallback m_onConnected;
    ConnectFailedCallback m_onFailed;
    Socket m_socket;
    bool m_registered = false;
};

}  // namespace parley::net
