#pragma once
// Helpers of the parley-cli suites: ports, a temporary folder, polling.

#include "tests/support/TempDir.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace parley::client::test {

using namespace std::chrono_literals;

/// A port on 127.0.0.1 that was free a moment ago: bound to port 0 through the platform
/// layer, read back, closed.
std::uint16_t freePort();

/// True if a TCP connection to 127.0.0.1:port can be opened now (it is closed at once).
bool canConnect(std::uint16_t port);

/// Polls `condition` every 50 ms until it holds or `limit` passes; returns its last value.
bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds limit);

/// A fresh folder under the system's temporary directory, removed with what it holds.
using TempDir = parley::test::TempDir;

/// The value of an environment variable, or "" if unset.
std::string environment(const char* name);

}  // namespace parley::client::test
