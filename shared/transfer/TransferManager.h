#pragma once
// Every file transfer of one client, both directions, several at once (protocol 9.8).
// Sans-IO like ClientSession: no sockets, no threads, no clock reads, no disk access of its
// own. The host wires it up:
//
//   host                                   TransferManager
//   ----                                   ---------------
//   ClientSession::setTransferHandler  -->  onFileMessage / onLoggedIn / onDisconnected /
//                                           onPeerOnline / onTick (from the session)
//   socket output written out          -->  onOutputDrained()      (more chunks may go)
//   user: send / accept / reject ...   -->  sendFile(), accept(), reject(), cancel()
//   disk                               <--  FileIo jobs; completions come back on this thread
//   UI                                 <--  TransferListener events
//
// Keys: outgoing transfers by our transferId, incoming ones by (source, transferId); the UI
// uses TransferNumbers (1, 2, 3, ...). Chunks are handed to the session only while the
// host's output backlog (setOutputBacklog) is under kChunkBacklogLimit, so chat and control
// frames never queue behind more than that; they are sent at once.
//
// Resume (rule 9): interrupted transfers stay. Outgoing ones re-offer at the next login and
// when the receiver's PRESENCE turns Online. Incoming ones resume from the .part on a
// matching re-offer, without asking the user; setStateDirectory() also finds .part files
// left by an earlier process (through the resume state it kept in the state folder).
//
// Threading: host thread only (the session's thread). Errors: methods return
// TransferError; transfer failures are reported through TransferListener.

#include "shared/session/ClientSession.h"
#include "shared/session/TransferHandler.h"
#include "shared/transfer/FileIo.h"
#include "shared/transfer/TransferContext.h"
#include "shared/transfer/TransferListener.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace parley::transfer {

class Transfer;
class OutgoingTransfer;
class IncomingTransfer;

enum class TransferError : std::uint8_t {
    None = 0,
    UnknownTransfer,   ///< no transfer with that number (or it ended)
    WrongState,        ///< e.g. accept() of an outgoing transfer, or of one already answered
    InvalidRecipient,  ///< sendFile() to ourselves or to the server
};
const char* toString(TransferError error);

class TransferManager final : public session::TransferHandler, private TransferContext {
public:
    /// Most socket output queued before another chunk is handed over.
    static constexpr std::size_t kChunkBacklogLimit = 512 * 1024;

    /// `session`, `io` and `listener` must outlive the manager. Installs itself as the
    /// session's transfer handler (and removes itself when destroyed).
    TransferManager(session::ClientSession& session, FileIo& io, TransferListener& listener);
    ~TransferManager() override;
    TransferManager(const TransferManager&) = delete;
    TransferManager& operator=(const TransferManager&) = delete;

    /// How many bytes the host has queued for the socket and not yet written. Without it the
    /// backlog counts as 0 (chunks go whenever there is credit).
    void setOutputBacklog(std::function<std::size_t()> backlog) { m_backlog = std::move(backlog); }
    /// The socket output drained (e.g. TcpConnection's write-complete callback).
    void onOutputDrained();

    /// Starts sending `path` to `to` (hash, then offer). `name` is the offered name (default:
    /// the file's name). Returns the new transfer's number, 0 with `error` set if refused.
    TransferNumber sendFile(UserId to, const std::filesystem::path& path, const std::string& name = {},
                            TransferError* error = nullptr);

    /// Accepts an incoming offer into `directory` (pre-flight: name, free space).
    TransferError accept(TransferNumber number, const std::filesystem::path& directory);
    /// Declines an incoming offer (FILE_REJECT Declined).
    TransferError reject(TransferNumber number, const std::string& text = {});
    /// Stops any transfer (FILE_CANCEL ByUser); an incoming one's .part is deleted.
    TransferError cancel(TransferNumber number);

    /// The receiver's own state folder (a profile's, e.g. parley-cli --state-dir): incoming
    /// transfers keep their resume state there, one file per transfer, and what an earlier
    /// run left there is loaded, so that a matching re-offer resumes its .part. Nothing in a
    /// download folder is ever taken as resume state (a sender can plant any name there).
    /// Call before the first accept; without it no resume state outlives the process.
    void setStateDirectory(const std::filesystem::path& folder);

    /// Every transfer not yet finished, by number.
    std::vector<TransferInfo> transfers() const;
    std::optional<TransferInfo> find(TransferNumber number) const;

    // ---- session::TransferHandler -----------------------------------------------------
    void onFileMessage(const proto::Header& header, const proto::Body& body) override;
    void onLoggedIn() override;
    void onDisconnected() override;
    void onPeerOnline(UserId peer) override;
    void onTick(std::uint64_t nowMs) override;

private:
    // TransferContext
    FileIo& io() override { return m_io; }
    TransferListener& listener() override { return m_listener; }
    const std::filesystem::path& stateDirectory() const override { return m_stateDirectory; }
    bool send(UserId to, const proto::Body& body) override;
    bool canSendChunk() const override;
    bool loggedIn() const override { return m_session.isLoggedIn(); }
    std::uint64_t nowMs() const override { return m_nowMs; }
    TransferId allocateOutgoingId(TransferId wanted) override;
    void enter() override { ++m_depth; }
    void leave() override;

    /// enter() ... leave() for the manager's own entry points.
    class Scope {
    public:
        explicit Scope(TransferManager& manager) : m_manager(manager) { m_manager.enter(); }
        ~Scope() { m_manager.leave(); }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        TransferManager& m_manager;
    };

    TransferContext& context() { return *this; }
    void handleOffer(UserId from, const proto::FileOffer& offer);
    /// Hands a sender- or receiver-side message to its transfer; false if `body` is not a Message.
    template <class Message, class Target>
    bool route(UserId from, const proto::Body& body, void (Target::*handler)(const Message&));
    Transfer* lookup(Direction direction, UserId peer, TransferId id);
    IncomingTransfer* incoming(UserId peer, TransferId id);
    /// The incoming transfer `number` if it waits for the user's answer; else sets `error`.
    IncomingTransfer* offered(TransferNumber number, TransferError& error);
    Transfer* byNumber(TransferNumber number) const;
    void pumpAll();

    session::ClientSession& m_session;
    FileIo& m_io;
    TransferListener& m_listener;
    std::function<std::size_t()> m_backlog;
    std::map<TransferNumber, std::unique_ptr<Transfer>> m_transfers;
    std::vector<ResumeRecord> m_resumable;  ///< .part files from earlier runs, not yet resumed
    std::filesystem::path m_stateDirectory;
    TransferNumber m_nextNumber = 1;
    std::uint64_t m_nowMs = 0;
    bool m_ticked = false;
    unsigned m_depth = 0;                                     ///< nesting of entry points and completions
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);  ///< guards findResumable completions
};

}  // namespace parley::transfer
