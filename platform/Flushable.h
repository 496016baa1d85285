#pragma once

namespace parley::net {

/// Something with output to write once at the end of a loop iteration
/// (Reactor::scheduleFlush). This is how sends are coalesced: a connection appends every
/// send() of an iteration to its output buffer and writes them with one syscall.
class Flushable {
public:
    /// Loop thread only, called once per scheduleFlush().
    virtual void flush() = 0;

protected:
    Flushable() = default;
    ~Flushable() = default;
    Flushable(const Flushable&) = default;
    Flushable& operator=(const Flushable&) = default;
};

}  // namespace parley::net
