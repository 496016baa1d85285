#pragma once
// Two (or more) clients, each a real ClientSession with a real TransferManager and a
// JobFileIo on real files, wired through an in-test relay that does what the server does
// for files: it stamps `source` and forwards FILE_* frames to the destination. It also
// checks the protocol rules a server enforces (credit, chunk boundaries, contiguity), and
// can tamper with frames or cut a connection. FileIo jobs run when the harness steps them,
// interleaved with the relay, so completions arrive while frames are in flight.

#include "shared/files/FileName.h"
#include "shared/proto/Codec.h"
#include "shared/transfer/CreditAccount.h"
#include "shared/transfer/IncomingTransfer.h"
#include "shared/transfer/JobFileIo.h"
#include "shared/transfer/TransferManager.h"
#include "tests/support/TempDir.h"
#include "tests/shared/session/SessionHarness.h"
#include "tests/shared/transfer/TestSha256.h"
#include "tests/shared/transfer/TransferPrinters.h"

#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace parley::transfer::test {

using session::UserId;

/// Runs jobs and completions one at a time when asked (the "worker" and the "host loop").
class QueuedRunner final : public JobRunner {
public:
    void run(Lane /*lane*/, std::function<void()> job) override { m_jobs.push_back(std::move(job)); }
    void deliver(std::function<void()> completion) override { m_completions.push_back(std::move(completion)); }

    /// Runs one job, else one completion; false if there was nothing.
    bool step() {
        std::deque<std::function<void()>>& queue = !m_jobs.empty() ? m_jobs : m_completions;
        if (queue.empty()) {
            return false;
        }
        std::function<void()> next = std::move(queue.front());
        queue.pop_front();
        next();
        return true;
    }

private:
    std::deque<std::function<void()>> m_jobs;
    std::deque<std::function<void()>> m_completions;
};

/// Records what the UI would show.
struct RecordingTransfers final : TransferListener {
    std::vector<TransferInfo> offers;
    std::vector<std::pair<TransferInfo, TransferOutcome>> finished;
    std::vector<std::uint64_t> acceptedAt;
    std::vector<TransferState> states;
    std::function<void(const TransferInfo&)> onOffer;  ///< e.g. accept at once

    void onIncomingOffer(const TransferInfo& info) override {
        offers.push_back(info);
        if (onOffer) {
            onOffer(info);
        }
    }
    void onTransferFinished(const TransferInfo& info, const TransferOutcome& outcome) override {
        finished.emplace_back(info, outcome);
    }
    void onTransferStateChanged(const TransferInfo& info) override { states.push_back(info.state); }
    void onTransferAccepted(const TransferInfo& /*info*/, std::uint64_t offset) override {
        acceptedAt.push_back(offset);
    }

    const TransferOutcome* outcomeOf(TransferNumber number) const {
        for (const auto& entry : finished) {
            if (entry.first.number == number) {
                return &entry.second;
            }
        }
        return nullptr;
    }
};

struct NullSessionListener final : session::SessionListener {
    void onProtocolError(proto::ProtocolError) override {}
    void onConnectionDead() override {}
};

/// One client: session, file I/O, transfer manager, its own download and state folders.
struct Client {
    Client(UserId userId, QueuedRunner& runner) : id(userId), io(runner, TestSha256::factory()) {
        manager = std::make_unique<TransferManager>(session, io, transfers);
        manager->setStateDirectory(state.path());
    }

    void login() {
        session.login("user" + std::to_string(id), "correct horse");
        session.connectionOpened(now);
        server.read(session);
        proto::LoginResult ok;
        ok.status = proto::AuthStatus::Ok;
        ok.userId = id;
        const auto bytes = session::test::ScriptedServer::frame(0, 0, ok);
        session.receive(bytes.data(), bytes.size(), now);
    }

    void disconnect() {
        session.connectionClosed();
        server.reset();
    }

