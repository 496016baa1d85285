#pragma once
// Command-line options of parley-client. Parsed before QApplication exists, so that
// --help and --version work without a display (help2man runs them for the man page).

#include <QString>
#include <QStringList>

namespace parley::gui {

struct ClientOptions {
    /// --profile DIR: settings (DIR/parley-client.ini) and stores there; empty = the default.
    QString profileDir;
    /// --server HOST:PORT: preselected in the login window.
    QString server;
    /// --user NAME: preselected; with PARLEY_PASSWORD set the client logs in at once.
    QString user;
    /// --ca FILE: verify servers against the CA certificates in this PEM file instead of
    /// the system's.
    QString caFile;
    /// --plaintext: no TLS for this run (a server started with --plaintext).
    bool plaintext = false;
    bool help = false;
    bool version = false;
};

/// Parses the arguments (without argv[0]). Returns an empty string and fills `options`,
/// or the reason the arguments are wrong. Accepts `--name value` and `--name=value`.
QString parseClientOptions(const QStringList& args, ClientOptions& options);

/// "parley-client 0.1.0" (PROJECT_VERSION from CMake).
QString clientVersion();

/// The --help text.
QString clientUsage();

}  // namespace parley::gui
