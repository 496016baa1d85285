#pragma once
// The two boxes about a server's certificate (SessionController::trustRequired and
// ::certificateChanged). Both are opened, not exec'd: they are window-modal, the event
// loop (and the tests) go on, and the answer comes back through a callback.
//
// Object names (the GUI test contract): trustDialog with trustButton and
// cancelTrustButton; certificateChangedBox.
//
// Threading: GUI thread only.

#include "client-gui/core/ServerAddress.h"

#include <QString>

#include <functional>

class QMessageBox;
class QWidget;

namespace parley::gui {

/// The fingerprint in two lines of 16 bytes (it is 95 characters on one).
QString fingerprintInLines(const QString& fingerprint);

/// "Trust this server?": the address and the SHA-256 fingerprint, Trust / Cancel.
/// `answer(true)` after Trust, `answer(false)` after Cancel or closing the box. `node`: the
/// node of a cluster's list that presented it (SessionController::currentNode()), named
/// with the cluster.
QMessageBox* openTrustQuestion(QWidget* parent, const ServerAddress& server, const QString& node,
                               const QString& fingerprint, std::function<void(bool trusted)> answer);

/// The loud refusal of a changed certificate, with both fingerprints.
QMessageBox* openCertificateChangedWarning(QWidget* parent, const ServerAddress& server, const QString& node,
                                           const QString& pinnedFingerprint, const QString& presentedFingerprint);

}  // namespace parley::gui
