#pragma once
// The CHATs this node forwarded to the nodes where their recipients are logged in
// (RemoteUsers::forwardChat), kept until the recipient's node answers for them: an ACK
// Delivered (the recipient has it) or Stored (that node committed it) on its way to the
// sender here. What is not answered in time, or was sent to a node that died, or while
// the link dropped, is taken back to be stored here (NatsCluster's timer): nothing the
// sender will see acknowledged is lost; the price of a lost answer is a duplicate, which
// clients drop by (sender, id).
//
// Sans-IO. Threading: every method from any thread (one mutex).

#include "shared/proto/Header.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace parley::cluster {

class ForwardedChats {
public:
    /// At most `capacity` kept; add() refuses more (the engine stores those instead).
    explicit ForwardedChats(std::size_t capacity) : m_capacity(capacity) {}

    /// `frame` (a stamped CHAT for `to`) was sent to `node` at `nowMs`. False when full.
    bool add(proto::UserId to, const std::string& node, std::string frame, std::uint64_t nowMs);
    /// The last add() for `to` did not go out after all: forget it.
    void dropLast(proto::UserId to);
    /// An ACK frame for a user here arrived from another node: what it answers for is done
    /// (Delivered up to its id, or Stored: that one id). Other frames are ignored.
    void answered(std::string_view frame);
    /// The frames sent `timeoutMs` ago or longer without an answer, and those sent to a node
    /// for which `alive` says false: no longer kept, to be stored.
    std::vector<std::string> takeUnanswered(std::uint64_t nowMs, std::uint64_t timeoutMs,
                                            const std::function<bool(const std::string& node)>& alive);
    /// Everything kept (the link dropped: answers may be lost).
    std::vector<std::string> takeAll();
    std::size_t size() const;

private:
    struct Sent {
        proto::UserId sender = 0;
        proto::MessageId id = 0;
        std::string node;
        std::uint64_t sentMs = 0;
        std::string frame;
    };

    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::unordered_map<proto::UserId, std::deque<Sent>> m_byRecipient;
    std::size_t m_size = 0;
};

}  // namespace parley::cluster
