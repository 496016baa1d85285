// The desktop client's trust rules over real TLS (SessionController on TlsLayer
// against the real parley-server): a CA-verified certificate is accepted silently; an
// unknown one is asked about (trustRequired), pinned when trusted, and a reconnect does
// not ask again; a changed one is refused (certificateChanged, no reconnect) until the
// pin is forgotten; --plaintext on both sides works, a mismatch fails clearly.

#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/ConversationModel.h"
#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/SessionController.h"
#include "platform/tls/Certificate.h"
#include "tests/client-gui/core/GuiTestSupport.h"

#include <QSignalSpy>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <memory>

using namespace parley::gui;
using namespace parley::gui::test;
using parley::test::TempDir;

namespace {

const QString kPassword = QStringLiteral("correct horse");

/// A server (TLS unless told) and fresh profiles that trust nothing yet.
struct TlsServer {
    TempDir dir;
    ServerProcess server;

    explicit TlsServer(std::vector<std::string> serverArgs = {}, Transport transport = Transport::Tls)
        : server(dir.path() / "server", std::move(serverArgs), transport) {}

    AccountPaths profile(const QString& name) const { return AccountPaths(qstr(dir.path()) + QLatin1Char('/') + name); }

    /// A controller for `name`'s profile, connected; `caFile`: the CAs it trusts.
    std::unique_ptr<SessionController> controller(const QString& name, const std::filesystem::path& caFile = {}) {
        auto c = std::make_unique<SessionController>(profile(name));
        c->setReconnectDelays(200, 1000);
        c->setPlaintext(server.transport() == Transport::Plaintext);
        if (!caFile.empty()) {
            BOOST_TEST_REQUIRE(c->setCaCertificatesFile(qstr(caFile)).isEmpty());
        }
        c->connectToServer(server.address());
        return c;
    }

    /// Registers `name` from its own profile, trusting the certificate if asked.
    void registerUser(const QString& name) {
        auto c = controller(name);
        QSignalSpy ok(c.get(), &SessionController::registerSucceeded);
        QObject::connect(c.get(), &SessionController::trustRequired, c.get(),
                         [&c](const ServerAddress&, const QString& fingerprint) { c->trustCertificate(fingerprint); });
        c->registerAccount(name, name.toUpper(), kPassword);
        BOOST_TEST_REQUIRE(waitFor([&] { return ok.count() == 1; }), "register " << name.toStdString() << " failed");
    }
};

/// Writes `text` to `path`.
void writeFile(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
}

/// One log line of the server names this fingerprint (the one people compare with).
bool serverLogs(const ServerProcess& server, const QString& fingerprint) {
    return QString::fromStdString(server.output()).contains(fingerprint);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tls_session)

BOOST_FIXTURE_TEST_CASE(first_contact_asks_trust_pins_and_reconnects_do_not_ask, TlsServer) {
    const QString fingerprint = server.fingerprint();
    BOOST_TEST(serverLogs(server, fingerprint));

    auto alice = controller(QStringLiteral("alice"));
    QSignalSpy asked(alice.get(), &SessionController::trustRequired);
    QSignalSpy registered(alice.get(), &SessionController::registerSucceeded);
    alice->registerAccount(QStringLiteral("alice"), QStringLiteral("Alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return asked.count() == 1; }));
    // What the dialog shows: the address and the fingerprint the server logs.
    BOOST_TEST((asked.at(0).at(0).value<ServerAddress>() == server.address()));
    BOOST_TEST(asked.at(0).at(1).toString().toStdString() == fingerprint.toStdString());
    BOOST_TEST(alice->pinnedFingerprint(server.address()).isEmpty());
    spin(300ms);
    BOOST_TEST(registered.count() == 0);  // nothing goes out before the answer

    alice->trustCertificate(fingerprint);
    BOOST_TEST_REQUIRE(waitFor([&] { return registered.count() == 1; }));
    BOOST_TEST(alice->pinnedFingerprint(server.address()).toStdString() == fingerprint.toStdString());
    // The pin is in the profile's known_servers, in parley-cli's format.
    std::ifstream known(profile(QStringLiteral("alice")).knownServersFile().toStdString());
    std::string line;
    bool pinnedLine = false;
    while (std::getline(known, line)) {
        pinnedLine = pinnedLine || line == server.address().toString().toStdString() + " " + fingerprint.toStdString();
    }
    BOOST_TEST(pinnedLine);

    QSignalSpy ready(alice.get(), &SessionController::ready);
    alice->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return ready.count() == 1; }));
    BOOST_TEST(alice->isSecure());
    BOOST_TEST(alice->serverFingerprint().toStdString() == fingerprint.toStdString());

