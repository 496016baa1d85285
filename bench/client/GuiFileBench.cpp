// parley-gui-file-bench: one side of a file transfer as the desktop client does it —
// SessionController on QTcpSocket and TransferController (the shared TransferManager on
// platform/fileio workers) on this process's event loop, no windows — measured from the
// inside: wall time from the login to the verified end, peak RSS (getrusage), and the
// longest stall of the event loop (a 5 ms timer's largest lateness). Used by
// scripts/bench-gui-file (docs/benchmarks.md, "Files in the desktop client").
//
//   parley-gui-file-bench --server H:P --user U --password PW --profile DIR send --to NAME --file PATH
//   parley-gui-file-bench --server H:P --user U --password PW --profile DIR recv --dir DIR
//
// Over TLS, as the client is used: `--trust-fingerprint HEX` trusts the server's self-signed
// certificate if it has that fingerprint (as a person comparing it on first contact would);
// `--plaintext` for a --plaintext server.
//
// Prints one line: "wall_ms=... max_stall_ms=... max_stall_at_ms=... stalls_over_50ms=...
// peak_rss_kib=... verified=0|1". Exit 0 if verified.

#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/core/TransferController.h"
#include "client-gui/core/TransferListModel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

using namespace parley::gui;

namespace {

QString argument(const QStringList& args, const QString& name) {
    const int at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : QString();
}

long peakRssKiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

quint32 idOf(const ContactListModel& list, const QString& name) {
    for (int row = 0; row < list.rowCount(); ++row) {
        const QModelIndex at = list.index(row);
        if (at.data(ContactListModel::NameRole).toString() == name) {
            return at.data(ContactListModel::UserIdRole).toUInt();
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto server = ServerAddress::parse(argument(args, QStringLiteral("--server")));
    const bool sending = args.contains(QStringLiteral("send"));
    if (!server || (!sending && !args.contains(QStringLiteral("recv")))) {
        std::fprintf(stderr, "usage: see the header of bench/client/GuiFileBench.cpp\n");
        return 2;
    }
    SessionController controller(AccountPaths(argument(args, QStringLiteral("--profile"))));
    controller.setPlaintext(args.contains(QStringLiteral("--plaintext")));
    const QString trusted = argument(args, QStringLiteral("--trust-fingerprint"));
    QObject::connect(&controller, &SessionController::trustRequired, [&](const ServerAddress&, const QString& shown) {
        if (!trusted.isEmpty() && shown.compare(trusted, Qt::CaseInsensitive) == 0) {
            controller.trustCertificate(shown);
            return;
        }
        std::fprintf(stderr, "the server's certificate %s is not the one given with --trust-fingerprint\n",
                     qPrintable(shown));
        app.exit(2);
    });
    controller.connectToServer(*server);

    // The event loop's longest stall: how late a 5 ms timer fires, at most.
    constexpr qint64 kProbeMs = 5;
    QElapsedTimer probeClock;
    qint64 lastProbe = 0;
    qint64 maxStall = 0;
    qint64 maxStallAt = 0;
    int stallsOver50 = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(static_cast<int>(kProbeMs));
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = probeClock.elapsed();
        const qint64 stall = now - lastProbe - kProbeMs;
        if (stall > maxStall) {
            maxStall = stall;
            maxStallAt = now;
        }
        stallsOver50 += stall > 50 ? 1 : 0;
        lastProbe = now;
    });

    QElapsedTimer wall;
    bool verified = false;
    bool started = false;
    const auto finish = [&](bool ok) {
        verified = ok;
        std::printf(
            "wall_ms=%lld max_stall_ms=%lld max_stall_at_ms=%lld stalls_over_50ms=%d peak_rss_kib=%ld "
            "verified=%d\n",
            static_cast<long long>(wall.elapsed()), static_cast<long long>(maxStall),
            static_cast<long long>(maxStallAt), stallsOver50, peakRssKiB(), ok ? 1 : 0);
        std::fflush(stdout);
        QTimer::singleShot(200, &app, &QCoreApplication::quit);  // the last frames out
    };
    QObject::connect(&controller, &SessionController::ready, [&] {
        TransferController* transfers = controller.transfers();
        if (started || transfers == nullptr) {
            return;
        }
        started = true;
        wall.start();
        probeClock.start();
        probe.start();
        QObject::connect(transfers, &TransferController::transferEnded, [&](quint32, quint32, bool ok) { finish(ok); });
        if (sending) {
            const quint32 to = idOf(*controller.contacts(), argument(args, QStringLiteral("--to")));
            if (to == 0 || transfers->sendFiles(to, {argument(args, QStringLiteral("--file"))}) != 1) {
                finish(false);
            }
        } else {
            const QString dir = argument(args, QStringLiteral("--dir"));
            QObject::connect(
                transfers, &TransferController::offerReceived,
                [transfers, dir](quint32, quint32 number, const QString&) { transfers->accept(number, dir); });
        }
    });
    QObject::connect(&controller, &SessionController::loginFailed, [&](LoginError, const QString& text) {
        std::fprintf(stderr, "login failed: %s\n", qPrintable(text));
        app.exit(2);
    });
    controller.logIn(argument(args, QStringLiteral("--user")), argument(args, QStringLiteral("--password")));
    const int code = app.exec();
    return code != 0 ? code : (verified ? 0 : 1);
}
