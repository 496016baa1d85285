#pragma once
// What outgoing and incoming transfers share: identity, state, the outcome report, the
// stall timer, and guarded FileIo completions. Internal to shared/transfer; owned by the
// TransferManager, host thread only.

#include "shared/transfer/TransferContext.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

namespace parley::transfer {

/// No progress for this long while both sides are online cancels a transfer (Timeout).
constexpr std::uint64_t kStallTimeoutMs = 120'000;

class Transfer {
public:
    Transfer(TransferContext& context, TransferNumber number, Direction direction, UserId peer);
    virtual ~Transfer() = default;
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;

    const TransferInfo& info() const { return m_info; }
    bool finished() const { return m_info.state == TransferState::Finished; }

    /// This side stops it: FILE_CANCEL(reason) if the server knows the transfer.
    virtual void cancel(proto::FileCancelReason reason, const std::string& text) = 0;
    /// FILE_CANCEL from the peer or the server.
    virtual void onCancel(const proto::FileCancel& cancel) = 0;
    /// Our connection is gone.
    virtual void onDisconnected() = 0;

    /// Host tick while logged in: cancels with Timeout after kStallTimeoutMs without
    /// progress in the states where the peer owes us something.
    void onTick(std::uint64_t elapsedMs);

protected:
    void setState(TransferState state);
    /// Ends the transfer and reports it (once).
    void finish(TransferOutcome outcome);
    void progressed() { m_stalledMs = 0; }
    void reportProgress();
    /// States in which a stall counts.
    virtual bool waitsForPeer() const;

    /// A FileIo completion that runs only while this transfer exists (inside enter/leave).
    template <class Result, class Fn>
    std::function<void(Result)> completion(Fn fn) {
        return [context = &m_context, alive = std::weak_ptr<int>(m_alive), fn = std::move(fn)](Result result) mutable {
            if (alive.expired()) {
                return;
            }
            context->enter();
            fn(std::move(result));
            context->leave();
        };
    }

    TransferContext& m_context;
    TransferInfo m_info;

private:
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
    std::uint64_t m_stalledMs = 0;
};

}  // namespace parley::transfer