    // Chat over TLS with a second person (who trusts on first contact too).
    registerUser(QStringLiteral("bob"));
    auto bob = controller(QStringLiteral("bob"));
    QSignalSpy bobReady(bob.get(), &SessionController::ready);
    bob->logIn(QStringLiteral("bob"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return bobReady.count() == 1; }));
    quint32 bobId = 0;
    BOOST_TEST_REQUIRE(waitFor([&] {
        const ContactListModel& list = *alice->contacts();
        for (int row = 0; row < list.rowCount(); ++row) {
            if (list.index(row).data(ContactListModel::NameRole).toString() == QStringLiteral("bob")) {
                bobId = list.index(row).data(ContactListModel::UserIdRole).toUInt();
            }
        }
        return bobId != 0;
    }));
    QSignalSpy received(bob.get(), &SessionController::messageReceived);
    BOOST_TEST(alice->sendChat(bobId, QStringLiteral("over TLS")));
    BOOST_TEST_REQUIRE(waitFor([&] { return received.count() == 1; }));
    BOOST_TEST(received.at(0).at(2).toString().toStdString() == "over TLS");

    // The server goes away and comes back with the same certificate: no question.
    server.kill();
    BOOST_TEST_REQUIRE(waitFor([&] { return alice->connectionState() == ConnectionState::Reconnecting; }));
    server.start();
    BOOST_TEST_REQUIRE(waitFor([&] { return ready.count() == 2; }, 20s));
    BOOST_TEST(alice->isSecure());
    BOOST_TEST(asked.count() == 1);
}

BOOST_FIXTURE_TEST_CASE(declining_the_certificate_fails_the_login_and_pins_nothing, TlsServer) {
    registerUser(QStringLiteral("alice"));
    auto c = controller(QStringLiteral("carol"));  // a profile that has not seen the server
    QSignalSpy asked(c.get(), &SessionController::trustRequired);
    QSignalSpy failed(c.get(), &SessionController::loginFailed);
    c->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return asked.count() == 1; }));
    c->declineCertificate();
    BOOST_TEST_REQUIRE(failed.count() == 1);
    BOOST_TEST((failed.at(0).at(0).value<LoginError>() == LoginError::Untrusted));
    BOOST_TEST(failed.at(0).at(1).toString().contains(server.address().toString()));
    BOOST_TEST((c->connectionState() == ConnectionState::Offline));
    BOOST_TEST(c->pinnedFingerprint(server.address()).isEmpty());
    spin(500ms);
    BOOST_TEST(asked.count() == 1);  // no reconnect that would ask again
}

BOOST_FIXTURE_TEST_CASE(a_changed_certificate_is_refused_until_the_pin_is_forgotten, TlsServer) {
    registerUser(QStringLiteral("alice"));
    const QString oldFingerprint = server.fingerprint();
    auto alice = controller(QStringLiteral("alice"));  // pinned by registerUser
    QSignalSpy ready(alice.get(), &SessionController::ready);
    QSignalSpy asked(alice.get(), &SessionController::trustRequired);
    QSignalSpy changed(alice.get(), &SessionController::certificateChanged);
    alice->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return ready.count() == 1; }));

    // While logged in, the server comes back with another certificate (its data folder's
    // pair replaced, as an attacker in between would present his own).
    server.kill();
    std::filesystem::remove(server.dataDir() / "tls-certificate.pem");
    std::filesystem::remove(server.dataDir() / "tls-key.pem");
    server.start();
    const QString newFingerprint = server.fingerprint();
    BOOST_TEST_REQUIRE(newFingerprint != oldFingerprint);
    BOOST_TEST_REQUIRE(waitFor([&] { return changed.count() == 1; }, 20s));
    BOOST_TEST((changed.at(0).at(0).value<ServerAddress>() == server.address()));
    BOOST_TEST(changed.at(0).at(1).toString().toStdString() == oldFingerprint.toStdString());
    BOOST_TEST(changed.at(0).at(2).toString().toStdString() == newFingerprint.toStdString());
    BOOST_TEST((alice->connectionState() == ConnectionState::Offline));
    spin(1500ms);  // longer than the reconnect delays: it does not try again
    BOOST_TEST(changed.count() == 1);
    BOOST_TEST(ready.count() == 1);
    BOOST_TEST(asked.count() == 0);
    BOOST_TEST(alice->pinnedFingerprint(server.address()).toStdString() == oldFingerprint.toStdString());

    // A new login is refused too, with the reason.
    QSignalSpy failed(alice.get(), &SessionController::loginFailed);
    alice->connectToServer(server.address());
    alice->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return failed.count() == 1; }));
    BOOST_TEST((failed.at(0).at(0).value<LoginError>() == LoginError::Untrusted));
    BOOST_TEST(failed.at(0).at(1).toString().contains(QStringLiteral("intercepting")));
    BOOST_TEST(changed.count() == 2);

    // Only after forgetting the pin deliberately is the new one asked about.
    BOOST_TEST(alice->forgetCertificate(server.address()).isEmpty());
    BOOST_TEST(alice->pinnedFingerprint(server.address()).isEmpty());
    alice->connectToServer(server.address());
    alice->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return asked.count() == 1; }));
    BOOST_TEST(asked.at(0).at(1).toString().toStdString() == newFingerprint.toStdString());
    alice->trustCertificate(newFingerprint);
    BOOST_TEST_REQUIRE(waitFor([&] { return ready.count() == 2; }));
    BOOST_TEST(alice->isSecure());
}

