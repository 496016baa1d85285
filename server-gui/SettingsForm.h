#pragma once
// SettingsForm: the "Settings" tab of the server window. Edits what the
// operator may change between runs (listen address and port, database, I/O
// threads, rate and file limits), checks every field as it is typed and says
// next to a wrong one why it is wrong; valid() gates the Start button.
//
// Object names (the GUI test contract):
//   listenHostEdit, listenHostError, listenPortSpin, databaseKindCombo,
//   databaseEdit, databaseError, testDatabaseButton, databaseTestLabel,
//   ioThreadsSpin, messagesPerSecondSpin, messageBurstSpin, burstError,
//   connectionsPerAddressSpin, maxFileSizeSpin (MiB, 0 = no limit),
//   maxTransfersSpin
//
// Threading: GUI thread only; the Test button's probe runs on a worker
// (DatabaseProbe).

#include "server-gui/engine/ServerConfig.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace parley::server {

class DatabaseProbe;

class SettingsForm final : public QWidget {
    Q_OBJECT
public:
    /// `defaultSqlite`: the connection string the "embedded SQLite file" choice fills in.
    SettingsForm(const ServerConfig& config, QString defaultSqlite, QWidget* parent = nullptr);
    ~SettingsForm() override;

    /// Shows `config`'s values in the fields.
    void setConfig(const ServerConfig& config);
    /// `base` with the edited fields over it (only meaningful when valid()).
    ServerConfig applyTo(ServerConfig base) const;
    bool valid() const { return m_valid; }
    /// False while the server runs: the fields are read-only then.
    void setEditable(bool editable);

signals:
    void validityChanged(bool valid);

private slots:
    void revalidate();
    void onKindChosen(int index);
    void onDatabaseEdited();
    void onTestClicked();
    void onTestFinished(bool ok, const QString& message);

private:
    static void showError(QLabel* label, const QString& error);

    Q_DISABLE_COPY(SettingsForm)
    QString m_defaultSqlite;
    QString m_lastOdbc;
    QString m_lastSqlite;
    bool m_valid = false;
    bool m_editable = true;
    bool m_testing = false;
    DatabaseProbe* m_probe;
    QLineEdit* m_hostEdit;
    QLabel* m_hostError;
    QSpinBox* m_portSpin;
    QComboBox* m_kindCombo;
    QLineEdit* m_databaseEdit;
    QLabel* m_databaseError;
    QPushButton* m_testButton;
    QLabel* m_testLabel;
    QSpinBox* m_threadsSpin;
    QDoubleSpinBox* m_rateSpin;
    QDoubleSpinBox* m_burstSpin;
    QLabel* m_burstError;
    QSpinBox* m_connectionsSpin;
    QSpinBox* m_fileSizeSpin;
    QSpinBox* m_transfersSpin;
    QSpinBox* m_tokenLifetimeSpin;
};

/// Why `host` cannot be listened on, or an empty string.
QString listenHostError(const QString& host);
/// Why `database` is not a connection string, or an empty string.
QString databaseError(const QString& database);

}  // namespace parley::server
