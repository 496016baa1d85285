// The desktop client's windows over TLS (an in-process server with a self-signed
// certificate): "Trust this server?" on first contact, answered by clicking; the main
// window's secure state; a changed certificate refused with the critical box until
// "Forget this server's certificate"; the plaintext choice under Advanced.
#include "tests/client-gui/widgets/GuiClient.h"

#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/PinnedCertificates.h"
#include "client-gui/widgets/LoginWindow.h"
#include "client-gui/widgets/MainWindow.h"
#include "client-gui/widgets/RegisterDialog.h"
#include "client-gui/widgets/TrustPrompts.h"
#include "platform/tls/Certificate.h"

#include <boost/test/unit_test.hpp>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QToolButton>

#include <fstream>

using namespace parley::gui;
using namespace parley::gui::test;

namespace {

/// The visible message box named `name` (a top-level window), waited for.
QMessageBox* openBox(const char* name) {
    QMessageBox* found = nullptr;
    waitUntil([&] {
        for (QWidget* window : QApplication::topLevelWidgets()) {
            if (window->objectName() == QLatin1String(name) && window->isVisible()) {
                found = qobject_cast<QMessageBox*>(window);
            }
        }
        return found != nullptr;
    });
    BOOST_TEST_REQUIRE(found != nullptr, "no " << name << " came up");
    return found;
}

/// Everything the box says (its text and the informative text with the fingerprints).
QString boxText(const QMessageBox& box) { return box.text() + QLatin1Char('\n') + box.informativeText(); }

/// A server with its own self-signed certificate (TLS as parley-server's default).
struct TlsHarness {
    parley::test::TempDir certificates{"parley-gui-tls"};
    parley::net::PemPair pair = parley::net::makeCertificate({});
    parley::test::EngineHarness server{[this](parley::server::ServerConfig& config) {
        const auto certificate = certificates.path() / "cert.pem";
        const auto key = certificates.path() / "key.pem";
        std::ofstream(certificate) << pair.certificate;
        std::ofstream(key) << pair.key;
        config.tls.enabled = true;
        config.tls.certificateFile = certificate.string();
        config.tls.keyFile = key.string();
    }};
    QString fingerprint = QString::fromStdString(parley::net::sha256FingerprintOfPem(pair.certificate));
    GuiClient alice{"alice", server, GuiClient::Trust::Ask};
    GuiClient bob{"bob", server, GuiClient::Trust::Ask};

    ServerAddress address() const { return {QStringLiteral("127.0.0.1"), server.port()}; }