namespace {

/// A CA, a server certificate it signs for `names`, both as files in `dir`.
struct CaSigned {
    std::filesystem::path caFile, certificateFile, keyFile;

    CaSigned(const std::filesystem::path& dir, std::vector<std::string> dnsNames, std::vector<std::string> ips)
        : caFile(dir / "ca.pem"), certificateFile(dir / "server-cert.pem"), keyFile(dir / "server-key.pem") {
        std::filesystem::create_directories(dir);
        parley::net::CertificateSpec caSpec;
        caSpec.commonName = "Parley Test CA";
        caSpec.certificateAuthority = true;
        const parley::net::PemPair ca = parley::net::makeCertificate(caSpec);
        parley::net::CertificateSpec spec;
        spec.commonName = dnsNames.empty() ? "parley" : dnsNames.front();
        spec.dnsNames = std::move(dnsNames);
        spec.ipAddresses = std::move(ips);
        spec.issuer = &ca;
        const parley::net::PemPair server = parley::net::makeCertificate(spec);
        writeFile(caFile, ca.certificate);
        writeFile(certificateFile, server.certificate);
        writeFile(keyFile, server.key);
    }

    std::vector<std::string> serverArgs() const {
        return {"--tls-cert", certificateFile.string(), "--tls-key", keyFile.string()};
    }
};

struct CaServer {
    TempDir certificates;
    CaSigned pair;
    TlsServer tls;
    explicit CaServer(std::vector<std::string> dnsNames = {"localhost"}, std::vector<std::string> ips = {"127.0.0.1"})
        : pair(certificates.path(), std::move(dnsNames), std::move(ips)), tls(pair.serverArgs()) {}
};

struct WrongHostCaServer : CaServer {
    WrongHostCaServer() : CaServer({"chat.example.org"}, {}) {}
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_certificate_from_a_trusted_ca_is_accepted_without_asking, CaServer) {
    auto c = tls.controller(QStringLiteral("alice"), pair.caFile);
    QSignalSpy asked(c.get(), &SessionController::trustRequired);
    QSignalSpy registered(c.get(), &SessionController::registerSucceeded);
    c->registerAccount(QStringLiteral("alice"), QStringLiteral("Alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return registered.count() == 1 || asked.count() == 1; }));
    BOOST_TEST(asked.count() == 0);
    BOOST_TEST(registered.count() == 1);
    QSignalSpy ready(c.get(), &SessionController::ready);
    c->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return ready.count() == 1; }));
    BOOST_TEST(c->isSecure());
    BOOST_TEST(c->pinnedFingerprint(tls.server.address()).isEmpty());  // a CA vouches: nothing to pin

    // A file without a certificate is refused with a reason.
    const std::filesystem::path empty = certificates.path() / "empty.pem";
    writeFile(empty, "not a certificate\n");
    BOOST_TEST(c->setCaCertificatesFile(qstr(empty)).contains(qstr(empty)));
}

BOOST_FIXTURE_TEST_CASE(a_ca_certificate_for_another_host_is_not_accepted_silently, WrongHostCaServer) {
    auto c = tls.controller(QStringLiteral("alice"), pair.caFile);
    QSignalSpy asked(c.get(), &SessionController::trustRequired);
    QSignalSpy registered(c.get(), &SessionController::registerSucceeded);
    c->registerAccount(QStringLiteral("alice"), QStringLiteral("Alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return asked.count() == 1; }));  // the host name check failed
    BOOST_TEST(registered.count() == 0);
}

BOOST_AUTO_TEST_CASE(plaintext_works_against_a_plaintext_server_and_a_mismatch_fails) {
    TlsServer plain({}, Transport::Plaintext);
    plain.registerUser(QStringLiteral("alice"));
    auto c = plain.controller(QStringLiteral("alice"));
    QSignalSpy ready(c.get(), &SessionController::ready);
    c->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return ready.count() == 1; }));
    BOOST_TEST(!c->isSecure());
    BOOST_TEST(c->serverFingerprint().isEmpty());

    // TLS to the plaintext server: a clear failure, not a hang.
    auto tlsClient = std::make_unique<SessionController>(plain.profile(QStringLiteral("tls")));
    tlsClient->connectToServer(plain.server.address());
    QSignalSpy failed(tlsClient.get(), &SessionController::loginFailed);
    tlsClient->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return failed.count() == 1; }, 20s));
    BOOST_TEST((failed.at(0).at(0).value<LoginError>() == LoginError::Unreachable));

    // Plaintext to a TLS server: the server closes it, the login fails.
    TlsServer tls;
    auto plainClient = std::make_unique<SessionController>(tls.profile(QStringLiteral("plain")));
    plainClient->setPlaintext(true);
    plainClient->connectToServer(tls.server.address());
    QSignalSpy plainFailed(plainClient.get(), &SessionController::loginFailed);
    plainClient->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return plainFailed.count() == 1; }, 20s));
    BOOST_TEST((plainFailed.at(0).at(0).value<LoginError>() == LoginError::Unreachable));
}

BOOST_AUTO_TEST_SUITE_END()
