#pragma once

#include <exception>

namespace parley::net {

/// Runs `body`; if it throws, calls `onFailure(what)` with the exception's what() (or
/// "an unknown exception") instead of letting it escape. How the loop, its connections
/// and the engine's sessions keep an exception from ending an I/O thread.
template <class Body, class OnFailure>
void catchAll(Body&& body, OnFailure&& onFailure) {
    try {
        body();
    } catch (const std::exception& error) {
        onFailure(error.what());
    } catch (...) {
        onFailure("an unknown exception");
    }
}

}  // namespace parley::net
