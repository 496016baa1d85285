#include "bench/client/BenchSupport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <QWidget>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace parley::gui::bench {

long residentKiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return 0;
    for (QByteArray line = status.readLine(); !line.isEmpty(); line = status.readLine()) {
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return 0;
}

void report(const char* phase, qint64 ms) {
    std::printf("%-52s %8lld ms   RSS %6.1f MiB\n", phase, static_cast<long long>(ms),
                static_cast<double>(residentKiB()) / 1024.0);
    std::fflush(stdout);
}

void showAndPaint(QWidget& widget) {
    widget.show();
    widget.repaint();
    QApplication::processEvents();
}

bool waitUntil(const std::function<bool()>& condition, int limitMs) {
    QElapsedTimer clock;
    clock.start();
    while (!condition()) {
        if (clock.elapsed() > limitMs) return false;
        QApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::msleep(1);
    }
    return true;
}

int option(int argc, char** argv, const char* name, int fallback) {
    const char* text = textOption(argc, argv, name);
    return text == nullptr ? fallback : std::max(1, std::stoi(text));
}

const char* textOption(int argc, char** argv, const char* name) {
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
    }
    return nullptr;
}

}  // namespace parley::gui::bench