    /// Registers `name` from `client` (the harness's own client speaks no TLS),
    /// trusting the certificate in the box that comes up.
    void registerThrough(GuiClient& client, const QString& name) {
        SessionController& controller = client.controller();
        QSignalSpy registered(&controller, &SessionController::registerSucceeded);
        controller.setPlaintext(false);
        controller.connectToServer(address());
        controller.registerAccount(name, name, password());
        openBox("trustDialog")->findChild<QPushButton*>(QStringLiteral("trustButton"))->click();
        BOOST_TEST_REQUIRE(waitUntil([&] { return registered.count() == 1; }), "register " << name.toStdString());
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(trust_widgets, TlsHarness)

BOOST_AUTO_TEST_CASE(first_contact_asks_trust_pins_and_the_main_window_says_secure) {
    // bob's first login: the box names the server and the fingerprint; Cancel sends nothing.
    bob.startLogIn(server.port(), QStringLiteral("bob"));
    QMessageBox* question = openBox("trustDialog");
    BOOST_TEST(question->windowTitle() == QStringLiteral("Parley — Trust this server?"));
    BOOST_TEST(boxText(*question).contains(address().toString()));
    BOOST_TEST(boxText(*question).contains(fingerprintInLines(fingerprint).toHtmlEscaped()),
               boxText(*question).toStdString());
    BOOST_TEST((question->defaultButton() == question->findChild<QPushButton*>(QStringLiteral("cancelTrustButton"))),
               "Enter must not trust");
    question->findChild<QPushButton*>(QStringLiteral("cancelTrustButton"))->click();
    auto* error = child<QLabel>(bob.app().loginWindow(), "loginError");
    BOOST_TEST(waitUntil([&] { return error->text().contains(QStringLiteral("did not trust")); }),
               "the login window said '" << error->text().toStdString() << "'");
    BOOST_TEST(!bob.app().mainWindow().isVisible());
    BOOST_TEST(bob.controller().pinnedFingerprint(address()).isEmpty());

    // alice trusts it (while registering), then logs in without a question.
    registerThrough(alice, QStringLiteral("alice"));
    BOOST_TEST(alice.controller().pinnedFingerprint(address()) == fingerprint);
    alice.logIn(server.port(), QStringLiteral("alice"));
    MainWindow& main = alice.app().mainWindow();
    const QString state = child<QLabel>(main, "connectionLabel")->text();
    BOOST_TEST(state.contains(QStringLiteral("secure")), state.toStdString());
    auto* lock = child<QLabel>(main, "securityIcon");
    BOOST_TEST(lock->isVisible());
    BOOST_TEST(lock->toolTip().contains(fingerprint));
    // The advanced area shows what this profile trusts for the server.
    LoginWindow& login = alice.app().loginWindow();
    BOOST_TEST(child<QLabel>(login, "pinnedCertificateLabel")->text().contains(fingerprintInLines(fingerprint)));
    BOOST_TEST(child<QPushButton>(login, "forgetCertificateButton")->isEnabled());
}

BOOST_AUTO_TEST_CASE(a_cluster_list_is_asked_about_under_its_first_node_naming_the_one_that_answered) {
    // The first node is down; the second presents the certificate. The pin is the cluster's,
    // keyed by the first node (the nodes of one cluster serve one certificate).
    SessionController& controller = alice.controller();
    QTcpServer probe;  // a port nobody listens on once it is closed
    BOOST_TEST_REQUIRE(probe.listen(QHostAddress::LocalHost));
    const QString dead = QStringLiteral("127.0.0.1:%1").arg(probe.serverPort());
    probe.close();
    const auto list = ServerAddress::parse(dead + QLatin1Char(',') + address().toString());
    BOOST_TEST_REQUIRE(list.has_value());
    QSignalSpy registered(&controller, &SessionController::registerSucceeded);
    controller.setPlaintext(false);
    controller.connectToServer(*list);
    controller.registerAccount(QStringLiteral("alice"), QStringLiteral("alice"), password());
    QMessageBox* question = openBox("trustDialog");
    BOOST_TEST(boxText(*question).contains(address().toString() + QStringLiteral(", a node of ") + list->listText()),
               boxText(*question).toStdString());
    question->findChild<QPushButton*>(QStringLiteral("trustButton"))->click();
    BOOST_TEST_REQUIRE(waitUntil([&] { return registered.count() == 1; }));
    BOOST_TEST(controller.pinnedFingerprint(*list) == fingerprint);
    BOOST_TEST(controller.pinnedFingerprint(address()).isEmpty());  // another server to the profile
}

BOOST_AUTO_TEST_CASE(a_changed_certificate_is_refused_loudly_until_forgotten) {
    registerThrough(bob, QStringLiteral("alice"));  // the account; bob's profile is not alice's
    // alice's profile trusted another certificate at this address before.
    const QString before =
        QString::fromStdString(parley::net::sha256FingerprintOfPem(parley::net::makeCertificate({}).certificate));
    PinnedCertificates(AccountPaths(QString::fromStdString(alice.profile().string())).knownServersFile())
        .pin(address(), before);

    alice.startLogIn(server.port(), QStringLiteral("alice"));
    QMessageBox* warning = openBox("certificateChangedBox");
    BOOST_TEST((warning->icon() == QMessageBox::Critical));
    BOOST_TEST(boxText(*warning).contains(QStringLiteral("intercepting")));
    BOOST_TEST(boxText(*warning).contains(fingerprintInLines(before).toHtmlEscaped()));
    BOOST_TEST(boxText(*warning).contains(fingerprintInLines(fingerprint).toHtmlEscaped()));
    LoginWindow& login = alice.app().loginWindow();
    auto* error = child<QLabel>(login, "loginError");
    BOOST_TEST(waitUntil([&] { return error->text().contains(QStringLiteral("changed")); }),
               error->text().toStdString());
    BOOST_TEST(!alice.app().mainWindow().isVisible());
    warning->close();

    // Forgetting is a deliberate click under Advanced; then the new one is asked about.
    child<QToolButton>(login, "advancedButton")->setChecked(true);
    auto* forget = child<QPushButton>(login, "forgetCertificateButton");
    BOOST_TEST_REQUIRE(forget->isEnabled());
    forget->click();
    BOOST_TEST(alice.controller().pinnedFingerprint(address()).isEmpty());
    BOOST_TEST(!forget->isEnabled());
    alice.startLogIn(server.port(), QStringLiteral("alice"));
    QMessageBox* question = openBox("trustDialog");
    BOOST_TEST(boxText(*question).contains(fingerprintInLines(fingerprint).toHtmlEscaped()));
    question->findChild<QPushButton*>(QStringLiteral("trustButton"))->click();
    BOOST_TEST(waitUntil([&] {
        return alice.app().mainWindow().isVisible() &&
               alice.controller().connectionState() == ConnectionState::Connected;
    }));
    BOOST_TEST(alice.controller().pinnedFingerprint(address()) == fingerprint);
}

BOOST_AUTO_TEST_CASE(first_contact_while_registering_asks_over_the_register_dialog) {
    LoginWindow& login = alice.app().loginWindow();
    child<QComboBox>(login, "serverCombo")->setCurrentText(address().toString());
    child<QPushButton>(login, "registerButton")->click();
    auto* dialog = login.findChild<RegisterDialog*>();
    BOOST_TEST_REQUIRE((dialog != nullptr && dialog->isVisible()));
    child<QLineEdit>(*dialog, "nameEdit")->setText(QStringLiteral("alice"));
    child<QLineEdit>(*dialog, "passwordEdit")->setText(password());
    child<QLineEdit>(*dialog, "repeatEdit")->setText(password());
    child<QPushButton>(*dialog, "registerButton")->click();
    QMessageBox* question = openBox("trustDialog");
    BOOST_TEST((question->parentWidget() == dialog), "the box must not hide behind the modal dialog");
    question->findChild<QPushButton*>(QStringLiteral("trustButton"))->click();
    BOOST_TEST(waitUntil([&] { return alice.app().inSession(); }), "registering did not lead to a login");
    BOOST_TEST(alice.controller().isSecure());
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// A server started with --plaintext and the account alice.
struct PlaintextServer {
    parley::test::EngineHarness server{[](parley::server::ServerConfig& config) { config.tls.enabled = false; }};
    PlaintextServer() { server.registerUser("alice"); }
};

}  // namespace

// The plaintext choice against a plaintext server.
BOOST_FIXTURE_TEST_SUITE(plaintext_widgets, PlaintextServer)

BOOST_AUTO_TEST_CASE(plaintext_is_chosen_per_server_with_a_warning_and_the_main_window_says_so) {
    GuiClient carol{"carol", ClientOptions{}};  // no --plaintext: the choice is made in the window
    LoginWindow& login = carol.app().loginWindow();
    child<QComboBox>(login, "serverCombo")->setCurrentText(QStringLiteral("127.0.0.1:%1").arg(server.port()));
    child<QToolButton>(login, "advancedButton")->setChecked(true);
    auto* plaintext = child<QCheckBox>(login, "plaintextCheck");
    BOOST_TEST(!plaintext->isChecked());  // TLS unless chosen
    auto* warning = child<QLabel>(login, "plaintextWarning");
    BOOST_TEST(!warning->isVisible());
    plaintext->setChecked(true);
    BOOST_TEST(warning->isVisible());
    BOOST_TEST(warning->text().contains(QStringLiteral("in clear")));

    carol.logIn(server.port(), QStringLiteral("alice"));
    MainWindow& main = carol.app().mainWindow();
    const QString state = child<QLabel>(main, "connectionLabel")->text();
    BOOST_TEST(state.contains(QStringLiteral("NOT encrypted")), state.toStdString());
    BOOST_TEST(!carol.controller().isSecure());

    // Remembered for this server only.
    carol.logOut(server);
    BOOST_TEST(plaintext->isChecked());
    child<QComboBox>(login, "serverCombo")->setCurrentText(QStringLiteral("192.0.2.1:7878"));
    BOOST_TEST(!plaintext->isChecked());
    child<QComboBox>(login, "serverCombo")->setCurrentText(QStringLiteral("127.0.0.1:%1").arg(server.port()));
    BOOST_TEST(plaintext->isChecked());
}

BOOST_AUTO_TEST_SUITE_END()
