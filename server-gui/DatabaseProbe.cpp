#include "server-gui/DatabaseProbe.h"

#include "db/Store.h"

#include <QThread>

namespace parley::server {

bool probeDatabase(const std::string& connectionString, std::string& message) {
    db::OpenOptions options;
    options.migrate = false;  // a test must not create tables in someone's database
    auto store = db::openStore(connectionString, options);
    if (!store.ok()) {
        message = store.error;
        return false;
    }
    const auto dialect = store.value->dialect();
    message = "OK: connected";
    if (dialect.ok()) message += std::string(" (") + db::toString(dialect.value) + ")";
    const auto version = store.value->schemaVersion();
    if (version.ok() && version.value > 0) message += ", schema version " + std::to_string(version.value);
    else message += ", no Parley tables yet (Start creates them)";
    return true;
}

DatabaseProbe::DatabaseProbe(QObject* parent) : QObject(parent) { db::prepareStoreThreads(); }

DatabaseProbe::~DatabaseProbe() {
    if (m_thread) m_thread->wait();
}

void DatabaseProbe::test(const QString& connectionString) {
    if (m_thread) m_thread->wait();
    const std::string target = connectionString.trimmed().toStdString();
    // `this` outlives the thread (the destructor waits for it); the queued call is
    // dropped by Qt if the probe is destroyed before the GUI thread runs it.
    m_thread.reset(QThread::create([this, target] {
        std::string message;
        const bool ok = probeDatabase(target, message);
        QMetaObject::invokeMethod(
            this, [this, ok, text = QString::fromStdString(message)] { emit finished(ok, text); },
            Qt::QueuedConnection);
    }));
    m_thread->start();
}

}  // namespace parley::server
