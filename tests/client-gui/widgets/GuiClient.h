#pragma once
// What the widget suites drive: a whole desktop client (profile folder, settings,
// SessionController, ClientApp with its windows) per person, against an in-process
// server (tests/server-gui/engine's EngineHarness: real TCP on 127.0.0.1, a real SQLite file).
// Widgets are found through their object names, as a person finds them by sight.

#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/ClientSettings.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/ClientApp.h"
#include "client-gui/widgets/ClientOptions.h"
#include "tests/server-gui/engine/EngineHarness.h"
#include "tests/support/TempDir.h"

#include <boost/test/unit_test.hpp>

#include <QWidget>

#include <functional>
#include <memory>

class QAbstractItemView;

namespace parley::gui::test {

/// The password of every test account (EngineHarness registers with it).
QString password();

/// Processes events until `condition` holds or `timeoutMs` passes (like QTRY_VERIFY).
bool waitUntil(const std::function<bool()>& condition, int timeoutMs = 10000);

/// The child of `parent` named `name`; fails the test case if there is none.
template <class T>
T* child(const QObject& parent, const char* name) {
    T* found = parent.findChild<T*>(QString::fromLatin1(name));
    BOOST_TEST_REQUIRE(found != nullptr, "no " << name << " in " << parent.objectName().toStdString());
    return found;
}

/// Double-clicks the row of `view` whose `role` holds `value`; false if no row does.
bool doubleClickRow(QAbstractItemView& view, int role, const QVariant& value);

/// One person's desktop client.
class GuiClient {
public:
    /// Whether the profile trusts the server's certificate from the start.
    enum class Trust {
        Pinned,  ///< as after answering "Trust" on an earlier first contact
        Ask,     ///< a profile that has not seen the server: the first login asks
    };
    /// A client for `server`: started with --plaintext if it listens in plaintext
    /// (PARLEY_TEST_TLS=0), else over TLS, its certificate pinned or not.
    GuiClient(const std::string& name, const parley::test::EngineHarness& server, Trust trust = Trust::Pinned);
    /// A client started with these command-line options.
    GuiClient(const std::string& name, const ClientOptions& options);
    ~GuiClient();
    GuiClient(const GuiClient&) = delete;
    GuiClient& operator=(const GuiClient&) = delete;

    /// Logs in through the login window (fields and the Log in button) and waits
    /// until the main window shows a connected session.
    void logIn(std::uint16_t port, const QString& userName);
    /// The same without waiting (e.g. for a trust question to come up).
    void startLogIn(std::uint16_t port, const QString& userName);
    /// "Log out" from the main window's menu; waits until the login window is back
    /// and `server` has let the connection go.
    void logOut(parley::test::EngineHarness& server);
    /// Makes `window` the active window (a shortcut only reaches the active one, and
    /// all the test's windows share one screen), and waits until it is.
    static void activate(QWidget& window);

    SessionController& controller() { return *m_controller; }
    ClientApp& app() { return *m_app; }
    const std::filesystem::path& profile() const { return m_profile.path(); }

private:
    parley::test::TempDir m_profile;
    AccountPaths m_paths;
    ClientSettings m_settings;
    std::unique_ptr<SessionController> m_controller;
    std::unique_ptr<ClientApp> m_app;
};

/// The SHA-256 fingerprint of the certificate `server` presents ("" in plaintext).
QString serverFingerprint(const parley::test::EngineHarness& server);

/// A server with the accounts alice and bob, and a desktop client for each.
struct AliceAndBob {
    AliceAndBob();

    parley::test::EngineHarness server;
    proto::UserId aliceId;
    proto::UserId bobId;
    GuiClient alice{"alice", server};
    GuiClient bob{"bob", server};
};

}  // namespace parley::gui::test
