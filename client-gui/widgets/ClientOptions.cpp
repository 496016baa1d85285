#include "client-gui/widgets/ClientOptions.h"

namespace parley::gui {

namespace {

/// The option that takes a value, or nullptr if `name` is not one.
QString* valueFor(const QString& name, ClientOptions& options) {
    if (name == QLatin1String("--profile")) return &options.profileDir;
    if (name == QLatin1String("--server")) return &options.server;
    if (name == QLatin1String("--user")) return &options.user;
    if (name == QLatin1String("--ca")) return &options.caFile;
    return nullptr;
}

}  // namespace

QString parseClientOptions(const QStringList& args, ClientOptions& options) {
    for (int i = 0; i < args.size(); ++i) {
        const QString& arg = args[i];
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            options.help = true;
            continue;
        }
        if (arg == QLatin1String("--version")) {
            options.version = true;
            continue;
        }
        if (arg == QLatin1String("--plaintext")) {
            options.plaintext = true;
            continue;
        }
        const int equals = arg.indexOf(QLatin1Char('='));
        const QString name = equals < 0 ? arg : arg.left(equals);
        QString* target = valueFor(name, options);
        if (target == nullptr) return QStringLiteral("unknown option '%1' (see --help)").arg(arg);
        QString value;
        if (equals >= 0) {
            value = arg.mid(equals + 1);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        }
        if (value.isEmpty()) return QStringLiteral("%1 needs a value").arg(name);
        *target = value;
    }
    return {};
}

QString clientVersion() { return QStringLiteral("parley-client " PARLEY_VERSION_STRING); }

QString clientUsage() {
    return QStringLiteral(R"(Usage: parley-client [options]

The Parley desktop client: log in, see who is online, double-click a contact to chat.

  --profile DIR       keep the settings (DIR/parley-client.ini) and the message history
                      in DIR, so that two clients can run side by side (default: the
                      per-user application data folder)
  --server HOST:PORT  the server to connect to (default: the last one used, else
                      127.0.0.1:7878); for a cluster its nodes A,B,C, tried in order
                      (the next at once when one cannot be reached or drops)
  --user NAME         the account; with the password in the environment variable
                      PARLEY_PASSWORD the client logs in at once
  --plaintext         no TLS: talk to a server started with --plaintext (everything, the
                      password too, crosses the network in clear; the login window's
                      Advanced area has the same switch per server)
  --ca FILE           accept server certificates that these CA certificates (PEM) sign,
                      instead of the system's CAs; other certificates are shown for you
                      to trust on first contact and pinned in the profile (known_servers)
  --version           the version
  --help              this text
)");
}

}  // namespace parley::gui
