#include "tests/client-gui/widgets/GuiClient.h"

#include "client-gui/core/PinnedCertificates.h"
#include "client-gui/widgets/Icons.h"
#include "client-gui/widgets/LoginWindow.h"
#include "client-gui/widgets/MainWindow.h"
#include "platform/tls/Certificate.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>
#include <QThread>

#include <fstream>
#include <sstream>

namespace parley::gui::test {

namespace {

/// One QApplication for the whole executable (offscreen platform, set by ctest).
struct QtApplication {
    QtApplication() {
        static int argc = 1;
        static char name[] = "client_gui_widgets_tests";
        static char* argv[] = {name, nullptr};
        m_app = std::make_unique<QApplication>(argc, argv);
        initClientResources();
    }
    std::unique_ptr<QApplication> m_app;
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(QtApplication);

QString password() { return QString::fromLatin1(parley::test::kPassword); }

bool waitUntil(const std::function<bool()>& condition, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

bool doubleClickRow(QAbstractItemView& view, int role, const QVariant& value) {
    QAbstractItemModel* model = view.model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(role) != value) continue;
        view.scrollTo(index);
        const QPoint centre = view.visualRect(index).center();
        // A double click is press, release, double-click: the first press selects.
        QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, centre);
        QTest::mouseDClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, centre);
        return true;
    }
    return false;
}

QString serverFingerprint(const parley::test::EngineHarness& server) {
    if (!server.config().tls.enabled) return {};
    std::ifstream in(server.config().tls.certificateFile);
    std::ostringstream pem;
    pem << in.rdbuf();
    return QString::fromStdString(parley::net::sha256FingerprintOfPem(pem.str()));
}

namespace {

ClientOptions optionsFor(const parley::test::EngineHarness& server) {
    ClientOptions options;
    options.plaintext = !server.config().tls.enabled;
    return options;
}

}  // namespace

GuiClient::GuiClient(const std::string& name, const parley::test::EngineHarness& server, Trust trust)
    : GuiClient(name, optionsFor(server)) {
    if (server.config().tls.enabled && trust == Trust::Pinned) {
        const QString failed = PinnedCertificates(m_paths.knownServersFile())
                                   .pin({QStringLiteral("127.0.0.1"), server.port()}, serverFingerprint(server));
        BOOST_TEST_REQUIRE(failed.isEmpty(), failed.toStdString());
    }
}

GuiClient::GuiClient(const std::string& name, const ClientOptions& options)
    : m_profile("parley-gui-" + name),
      m_paths(QString::fromStdString(m_profile.path().string())),
      m_settings(m_paths),
      m_controller(std::make_unique<SessionController>(m_paths)),
      m_app(std::make_unique<ClientApp>(*m_controller, m_settings)) {
    m_controller->setReconnectDelays(100, 1000);
    m_app->start(options, QString());
}

GuiClient::~GuiClient() {
    // Windows before the controller: they hold its models.
    m_app.reset();
    m_controller.reset();
}

void GuiClient::startLogIn(std::uint16_t port, const QString& userName) {
    LoginWindow& login = m_app->loginWindow();
    BOOST_TEST_REQUIRE(login.isVisible());
    child<QComboBox>(login, "serverCombo")->setCurrentText(QStringLiteral("127.0.0.1:%1").arg(port));
    child<QComboBox>(login, "userCombo")->setCurrentText(userName);
    auto* passwordEdit = child<QLineEdit>(login, "passwordEdit");
    passwordEdit->clear();
    QTest::keyClicks(passwordEdit, password());
    QTest::mouseClick(child<QPushButton>(login, "loginButton"), Qt::LeftButton);
}

void GuiClient::logIn(std::uint16_t port, const QString& userName) {
    startLogIn(port, userName);
    BOOST_TEST_REQUIRE(waitUntil([this] {
                           return m_app->mainWindow().isVisible() &&
                                  m_controller->connectionState() == ConnectionState::Connected;
                       }),
                       userName.toStdString() << " did not get to a connected main window");
}

void GuiClient::logOut(parley::test::EngineHarness& server) {
    const std::string name = m_controller->ownName().toStdString();
    child<QAction>(m_app->mainWindow(), "logOutAction")->trigger();
    BOOST_TEST_REQUIRE(m_app->loginWindow().isVisible());
    const auto online = [&] {
        for (const auto& user : server.server().onlineUsers()) {
            if (user.username == name) return true;
        }
        return false;
    };
    BOOST_TEST_REQUIRE(waitUntil([&] { return !online(); }), name << " stayed online after logging out");
}

void GuiClient::activate(QWidget& window) {
    window.show();
    window.raise();
    window.activateWindow();
    QApplication::setActiveWindow(&window);
    BOOST_TEST_REQUIRE(waitUntil([&] { return window.isActiveWindow(); }), window.windowTitle().toStdString()
                                                                               << " did not become the active window");
}

AliceAndBob::AliceAndBob()
    : aliceId(server.registerUser("alice", "Alice Liddell")), bobId(server.registerUser("bob")) {}

}  // namespace parley::gui::test
