#pragma once
// Splitting a byte stream into frames. Sans-IO, no sockets and no threads.
//
// Fed any chunks — one byte at a time, many frames at once, a frame cut
// anywhere — it yields whole frames in order, or an error. A header that
// announces more than the limit is rejected as soon as the header is complete,
// before any of its payload is buffered.

#include "shared/proto/Codec.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace parley::proto {

/// A frame inside someone else's buffer: valid as long as that buffer is.
struct FrameView {
    Header header;
    const std::uint8_t* payload = nullptr;
    std::size_t payloadSize = 0;

    /// Header plus payload: the bytes to consume, or to relay as they are.
    std::size_t frameSize() const { return kHeaderSize + payloadSize; }
    /// The whole encoded frame, starting at the header.
    const std::uint8_t* frameBegin() const { return payload - kHeaderSize; }
};

enum class FrameStatus {
    Complete,  ///< `out` holds a frame; consume out.frameSize() bytes
    NeedMore,  ///< no whole frame yet
    Error,     ///< the stream is unusable from here; `error` says why
};

/// Stateless parse of the frame at the start of `data` (muduo hub's
/// parseMessage): for callers that own their input buffer, e.g. the server.
/// Allocation-free. Sets `error` to None unless it returns Error. Bad magic or
/// version is refused as soon as those bytes are in; a payloadLength over
/// `maxPayload` as soon as the header is, whatever follows. It does not look
/// at the type: an unknown type is a Complete frame (see decodePayload).
FrameStatus parseFrame(const std::uint8_t* data, std::size_t size, FrameView& out, ProtocolError& error,
                       std::uint32_t maxPayload = kMaxPayload);

/// What a frame handler tells scanFrames() after seeing a frame.
enum class FrameAction {
    Next,   ///< the frame is used: go on with the next one
    Stop,   ///< the frame is used: stop after it (e.g. the connection is closing)
    Leave,  ///< the frame is not used now: stop before it, it stays unconsumed
};

/// Where scanFrames() stopped.
struct FrameScan {
    std::size_t consumed = 0;  ///< bytes of the frames used, from the start of `data`
    /// NeedMore: no whole frame is left; Complete: the handler stopped (Stop or Leave);
    /// Error: the bytes at `consumed` are unusable, `error` says why.
    FrameStatus status = FrameStatus::NeedMore;
    ProtocolError error = ProtocolError::None;
};

/// The one loop over "the whole frames at the front of a buffer the caller owns" (the
/// server's input, the test client's, the benchmark's): calls `handle(const FrameView&)`
/// -> FrameAction for each whole frame in order, with parseFrame()'s checks. Consumes
/// nothing itself: the caller drops `consumed` bytes afterwards. Views are valid while the
/// caller's buffer is unchanged.
template <class Handler>
FrameScan scanFrames(const std::uint8_t* data, std::size_t size, Handler&& handle,
                     std::uint32_t maxPayload = kMaxPayload) {
    FrameScan scan;
    for (;;) {
        FrameView frame;
        scan.status = parseFrame(data + scan.consumed, size - scan.consumed, frame, scan.error, maxPayload);
        if (scan.status != FrameStatus::Complete) return scan;
        const FrameAction action = handle(static_cast<const FrameView&>(frame));
        if (action == FrameAction::Leave) return scan;
        scan.consumed += frame.frameSize();
        if (action == FrameAction::Stop) return scan;
    }
}

/// A framer that owns its buffer: for clients and tests.
class Framer {
public:
    explicit Framer(std::uint32_t maxPayload = kMaxPayload);

    /// Appends received bytes (copied; `data` may be reused at once). Views
    /// returned by next() before this call become invalid: the buffer is
    /// compacted here, so once next() has returned NeedMore it holds less than
    /// one whole frame (kHeaderSize + maxPayload) plus this feed. After an
    /// error the bytes are dropped.
    void feed(const std::uint8_t* data, std::size_t size);

    /// The next whole frame. `out` stays valid until the next feed() or
    /// next(). After Error, every later call returns Error (see error()).
    FrameStatus next(FrameView& out);

    ProtocolError error() const { return m_error; }
    /// Bytes received but not yet returned as frames.
    std::size_t buffered() const { return m_buffer.size() - m_readPos; }
    /// Bytes still to come before the frame in progress is whole: 0 if no frame is
    /// begun, or if its header is not complete yet (its length is not known).
    std::size_t missing() const;

private:
    std::vector<std::uint8_t> m_buffer;
    std::size_t m_readPos = 0;
    std::uint32_t m_maxPayload;
    ProtocolError m_error = ProtocolError::None;
};

}  // namespace parley::proto
