#include "client-gui/widgets/SecurityPanel.h"

#include "client-gui/core/ClientSettings.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/Icons.h"
#include "client-gui/widgets/TrustPrompts.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace parley::gui {

SecurityPanel::SecurityPanel(SessionController& controller, ClientSettings& settings, QWidget* parent)
    : QWidget(parent),
      m_controller(controller),
      m_settings(settings),
      m_plaintext(new QCheckBox(tr("Plaintext (insecure)"))),
      m_warning(new QLabel),
      m_pinned(new QLabel),
      m_forget(new QPushButton(tr("&Forget this server's certificate"))) {
    m_plaintext->setObjectName(QStringLiteral("plaintextCheck"));
    m_plaintext->setToolTip(tr("Only for a server started with --plaintext: no TLS."));
    m_warning->setObjectName(QStringLiteral("plaintextWarning"));
    m_warning->setWordWrap(true);
    m_warning->setText(
        tr("<span style=\"color:#b35c00\"><b>Not encrypted:</b> your password and messages "
           "cross the network in clear; anyone on the way can read and change them.</span>"));
    m_pinned->setObjectName(QStringLiteral("pinnedCertificateLabel"));
    m_pinned->setWordWrap(true);
    m_pinned->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_forget->setObjectName(QStringLiteral("forgetCertificateButton"));

    auto* warningIcon = new QLabel;
    warningIcon->setPixmap(icon(IconName::Insecure).pixmap(16, 16));
    auto* warningRow = new QHBoxLayout;
    warningRow->addWidget(warningIcon, 0, Qt::AlignTop);
    warningRow->addWidget(m_warning, 1);
    auto* warningBox = new QWidget;
    warningBox->setLayout(warningRow);
    warningRow->setContentsMargins(0, 0, 0, 0);
    connect(m_plaintext, &QCheckBox::toggled, warningBox, &QWidget::setVisible);

    auto* forgetRow = new QHBoxLayout;
    forgetRow->addWidget(m_forget);
    forgetRow->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plaintext);
    layout->addWidget(warningBox);
    layout->addWidget(m_pinned);
    layout->addLayout(forgetRow);
    warningBox->setVisible(false);

    connect(m_forget, &QPushButton::clicked, this, &SecurityPanel::forgetCertificate);
}

void SecurityPanel::showServer(const std::optional<ServerAddress>& server) {
    m_server = server;
    if (!m_forced) m_plaintext->setChecked(server && m_settings.plaintext(*server));
    updatePinned();
}

void SecurityPanel::forcePlaintext() {
    m_forced = true;
    m_plaintext->setChecked(true);
}

bool SecurityPanel::plaintext() const { return m_plaintext->isChecked(); }

void SecurityPanel::rememberChoice() {
    if (m_server) m_settings.setPlaintext(*m_server, plaintext());
}

void SecurityPanel::updatePinned() {
    const QString pinned = m_server ? m_controller.pinnedFingerprint(*m_server) : QString();
    m_forget->setEnabled(!pinned.isEmpty());
    m_pinned->setText(
        pinned.isEmpty()
            ? tr("No certificate is remembered for this server.")
            : tr("Trusted certificate (SHA-256):<pre>%1</pre>").arg(fingerprintInLines(pinned).toHtmlEscaped()));
}

void SecurityPanel::forgetCertificate() {
    if (!m_server) return;
    const QString failed = m_controller.forgetCertificate(*m_server);
    updatePinned();
    if (!failed.isEmpty()) {
        m_pinned->setText(tr("Cannot forget the certificate: %1").arg(failed.toHtmlEscaped()));
        return;
    }
    m_pinned->setText(tr("Forgotten: the next connection to %1 shows its certificate for you to trust.")
                          .arg(m_server->toString().toHtmlEscaped()));
}

}  // namespace parley::gui