    /// A new TransferManager (a new process), with the same files on disk.
    void restartManager() {
        manager.reset();
        transfers = RecordingTransfers();
        manager = std::make_unique<TransferManager>(session, io, transfers);
        manager->setStateDirectory(state.path());
    }

    UserId id;
    std::uint64_t now = 1'000;
    NullSessionListener sessionListener;
    session::ClientSession session{sessionListener};
    session::test::ScriptedServer server;
    JobFileIo io;
    RecordingTransfers transfers;
    std::unique_ptr<TransferManager> manager;
    parley::test::TempDir dir;
    parley::test::TempDir state{"parley-state"};  ///< the profile's state folder, apart from dir
};

/// What the relay saw of one transfer (by sender and transferId), like the server's checks.
struct RelayedTransfer {
    transfer::CreditAccount sinceAccept;  ///< what the sender may send (rule 4)
    transfer::CreditAccount total;        ///< what the server checks: the whole transfer
    std::uint64_t next = 0;               ///< where the next chunk must start (sender's view)
    std::uint32_t blockSize = 0;
    std::uint64_t maxOutstanding = 0;
};

class Relay {
public:
    /// Returns false to drop the frame; may change it.
    using Tamper = std::function<bool(UserId from, UserId to, proto::Body& body)>;

    explicit Relay(std::vector<Client*> clients) : m_clients(std::move(clients)) {}

    Tamper tamper;
    std::vector<std::string> violations;  ///< server-rule breaches seen (must stay empty)
    std::map<std::pair<UserId, proto::TransferId>, RelayedTransfer> seen;

    /// Moves every frame written so far to its destination; true if any moved.
    bool relayOnce() {
        bool moved = false;
        for (Client* from : m_clients) {
            if (!from->session.isLoggedIn()) {
                continue;
            }
            for (proto::Message& m : from->server.read(from->session)) {
                Client* to = find(m.header.destination);
                if (to == nullptr || !isFile(m.body)) {
                    continue;
                }
                check(from->id, m.body);
                if (tamper && !tamper(from->id, to->id, m.body)) {
                    continue;
                }
                moved = true;
                if (!to->session.isLoggedIn()) {
                    // The server's pre-flight refuses an offer to someone offline.
                    if (const auto* offer = std::get_if<proto::FileOffer>(&m.body)) {
                        const auto bytes = session::test::ScriptedServer::frame(
                            to->id, 0,
                            proto::FileReject{offer->transferId, proto::FileRejectReason::PeerOffline, "offline"},
                            from->id);
                        from->session.receive(bytes.data(), bytes.size(), from->now);
                    }
                    continue;
                }
                const auto bytes = session::test::ScriptedServer::frame(from->id, 0, m.body, to->id);
                to->session.receive(bytes.data(), bytes.size(), to->now);
            }
        }
        return moved;
    }

    /// Relays and runs I/O until nothing moves (or `until` holds); throws after `maxSteps`.
    void run(QueuedRunner& runner, const std::function<bool()>& until = {}, int maxSteps = 1'000'000) {
        for (int step = 0; step < maxSteps; ++step) {
            if (until && until()) {
                return;
            }
            const bool moved = relayOnce();
            const bool ran = runner.step();
            if (!moved && !ran) {
                if (until && !until()) {
                    throw std::runtime_error("the transfer stalled before the condition held");
                }
                return;
            }
        }
        throw std::runtime_error("no end after maxSteps");
    }

    /// What the server does when `gone` disconnects: tell the others, forget its transfers.
    void dropped(UserId gone, const std::vector<std::pair<UserId, proto::TransferId>>& toldTo) {
        for (const auto& [peer, id] : toldTo) {
            if (Client* c = find(peer)) {
                const auto bytes = session::test::ScriptedServer::frame(
                    gone, 0, proto::FileCancel{id, proto::FileCancelReason::PeerDisconnected, "peer left"}, peer);
                c->session.receive(bytes.data(), bytes.size(), c->now);
            }
        }
        seen.clear();  // the tests have two clients: every transfer involved `gone`
    }

private:
    static bool isFile(const proto::Body& body) {
        const auto t = static_cast<std::uint8_t>(proto::typeOf(body));
        return t >= 0x20 && t <= 0x28;
    }

