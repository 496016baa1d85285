// Session: read receipts (ACK Read). The reader's Read goes to the sender,
// live when it is online (like ACK Delivered, across loops through the relay),
// otherwise into the store, one row per (sender, reader) holding the highest
// upTo, sent after the sender's next post-login CONTACTS and then deleted.
// No amplification: a session passes on only a Read above the last one it
// passed on for that sender, so one Read in is at most one Read out.
#include "server-gui/engine/Session.h"

#include "server-gui/engine/ServerCore.h"
#include "server-gui/engine/SessionLoop.h"

namespace parley::server {

using proto::ErrorCode;

Session::Receipts& Session::receipts() {
    if (!m_receipts) m_receipts = std::make_unique<Receipts>();
    return *m_receipts;
}

void Session::handleRead(const proto::Header& header, const proto::Ack& ack) {
    const proto::UserId sender = header.destination;
    if (sender == m_userId || !m_core.users.contains(sender)) {
        sendError(ErrorCode::UnknownDestination, header.messageId, header.type,
                  "a read receipt needs the id of another user as its destination");
        return;
    }
    // Cumulative: what is not above the last receipt passed on says nothing new.
    // A Read about a peer that never sent anything is harmless the same way
    // (the sender's client keeps the maximum over its own messages).
    proto::MessageId& passedOn = receipts().sent[sender];
    if (ack.upTo <= passedOn) return;
    passedOn = ack.upTo;

    if (SessionPtr origin = m_core.delivery.online(sender)) {
        if (&origin->loop() == &loop()) origin->deliverRead(m_userId, ack.upTo);
        else SessionLoop::of(loop()).relayAck(std::move(origin), proto::AckKind::Read, m_userId, ack.upTo);
        return;
    }
    storeReadReceipt(m_core, {sender, m_userId, ack.upTo});
}

void Session::deliverRead(proto::UserId reader, proto::MessageId upTo) {
    if (m_state != State::Authenticated || m_closing) {
        // Gone between routing and now: it waits in the store like for an offline sender.
        storeReadReceipt(m_core, {m_userId, reader, upTo});
        return;
    }
    sendAck(proto::AckKind::Read, reader, upTo);
}

void Session::storeReadReceipt(ServerCore& core, db::ReadReceipt receipt) {
    // Keyed by the sender, like its fetches and deletes: they run in this order.
    const bool queued = core.store.submit(receipt.sender, [&core, receipt](db::Store& store) {
        const db::Result saved = store.saveReadReceipt(receipt);
        if (!saved.ok()) {
            core.log(LogLevel::Error,
                     "could not store a read receipt for user " + std::to_string(receipt.sender) + ": " + saved.error);
            return;
        }
        // The sender may have logged in meanwhile, its login fetch ahead of this row; or
        // it is logged in on another node, which fetches it now.
        if (const SessionPtr sender = core.delivery.online(receipt.sender))
            sender->post([](Session& s) { s.fetchReadReceipts(); });
        else if (core.remote->clustered()) core.remote->stored(receipt.sender);
    });
    if (!queued) core.log(LogLevel::Warn, "a read receipt was dropped: the store queue is full or stopped");
}

void Session::fetchReadReceipts() {
    if (m_state != State::Authenticated || m_closing) return;
    Receipts& r = receipts();
    if (r.fetching) {
        r.fetchAgain = true;  // after this fetch's rows are delivered and their deletes queued
        return;
    }
    r.fetching = true;
    m_core.store.submit(m_userId, [self = shared_from_this(), me = m_userId](db::Store& store) {
        auto rows = store.readReceiptsFor(me);
        self->post([rows = std::move(rows)](Session& s) mutable { s.readReceiptsFetched(std::move(rows)); });
    });
}

void Session::readReceiptsFetched(db::ValueResult<std::vector<db::ReadReceipt>> rows) {
    Receipts& r = receipts();
    r.fetching = false;
    if (m_state != State::Authenticated || m_closing) return;
    if (!rows.ok()) {
        m_core.log(LogLevel::Error, "could not load read receipts for " + username() + ": " + rows.error);
        return;  // they stay stored for the next login
    }
    r.due.insert(r.due.end(), rows.value.begin(), rows.value.end());
    sendDueReceipts();
}

void Session::sendDueReceipts() {
    // After the post-login CONTACTS (its last page ends the cursor): the
    // client knows every reader by then.
    if (!m_receipts || m_receipts->due.empty() || m_contacts.active()) return;
    Receipts& r = *m_receipts;
    std::vector<db::ReadReceipt> due;
    due.swap(r.due);
    for (const db::ReadReceipt& receipt : due) sendAck(proto::AckKind::Read, receipt.reader, receipt.upTo);
    ServerCore& core = m_core;
    core.store.submit(m_userId, [&core, due = std::move(due)](db::Store& store) {
        for (const db::ReadReceipt& receipt : due) {
            const auto removed = store.removeReadReceipt(receipt);
            if (!removed.ok()) core.log(LogLevel::Error, "could not delete a delivered read receipt: " + removed.error);
        }
    });
    if (r.fetchAgain) {
        r.fetchAgain = false;
        fetchReadReceipts();  // queued behind the deletes: sees only what is new
    }
}

}  // namespace parley::server
