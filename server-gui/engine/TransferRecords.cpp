#include "server-gui/engine/TransferRecords.h"

#include "server-gui/engine/ServerCore.h"

#include <string>
#include <utility>

namespace parley::server {

namespace {

void logFailure(ServerCore& core, const std::string& what, const db::Result& result) {
    core.log(LogLevel::Error, "could not record " + what + ": " + result.error);
}

// The relay never waits for these jobs: if the workers are stopping the row
// is simply not written (a restart marks what is left Interrupted anyway).
void submit(ServerCore& core, proto::UserId sender, db::StorePool::Job job) {
    core.store.submit(sender, std::move(job));
}

}  // namespace

void recordOffer(ServerCore& core, db::Transfer row, std::shared_ptr<FileRelay::StoreNote> note) {
    const proto::UserId sender = row.sender;
    submit(core, sender, [&core, row = std::move(row), note = std::move(note)](db::Store& store) {
        const std::string what = db::transferName(row.sender, row.transferId);
        const auto old = store.findTransfer(row.sender, row.transferId);
        if (old.ok()) {
            const db::Transfer& was = old.value;
            if (was.state == db::TransferState::Interrupted && was.size == row.size && was.sha256 == row.sha256) {
                note->resumed = true;
                core.log(LogLevel::Info, what + " to user " + std::to_string(row.receiver) +
                                             " offered again after an interruption (it had been accepted from offset " +
                                             std::to_string(was.verifiedOffset) + ")");
            }
            // A stale row of the same key (an earlier transfer that ended without
            // its row being deleted, or the interrupted one) makes way.
            if (const db::Result removed = store.deleteTransfer(row.sender, row.transferId); !removed.ok()) {
                logFailure(core, "the end of the earlier " + what, removed);
                return;
            }
        }
        if (const db::Result saved = store.saveTransfer(row); !saved.ok()) logFailure(core, what, saved);
    });
}

void recordAccept(ServerCore& core, proto::UserId sender, proto::TransferId id, std::uint64_t offset,
                  std::shared_ptr<FileRelay::StoreNote> note) {
    submit(core, sender, [&core, sender, id, offset, note = std::move(note)](db::Store& store) {
        const std::string what = db::transferName(sender, id);
        if (note && note->resumed)
            core.log(LogLevel::Info, "resuming " + what + " from offset " + std::to_string(offset));
        db::Result result = store.updateTransferOffset(sender, id, offset);
        if (result.ok()) result = store.setTransferState(sender, id, db::TransferState::InProgress);
        if (!result.ok()) logFailure(core, "the acceptance of " + what, result);
    });
}

void recordInterrupted(ServerCore& core, proto::UserId sender, proto::TransferId id) {
    submit(core, sender, [&core, sender, id](db::Store& store) {
        const db::Result result = store.setTransferState(sender, id, db::TransferState::Interrupted);
        if (!result.ok() && result.status != db::Status::NotFound)
            logFailure(core, "the interruption of " + db::transferName(sender, id), result);
    });
}

void recordEnded(ServerCore& core, proto::UserId sender, proto::TransferId id) {
    submit(core, sender, [&core, sender, id](db::Store& store) {
        const db::Result result = store.deleteTransfer(sender, id);
        // NotFound: the offer's row could not be written; nothing to remove.
        if (!result.ok() && result.status != db::Status::NotFound)
            logFailure(core, "the end of " + db::transferName(sender, id), result);
    });
}

}  // namespace parley::server
