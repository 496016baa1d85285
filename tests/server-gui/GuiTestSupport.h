#pragma once
// What the server window suites share: one QApplication per executable (the
// offscreen platform comes from ctest's environment), waiting on a condition
// while events run, a free loopback port, and finding widgets by object name.

#include <boost/test/unit_test.hpp>

#include <QApplication>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QThread>
#include <QWidget>

#include <functional>
#include <memory>

namespace parley::test {

struct QtApplicationFixture {
    QtApplicationFixture() {
        static int argc = 1;
        static char name[] = "server_gui_tests";
        static char* argv[] = {name, nullptr};
        m_app = std::make_unique<QApplication>(argc, argv);
    }
    std::unique_ptr<QApplication> m_app;
};

/// Processes events until `condition` holds or `timeoutMs` passes (like QTRY_VERIFY).
inline bool waitUntil(const std::function<bool()>& condition, int timeoutMs = 5000) {
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(10);
    }
    return true;
}

inline quint16 freePort() {
    QTcpServer probe;
    BOOST_REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

template <class T>
T* findWidget(const QWidget& parent, const char* name) {
    T* widget = parent.findChild<T*>(QString::fromLatin1(name));
    BOOST_REQUIRE_MESSAGE(widget != nullptr, "no widget named " << name);
    return widget;
}

}  // namespace parley::test
