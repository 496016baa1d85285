#include "tests/client-gui/core/GuiTestSupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
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

bool canConnect(std::uint16_t port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(500);
}

}  // namespace

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit)
{
    return QTest::qWaitFor(condition, static_cast<int>(limit.count()));
}

void spin(std::chrono::milliseconds duration)
{
    QTest::qWait(static_cast<int>(duration.count()));
}

std::uint16_t freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
        throw std::runtime_error("no free port on 127.0.0.1");
    }
    return probe.serverPort();
}

ServerProcess::ServerProcess(std::filesystem::path dir, std::vector<std::string> extraArgs)
    : m_dir(std::move(dir)), m_extraArgs(std::move(extraArgs)), m_port(freePort())
{
    std::filesystem::create_directories(m_dir);
    start();
}

ServerProcess::~ServerProcess()
{
    if (m_process) {
        m_process->terminate(5s);
    }
}

void ServerProcess::start()
{
    const char* binary = std::getenv("PARLEY_SERVER_BINARY");
    BOOST_TEST_REQUIRE(binary != nullptr, "PARLEY_SERVER_BINARY must name parley-server");
    const std::string listen = "127.0.0.1:" + std::to_string(m_port);
    // --plaintext until the desktop client speaks TLS (issue 18's client part).
    std::vector<std::string> argv{binary, "--headless", "--plaintext", "--listen", listen, "--db",
                                  "sqlite:" + (m_dir / "parley.db").string(), "--hash-iterations",
                                  "1000", "--threads", "2", "--registrations-per-hour", "0",
                                  "--stats-every", "0"};
    argv.insert(argv.end(), m_extraArgs.begin(), m_extraArgs.end());
    m_process = std::make_unique<parley::test::ChildProcess>(argv, m_dir / ("server-" + std::to_string(++m_starts)));
    const bool up = waitFor([this] { return m_process->poll() || canConnect(m_port); }, 20s);
    BOOST_TEST_REQUIRE((up && !m_process->poll()), "parley-server did not start on " << listen << "\n"
                                                                                    << output());
}

void ServerProcess::kill()
{
    m_process->terminate(0s);
}

void ServerProcess::stop()
{
    m_process->terminate(10s);
}

std::string ServerProcess::output() const
{
    return m_process ? m_process->readOut() + m_process->readErr() : std::string();
}

}  // namespace parley::gui::test
