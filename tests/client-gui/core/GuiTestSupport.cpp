#include "tests/client-gui/core/GuiTestSupport.h"

#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/PinnedCertificates.h"
#include "client-gui/core/SessionController.h"
#include "platform/tls/Certificate.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace parley::gui::test {

namespace {

/// One QCoreApplication for the whole run (Qt allows one per process).
struct QtApplication {
    int argc = 1;
    char name[32] = "client_gui_core_tests";
    char* argv[2] = {name, nullptr};
    QCoreApplication app{argc, argv};
};
BOOST_TEST_GLOBAL_FIXTURE(QtApplication);

bool canConnect(std::uint16_t port) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(500);
}

}  // namespace

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    return QTest::qWaitFor(condition, static_cast<int>(limit.count()));
}

void spin(std::chrono::milliseconds duration) { QTest::qWait(static_cast<int>(duration.count())); }

std::uint16_t freePort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
        throw std::runtime_error("no free port on 127.0.0.1");
    }
    return probe.serverPort();
}

ServerProcess::ServerProcess(std::filesystem::path dir, std::vector<std::string> extraArgs, Transport transport)
    : m_dir(std::move(dir)), m_extraArgs(std::move(extraArgs)), m_transport(transport), m_port(freePort()) {
    std::filesystem::create_directories(m_dir);
    start();
}

ServerProcess::~ServerProcess() {
    if (m_process) {
        m_process->terminate(5s);
    }
}

void ServerProcess::start() {
    const char* binary = std::getenv("PARLEY_SERVER_BINARY");
    BOOST_TEST_REQUIRE(binary != nullptr, "PARLEY_SERVER_BINARY must name parley-server");
    const std::string listen = "127.0.0.1:" + std::to_string(m_port);
    std::vector<std::string> argv{binary,
                                  "--headless",
                                  "--listen",
                                  listen,
                                  "--data",
                                  dataDir().string(),
                                  "--db",
                                  "sqlite:" + (m_dir / "parley.db").string(),
                                  "--hash-iterations",
                                  "1000",
                                  "--threads",
                                  "2",
                                  "--registrations-per-hour",
                                  "0",
                                  "--stats-every",
                                  "0"};
    if (m_transport == Transport::Plaintext) {
        argv.emplace_back("--plaintext");
    }
    argv.insert(argv.end(), m_extraArgs.begin(), m_extraArgs.end());
    m_process = std::make_unique<parley::test::ChildProcess>(argv, m_dir / ("server-" + std::to_string(++m_starts)));
    const bool up = waitFor([this] { return m_process->poll() || canConnect(m_port); }, 20s);
    BOOST_TEST_REQUIRE((up && !m_process->poll()), "parley-server did not start on " << listen << "\n" << output());
}

void ServerProcess::kill() { m_process->terminate(0s); }

void ServerProcess::stop() { m_process->terminate(10s); }

QString ServerProcess::fingerprint() const {
    if (m_transport == Transport::Plaintext) {
        return {};
    }
    std::filesystem::path certificate = dataDir() / "tls-certificate.pem";
    const auto given = std::find(m_extraArgs.begin(), m_extraArgs.end(), "--tls-cert");
    if (given != m_extraArgs.end() && given + 1 != m_extraArgs.end()) {
        certificate = *(given + 1);
    }
    std::ifstream in(certificate);
    std::ostringstream pem;
    pem << in.rdbuf();
    BOOST_TEST_REQUIRE(!pem.str().empty(), "no certificate in " << certificate);
    return QString::fromStdString(parley::net::sha256FingerprintOfPem(pem.str()));
}

void ServerProcess::pinIn(const QString& profileDir) const {
    PinnedCertificates pins(AccountPaths(profileDir).knownServersFile());
    const QString failed = pins.pin(address(), fingerprint());
    BOOST_TEST_REQUIRE(failed.isEmpty(), failed.toStdString());
}

AccountPaths ServerProcess::pinnedProfile(const QString& profileDir) const {
    pinIn(profileDir);
    return AccountPaths(profileDir);
}

std::string ServerProcess::output() const {
    return m_process ? m_process->readOut() + m_process->readErr() : std::string();
}

void registerUser(const AccountPaths& profile, const ServerAddress& server, const QString& name,
                  const QString& password) {
    SessionController c(profile);
    c.connectToServer(server);
    QSignalSpy ok(&c, &SessionController::registerSucceeded);
    QSignalSpy failed(&c, &SessionController::registerFailed);
    c.registerAccount(name, name.toUpper(), password);
    BOOST_TEST_REQUIRE(waitFor([&] { return ok.count() + failed.count() > 0; }), "no answer to REGISTER");
    BOOST_TEST_REQUIRE(ok.count() == 1, "register " << name.toStdString() << " failed: "
                                                    << failed.value(0).value(1).toString().toStdString());
}

quint32 idOf(const SessionController& c, const QString& name) {
    const ContactListModel& list = *c.contacts();
    for (int row = 0; row < list.rowCount(); ++row) {
        const QModelIndex at = list.index(row);
        if (at.data(ContactListModel::NameRole).toString() == name) {
            return at.data(ContactListModel::UserIdRole).toUInt();
        }
    }
    return 0;
}

}  // namespace parley::gui::test
