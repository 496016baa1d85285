#pragma once

#include <string_view>

namespace parley::net {

class Buffer;

/// A transformation between the socket's bytes ("wire") and the application's bytes,
/// e.g. TLS with OpenSSL memory BIOs: decode() feeds the read BIO and drains SSL_read,
/// encode() runs SSL_write and drains the write BIO, close() queues close_notify.
///
/// Without a layer (the default) a connection takes the identity path: application bytes
/// go straight to the socket with no extra copy. Callers of TcpConnection do not change
/// either way. Called on the connection's loop thread only. Return values are errno-like
/// codes; non-zero closes the connection with that error.
class StreamLayer {
public:
    virtual ~StreamLayer() = default;

    /// Installed on a connection: append what must go first (a TLS ClientHello). The
    /// connection flushes it at the end of the loop iteration.
    virtual int open(Buffer& /*wireOut*/) { return 0; }

    /// Consumes all of `wire` (keeping any partial record internally), appends the
    /// application bytes it yields to `application`, and may append bytes that must be
    /// sent back (handshake records) to `wireOut`.
    virtual int decode(std::string_view wire, Buffer& application, Buffer& wireOut) = 0;

    /// Appends the wire form of `application` to `wireOut` (it may hold bytes back until
    /// a handshake completes and emit them from a later decode()).
    virtual int encode(std::string_view application, Buffer& wireOut) = 0;

    /// The connection is about to shut down its write side: append any farewell bytes.
    virtual void close(Buffer& wireOut) = 0;

protected:
    StreamLayer() = default;
    StreamLayer(const StreamLayer&) = default;
    StreamLayer& operator=(const StreamLayer&) = default;
};

}  // namespace parley::net
