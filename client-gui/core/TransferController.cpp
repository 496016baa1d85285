#include "client-gui/core/TransferController.h"

#include "client-gui/core/HistoryStore.h"
#include "platform/fileio/ThreadedFileIo.h"
#include "shared/files/FileName.h"
#include "shared/transfer/TransferManager.h"

#include <QDir>
#include <QFileInfo>
#include <QMetaObject>

#include <utility>

namespace parley::gui {

namespace {

QString fromUtf8(const std::string& text) { return QString::fromStdString(text); }

std::filesystem::path toPath(const QString& path) { return files::pathFromUtf8(path.toStdString()); }

/// The card's last words for an outcome.
/// What a person's Decline sends as the reason's text.
constexpr const char* kDeclineText = "declined";

QString endText(const transfer::TransferOutcome& outcome, const QString& peer, bool declinedHere) {
    using transfer::OutcomeKind;
    switch (outcome.kind) {
    case OutcomeKind::Verified: return TransferController::tr("verified");
    case OutcomeKind::Rejected:
        if (declinedHere) {
            return TransferController::tr("declined");
        }
        if (outcome.local) {
            // Our own check refused it after the person accepted (the folder, the file): the
            // wire's "Declined" would read as if they had said no.
            const bool checkFailed = outcome.rejectReason == proto::FileRejectReason::Declined && !outcome.text.empty();
            return TransferController::tr("not accepted: %1")
                .arg(fromUtf8(checkFailed ? outcome.text : transfer::describe(outcome)));
        }
        if (outcome.rejectReason == proto::FileRejectReason::Declined) {
            if (outcome.text.empty() || outcome.text == kDeclineText) {
                return TransferController::tr("declined by %1").arg(peer);
            }
            // Their side refused it after they accepted (the folder, the disk).
            return TransferController::tr("refused by %1: %2").arg(peer, fromUtf8(outcome.text));
        }
        return TransferController::tr("refused by %1: %2").arg(peer, fromUtf8(transfer::describe(outcome)));
    case OutcomeKind::Cancelled:
        if (outcome.cancelReason == proto::FileCancelReason::ByUser) {
            return outcome.local ? TransferController::tr("cancelled")
                                 : TransferController::tr("cancelled by %1").arg(peer);
        }
        break;
    case OutcomeKind::Failed: break;
    }
    return TransferController::tr("failed: %1").arg(fromUtf8(transfer::describe(outcome)));
}

}  // namespace

TransferController::TransferController(session::ClientSession& session, HistoryStore& store, const QString& stateDir,
                                       Hooks hooks, QObject* parent)
    : QObject(parent), m_session(session), m_store(store), m_hooks(std::move(hooks)) {
    // Completions come from the worker threads; each runs on this (GUI) thread.
    m_fileIo = std::make_unique<fileio::ThreadedFileIo>([this](std::function<void()> fn) {
        QMetaObject::invokeMethod(
            this,
            [this, fn = std::move(fn)] {
                fn();
                flush();
            },
            Qt::QueuedConnection);
    });
    m_manager = std::make_unique<transfer::TransferManager>(m_session, m_fileIo->io(),
                                                            static_cast<transfer::TransferListener&>(*this));
    m_manager->setOutputBacklog([this] { return m_hooks.backlog ? m_hooks.backlog() : std::size_t{0}; });
    QDir().mkpath(stateDir);
    m_manager->setStateDirectory(toPath(stateDir));
}

TransferController::~TransferController() {
    // The manager first (it uses the FileIo), then the workers: no completion runs after.
    m_manager.reset();
    m_fileIo.reset();
}

void TransferController::flush() const {
    if (m_hooks.flush) {
        m_hooks.flush();
    }
}

int TransferController::sendFiles(quint32 peer, const QStringList& paths) {
    int started = 0;
    for (const QString& path : paths) {
        const QString name = QFileInfo(path).fileName();
        const qint64 row = m_store.addPendingFile(peer, path, name);
        if (startSend(peer, path, name, row) != 0) {
            ++started;
        } else if (row != 0) {
            m_store.removePendingFile(row);
        }
    }
    flush();
    return started;
}

transfer::TransferNumber TransferController::startSend(quint32 peer, const QString& path, const QString& name,
                                                       qint64 pendingId) {
    transfer::TransferError error = transfer::TransferError::None;
    const transfer::TransferNumber number = m_manager->sendFile(peer, toPath(path), name.toStdString(), &error);
    if (number == 0) {
        m_model.addEnded(peer, nameOf(peer), name, path,
                         tr("not sent: %1").arg(QString::fromLatin1(transfer::toString(error))));
        return 0;
    }
    if (pendingId != 0) {
        m_pendingRows.insert(number, pendingId);
    }
    if (const auto info = m_manager->find(number)) {
        m_model.update(*info, nameOf(peer));
    }
    return number;
}

bool TransferController::accept(transfer::TransferNumber number, const QString& directory) {
    const bool ok = m_manager->accept(number, toPath(directory)) == transfer::TransferError::None;
    flush();
    return ok;
}

bool TransferController::decline(transfer::TransferNumber number) {
    m_declined.insert(number);  // before: the card ends inside reject()
    const bool ok = m_manager->reject(number, kDeclineText) == transfer::TransferError::None;
    m_declined.remove(number);
    flush();
    return ok;
}

bool TransferController::cancel(transfer::TransferNumber number) {
    const bool ok = m_manager->cancel(number) == transfer::TransferError::None;
    flush();
    return ok;
}

void TransferController::outputDrained() {
    m_manager->onOutputDrained();
    flush();
}

void TransferController::ready() {
    if (m_restored) {
        return;  // this process's transfers re-offer by themselves after a reconnect
    }
    m_restored = true;
    for (const PendingFile& file : m_store.pendingFiles()) {
        reoffer(file);
    }
    flush();
}

void TransferController::reoffer(const PendingFile& file) {
    if (file.sha256Hex.isEmpty()) {
        startSend(file.receiver, file.path, file.name, file.id);  // never hashed: nothing to compare
        return;
    }
    // Hash it again off the GUI thread: a file changed since the offer is never sent mixed.
    m_fileIo->io().hashFile(toPath(file.path), [this, file](transfer::HashResult result) {
        const bool same = result.error == transfer::IoError::None && result.size == file.size &&
                          fromUtf8(transfer::toHex(result.sha256)) == file.sha256Hex;
        if (same) {
            startSend(file.receiver, file.path, file.name, file.id);
            return;
        }
        m_store.removePendingFile(file.id);
        const QString why = result.error != transfer::IoError::None
                                ? tr("not offered again: the file cannot be read (%1)").arg(fromUtf8(result.text))
                                : tr("not offered again: the file changed on disk since it was offered");
        m_model.addEnded(file.receiver, nameOf(file.receiver), file.name, file.path, why);
    });
}

// ---- TransferListener -------------------------------------------------------------------

void TransferController::onIncomingOffer(const transfer::TransferInfo& info) {
    m_model.update(info, nameOf(info.peer));
    // Shown as it will be saved: the sanitiser decides, not the sender.
    m_model.setSavedName(info.number, fromUtf8(files::sanitizeFileName(info.name)));
    emit offerReceived(info.peer, info.number, fromUtf8(files::sanitizeFileName(info.name)));
}

void TransferController::onTransferStateChanged(const transfer::TransferInfo& info) {
    m_model.update(info, nameOf(info.peer));
    if (info.direction == transfer::Direction::Outgoing && info.state == transfer::TransferState::Offered &&
        !m_hashStored.value(info.number)) {
        const auto row = m_pendingRows.constFind(info.number);
        if (row != m_pendingRows.constEnd()) {
            m_store.setPendingFileHash(*row, info.size, fromUtf8(transfer::toHex(info.sha256)));
            m_hashStored.insert(info.number, true);
        }
    }
    if (info.direction == transfer::Direction::Incoming && !info.path.empty()) {
        QString leaf = QFileInfo(fromUtf8(info.path)).fileName();
        if (leaf.endsWith(QLatin1String(".part"))) {
            leaf.chop(5);
        }
        m_model.setSavedName(info.number, leaf);
    }
}

void TransferController::onTransferProgress(const transfer::TransferInfo& info) {
    m_model.update(info, nameOf(info.peer));
}

void TransferController::onTransferFinished(const transfer::TransferInfo& info,
                                            const transfer::TransferOutcome& outcome) {
    const auto row = m_pendingRows.constFind(info.number);
    if (row != m_pendingRows.constEnd()) {
        m_store.removePendingFile(*row);
        m_pendingRows.erase(row);
    }
    m_hashStored.remove(info.number);
    const bool verified = outcome.kind == transfer::OutcomeKind::Verified;
    const QString path = info.direction == transfer::Direction::Incoming ? fromUtf8(outcome.path) : fromUtf8(info.path);
    m_model.finish(info, nameOf(info.peer), verified,
                   endText(outcome, nameOf(info.peer), m_declined.remove(info.number)), path);
    emit transferEnded(info.peer, info.number, verified);
}

}  // namespace parley::gui
