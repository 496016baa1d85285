#pragma once

#include "platform/IoEvents.h"

namespace parley::net {

/// What the reactor calls when a registered socket is ready (muduo's Channel, reduced to
/// one vtable pointer so a connection carries no per-socket callback objects).
///
/// Called on the loop thread only. The reactor does not own handlers: a handler stays
/// alive while registered. Removing a handler during dispatch is safe, the reactor drops
/// any event still queued for it.
class IoHandler {
public:
    /// `ready` holds the events that occurred (filtered by interest, plus Error).
    virtual void handleEvents(IoEvents ready) = 0;

    /// The loop is finishing: release the registration (Reactor::removeSocket) and any
    /// resources tied to the loop. The reactor removes handlers that do not.
    virtual void handleLoopExit() = 0;

protected:
    IoHandler() = default;
    ~IoHandler() = default;
    IoHandler(const IoHandler&) = default;
    IoHandler& operator=(const IoHandler&) = default;
};

}  // namespace parley::net