    Client* find(UserId id) {
        for (Client* c : m_clients) {
            if (c->id == id) {
                return c;
            }
        }
        return nullptr;
    }

    void check(UserId from, const proto::Body& body) {
        if (const auto* offer = std::get_if<proto::FileOffer>(&body)) {
            RelayedTransfer& t = seen[{from, offer->transferId}];
            t = RelayedTransfer{};
            t.blockSize = offer->blockSize;
        } else if (const auto* chunk = std::get_if<proto::FileChunk>(&body)) {
            RelayedTransfer& t = seen[{from, chunk->transferId}];
            const std::uint64_t n = chunk->data.size();
            if (n > proto::kMaxChunkData) violations.push_back("chunk over 256 KiB");
            if (!t.sinceAccept.spend(n)) violations.push_back("chunk beyond the credit");
            if (!t.total.spend(n)) violations.push_back("chunks beyond the total credit");
            if (chunk->offset != t.next) violations.push_back("chunk not contiguous");
            if (t.blockSize != 0 && chunk->offset / t.blockSize != (chunk->offset + n - 1) / t.blockSize)
                violations.push_back("chunk crosses a block boundary");
            t.next = chunk->offset + n;
        } else if (const auto* accept = std::get_if<proto::FileAccept>(&body)) {
            // from the receiver: key by the sender (the destination)
            for (auto& [key, t] : seen) {
                if (key.second == accept->transferId) {
                    t.sinceAccept.reset();
                    t.next = accept->offset;
                }
            }
        } else if (const auto* credit = std::get_if<proto::FileCredit>(&body)) {
            for (auto& [key, t] : seen) {
                if (key.second == credit->transferId) {
                    if (!t.total.canGrant(credit->bytes)) violations.push_back("outstanding credit over 16 MiB");
                    t.sinceAccept.grant(credit->bytes);
                    t.total.grant(credit->bytes);
                    t.maxOutstanding = std::max(t.maxOutstanding, t.total.available());
                }
            }
        }
    }

    std::vector<Client*> m_clients;
};

inline constexpr std::uint64_t kMiB = 1024 * 1024;
inline constexpr UserId kAlice = 7;
inline constexpr UserId kBob = 8;

/// Alice (kAlice) and Bob (kBob), logged in, joined by a relay.
struct TwoClients {
    QueuedRunner runner;
    Client alice{kAlice, runner};
    Client bob{kBob, runner};
    Relay relay{{&alice, &bob}};

    TwoClients() {
        alice.login();
        bob.login();
    }

    /// Bob accepts every offer into his directory.
    void bobAcceptsAll() {
        bob.transfers.onOffer = [this](const TransferInfo& info) {
            if (bob.manager->accept(info.number, bob.dir.path()) != TransferError::None) {
                throw std::logic_error("accept refused");
            }
        };
    }

    void run(const std::function<bool()>& until = {}) { relay.run(runner, until); }

    /// Bytes Bob has written of his first transfer in progress.
    std::uint64_t bobDone() {
        const auto list = bob.manager->transfers();
        return list.empty() ? 0 : list.front().done;
    }
};

/// A file of `size` pseudo-random bytes.
inline std::filesystem::path writeRandomFile(const std::filesystem::path& path, std::uint64_t size,
                                             std::uint32_t seed = 1) {
    std::mt19937 random(seed);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::vector<char> buffer(64 * 1024);
    for (std::uint64_t done = 0; done < size;) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - done));
        for (std::size_t i = 0; i < n; ++i) {
            buffer[i] = static_cast<char>(random() & 0xFFU);
        }
        out.write(buffer.data(), static_cast<std::streamsize>(n));
        done += n;
    }
    return path;
}

inline std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::vector<std::string> filesIn(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.push_back(files::utf8FromPath(entry.path().filename()));
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace parley::transfer::test
