#pragma once
// The desktop client's file transfers: owns the shared TransferManager (the same state
// machine parley-cli drives) on the logged-in account's session, its FileIo on worker
// threads (platform/fileio: the GUI thread never reads, writes or hashes a file), and
// the TransferListModel the cards show. Made by SessionController per account.
//
//   SessionController --session, flush, backlog--> TransferController --> TransferManager
//   FileWorkers (2 threads) --completions, queued--> GUI thread --> TransferManager
//   TransferListener events --> TransferListModel rows, signals for notifications
//
// Resume: incoming transfers keep their resume state in the account's "transfers" folder
// (TransferManager::setStateDirectory); outgoing ones are kept in the HistoryStore
// (pending_file: path, size, hash, receiver) until they end, and offered again after the
// next login of a new process: a file that is gone or changed since the offer is not
// sent, its card says why.
//
// Threading: the GUI thread only.

#include "client-gui/core/TransferListModel.h"
#include "shared/transfer/TransferListener.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <functional>
#include <memory>

namespace parley::session {
class ClientSession;
}
namespace parley::transfer {
class TransferManager;
}
namespace parley::fileio {
class ThreadedFileIo;
}

namespace parley::gui {

class HistoryStore;
struct PendingFile;

class TransferController : public QObject, private transfer::TransferListener {
    Q_OBJECT
public:
    /// What the session's owner provides.
    struct Hooks {
        std::function<void()> flush;             ///< write the session's output to the socket
        std::function<std::size_t()> backlog;    ///< bytes queued for the socket, not yet written
        std::function<QString(quint32)> nameOf;  ///< a peer's name for the cards
    };

    /// `session` and `store` must outlive the controller. `stateDir`: the account's folder
    /// for incoming resume state (created when first needed).
    TransferController(session::ClientSession& session, HistoryStore& store, const QString& stateDir, Hooks hooks,
                       QObject* parent = nullptr);
    ~TransferController() override;

    TransferListModel* model() { return &m_model; }

    /// Offers each file to `peer` (hashing first, off the GUI thread). Returns how many
    /// were started.
    int sendFiles(quint32 peer, const QStringList& paths);
    /// Accepts offer `number` into `directory`; false if it is not an open offer.
    bool accept(transfer::TransferNumber number, const QString& directory);
    bool decline(transfer::TransferNumber number);
    bool cancel(transfer::TransferNumber number);
    void clearFinished() { m_model.clearFinished(); }

    // ---- from SessionController ---------------------------------------------------
    /// Socket output was written: more chunks may go.
    void outputDrained();
    /// Logged in and the contact list is in: offers again what an earlier process left.
    void ready();

signals:
    /// A new offer waits for Accept/Decline (for a notification).
    void offerReceived(quint32 peer, quint32 number, const QString& name);
    /// A transfer ended (row in the model says how).
    void transferEnded(quint32 peer, quint32 number, bool verified);

private:
    // TransferListener
    void onIncomingOffer(const transfer::TransferInfo& info) override;
    void onTransferFinished(const transfer::TransferInfo& info, const transfer::TransferOutcome& outcome) override;
    void onTransferStateChanged(const transfer::TransferInfo& info) override;
    void onTransferProgress(const transfer::TransferInfo& info) override;

    transfer::TransferNumber startSend(quint32 peer, const QString& path, const QString& name, qint64 pendingId);
    void reoffer(const PendingFile& file);
    QString nameOf(quint32 peer) const { return m_hooks.nameOf ? m_hooks.nameOf(peer) : QString::number(peer); }
    void flush() const;

    session::ClientSession& m_session;
    HistoryStore& m_store;
    Hooks m_hooks;
    TransferListModel m_model;
    std::unique_ptr<fileio::ThreadedFileIo> m_fileIo;  // outlives m_manager
    std::unique_ptr<transfer::TransferManager> m_manager;
    QHash<transfer::TransferNumber, qint64> m_pendingRows;  ///< outgoing number -> pending_file row
    QHash<transfer::TransferNumber, bool> m_hashStored;
    QSet<transfer::TransferNumber> m_declined;  ///< offers the person declined (not refused by a check)
    bool m_restored = false;
};

}  // namespace parley::gui
