#include "shared/transfer/Transfer.h"

namespace parley::transfer {

Transfer::Transfer(TransferContext& context, TransferNumber number, Direction direction, UserId peer)
    : m_context(context) {
    m_info.number = number;
    m_info.direction = direction;
    m_info.peer = peer;
}

void Transfer::onTick(std::uint64_t elapsedMs) {
    if (!waitsForPeer()) {
        m_stalledMs = 0;
        return;
    }
    m_stalledMs += elapsedMs;
    if (m_stalledMs >= kStallTimeoutMs) {
        cancel(proto::FileCancelReason::Timeout, "no progress for " + std::to_string(kStallTimeoutMs / 1000) + " s");
    }
}

bool Transfer::waitsForPeer() const {
    return m_info.state == TransferState::Active || m_info.state == TransferState::Finishing;
}

void Transfer::setState(TransferState state) {
    if (m_info.state == state || finished()) {
        return;
    }
    m_info.state = state;
    m_stalledMs = 0;
    if (state != TransferState::Finished) {
        m_context.listener().onTransferStateChanged(m_info);
    }
}

void Transfer::finish(TransferOutcome outcome) {
    if (finished()) {
        return;
    }
    m_info.state = TransferState::Finished;
    if (!outcome.path.empty()) {
        m_info.path = outcome.path;
    }
    m_context.listener().onTransferFinished(m_info, outcome);
}

void Transfer::reportProgress() {
    progressed();
    m_context.listener().onTransferProgress(m_info);
}

}  // namespace parley::transfer
