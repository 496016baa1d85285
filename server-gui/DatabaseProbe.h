#pragma once
// DatabaseProbe: the settings form's "Test" button. Opens the connection string
// on a worker thread (without creating or changing any table) and reports "OK"
// with what it found, or the driver's own error. The GUI thread never waits for
// a database.
//
// Ownership: a QObject child of the form; its destructor waits for a probe that
// is still running (bounded by the ODBC login timeout, 5 s).
// Threading: test() and the signal on the GUI thread; the probe itself runs on
// its own QThread, one at a time.

#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace parley::server {

class DatabaseProbe final : public QObject {
    Q_OBJECT
public:
    explicit DatabaseProbe(QObject* parent = nullptr);
    ~DatabaseProbe() override;

public slots:
    /// Starts a probe of `connectionString` (after the previous one ended).
    void test(const QString& connectionString);

signals:
    /// `message`: "OK: ..." details, or why the database cannot be used.
    void finished(bool ok, const QString& message);

private:
    Q_DISABLE_COPY(DatabaseProbe)
    std::unique_ptr<QThread> m_thread;
};

/// What the probe does, on the calling thread: connect, read the dialect and the
/// schema version. Returns true and a summary, or false and the error.
bool probeDatabase(const std::string& connectionString, std::string& message);

}  // namespace parley::server
