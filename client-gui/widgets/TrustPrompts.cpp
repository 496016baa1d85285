#include "client-gui/widgets/TrustPrompts.h"

#include "client-gui/widgets/Icons.h"

#include <QMessageBox>
#include <QPushButton>

#include <memory>

namespace parley::gui {

namespace {

QString monospace(const QString& fingerprint) {
    return QStringLiteral("<pre>%1</pre>").arg(fingerprintInLines(fingerprint).toHtmlEscaped());
}

struct BoxTexts {
    QString objectName, title, text, informative;
};

QMessageBox* newBox(QWidget* parent, QMessageBox::Icon kind, const BoxTexts& texts) {
    auto* box = new QMessageBox(parent);
    box->setObjectName(texts.objectName);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(kind);
    box->setWindowTitle(texts.title);
    box->setWindowModality(parent != nullptr ? Qt::WindowModal : Qt::ApplicationModal);
    box->setTextFormat(Qt::RichText);
    box->setText(texts.text);
    box->setInformativeText(texts.informative);
    return box;
}

}  // namespace

namespace {

/// "127.0.0.1:7878", or for a cluster "127.0.0.1:7879, a node of 127.0.0.1:7878,127.0.0.1:7879".
QString serverWithNode(const ServerAddress& server, const QString& node) {
    if (server.nodeCount() < 2 || node.isEmpty()) return server.toString();
    return QMessageBox::tr("%1, a node of %2").arg(node, server.listText());
}

}  // namespace

QString fingerprintInLines(const QString& fingerprint) {
    constexpr int kFirstLine = 16 * 3;  // 16 bytes "AB:" with their colons
    if (fingerprint.size() <= kFirstLine) {
        return fingerprint;
    }
    return fingerprint.left(kFirstLine) + QLatin1Char('\n') + fingerprint.mid(kFirstLine);
}

QMessageBox* openTrustQuestion(QWidget* parent, const ServerAddress& server, const QString& node,
                               const QString& fingerprint, std::function<void(bool trusted)> answer) {
    QMessageBox* box = newBox(
        parent, QMessageBox::Question,
        {QStringLiteral("trustDialog"), QMessageBox::tr("Parley — Trust this server?"),
         QMessageBox::tr("<b>Trust this server?</b><br><br>%1 presents a certificate that no certificate authority "
                         "you trust vouches for: it made its own (normal for a new Parley server), or someone is "
                         "in between.")
             .arg(serverWithNode(server, node).toHtmlEscaped()),
         QMessageBox::tr("Its SHA-256 fingerprint:%1Compare it with the one the server shows in its log and window, "
                         "or that its operator gives you. Trust it only if they match: Parley remembers it and "
                         "refuses the server if it ever changes.")
             .arg(monospace(fingerprint))});
    QPushButton* trust = box->addButton(QMessageBox::tr("&Trust"), QMessageBox::AcceptRole);
    trust->setObjectName(QStringLiteral("trustButton"));
    trust->setIcon(icon(IconName::Secure));
    QPushButton* cancel = box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelTrustButton"));
    box->setDefaultButton(cancel);  // Enter must not trust by accident
    box->setEscapeButton(cancel);
    // One answer, whichever way the box goes (a button, Esc, the window closed).
    auto answered = std::make_shared<bool>(false);
    QObject::connect(box, &QMessageBox::finished, box, [box, trust, answer, answered](int) {
        if (*answered) return;
        *answered = true;
        answer(box->clickedButton() == trust);
    });
    box->open();
    return box;
}

QMessageBox* openCertificateChangedWarning(QWidget* parent, const ServerAddress& server, const QString& node,
                                           const QString& pinnedFingerprint, const QString& presentedFingerprint) {
    QMessageBox* box = newBox(
        parent, QMessageBox::Critical,
        {QStringLiteral("certificateChangedBox"), QMessageBox::tr("Parley — The server's certificate changed"),
         QMessageBox::tr("<b>The certificate of %1 changed.</b><br><br>This can mean someone is intercepting the "
                         "connection. Parley did not connect and sent nothing (not your password either).")
             .arg(serverWithNode(server, node).toHtmlEscaped()),
         QMessageBox::tr("Trusted until now (SHA-256):%1Presented now:%2If the operator replaced the certificate, "
                         "ask them for the new fingerprint. Only if it matches, choose \"Forget this server's "
                         "certificate\" under Advanced in the login window and connect again.")
             .arg(monospace(pinnedFingerprint), monospace(presentedFingerprint))});
    box->setStandardButtons(QMessageBox::Close);
    box->open();
    return box;
}

}  // namespace parley::gui
