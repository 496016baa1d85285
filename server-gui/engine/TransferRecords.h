#pragma once
// The store rows of file transfers (docs/protocol.md 9.8 rule 13): one row per
// transfer in progress or interrupted, so that the operator can see them and a
// re-offer after a cut is recognised as a resume. The file bytes are never
// stored.
//
//   offer relayed   → row saved as Offered (a stale row of the key is replaced;
//                     an Interrupted one with the same size and SHA-256 marks
//                     the transfer as a resume)
//   FILE_ACCEPT     → accepted offset, state InProgress ("resuming transfer ...
//                     from offset ..." in the log for a resume)
//   a side left     → Interrupted
//   ended           → row deleted (FILE_RESULT, FILE_REJECT, FILE_CANCEL, violation)
//   server start    → rows still Offered/Accepted/InProgress become Interrupted
//
// Threading: the record*() functions may be called from any thread, the I/O
// loops included: each submits one store job keyed by the sender, so the jobs
// of one transfer run in order and never block the relay. A store failure is
// logged and changes nothing else.

#include "db/Result.h"
#include "db/Store.h"
#include "server-gui/engine/FileRelay.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace parley::server {

struct ServerCore;

void recordOffer(ServerCore& core, db::Transfer row, std::shared_ptr<FileRelay::StoreNote> note);
void recordAccept(ServerCore& core, proto::UserId sender, proto::TransferId id, std::uint64_t offset,
                  std::shared_ptr<FileRelay::StoreNote> note);
void recordInterrupted(ServerCore& core, proto::UserId sender, proto::TransferId id);
void recordEnded(ServerCore& core, proto::UserId sender, proto::TransferId id);

}  // namespace parley::server
