#pragma once
// What the engine tells its host (the server window, the headless logger).
//
// Threading: every method may be called from any I/O or store thread, several
// at once; implementations must be thread-safe and must not block (a GUI
// forwards to its thread with a queued signal).

#include "platform/Logger.h"
#include "shared/proto/Header.h"

#include <string>

namespace parley::server {

/// The platform's levels (net::Logger::toString names them); `Off` is a
/// threshold, never the level of a line.
using LogLevel = net::LogLevel;

class ServerObserver {
public:
    virtual ~ServerObserver() = default;
    virtual void onLog(LogLevel /*level*/, const std::string& /*line*/) {}
    virtual void onUserOnline(proto::UserId /*id*/, const std::string& /*username*/, const std::string& /*address*/) {}
    virtual void onUserOffline(proto::UserId /*id*/, const std::string& /*username*/) {}
};

}  // namespace parley::server
