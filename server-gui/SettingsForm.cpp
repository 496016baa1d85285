#include "server-gui/SettingsForm.h"

#include "db/ConnectionString.h"
#include "platform/InetAddress.h"
#include "server-gui/DatabaseProbe.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace parley::server {
namespace {

enum DatabaseKind { kSqlite = 0, kOdbc = 1 };

// What "ODBC" fills in: the MariaDB Connector/ODBC form; the tool tip shows SQL Server's.
const QString kOdbcTemplate =
    QStringLiteral("odbc:Driver={MariaDB Unicode};Server=127.0.0.1;Port=3306;Database=parley;Uid=parley;Pwd=");
const QString kOdbcHelp = QStringLiteral(
    "MariaDB/MySQL: odbc:Driver={MariaDB Unicode};Server=HOST;Port=3306;Database=parley;Uid=USER;Pwd=SECRET\n"
    "SQL Server: odbc:Driver={ODBC Driver 18 for SQL Server};Server=HOST,1433;Database=parley;Uid=USER;"
    "Pwd=SECRET;TrustServerCertificate=yes\n"
    "A data source from odbc.ini: odbc:DSN=NAME");

constexpr std::uint64_t kMiB = 1024ull * 1024ull;

QLabel* errorLabel(const char* objectName) {
    auto* label = new QLabel;
    label->setObjectName(QString::fromLatin1(objectName));
    label->setStyleSheet(QStringLiteral("color: #b00020;"));
    label->setWordWrap(true);
    label->hide();
    return label;
}

int kindOf(const QString& database) { return database.trimmed().startsWith(QStringLiteral("odbc:")) ? kOdbc : kSqlite; }

}  // namespace

QString listenHostError(const QString& host) {
    const QString trimmed = host.trimmed();
    if (trimmed.isEmpty()) return SettingsForm::tr("enter the IP address to listen on (0.0.0.0: every interface)");
    if (!net::InetAddress::parse(trimmed.toStdString(), 0))
        return SettingsForm::tr("'%1' is not an IPv4 or IPv6 address (names are not resolved)").arg(trimmed);
    return {};
}

QString databaseError(const QString& database) {
    const auto spec = db::parseConnectionString(database.trimmed().toStdString());
    return spec.ok() ? QString() : QString::fromStdString(spec.error);
}

SettingsForm::SettingsForm(const ServerConfig& config, QString defaultSqlite, QWidget* parent)
    : QWidget(parent),
      m_defaultSqlite(std::move(defaultSqlite)),
      m_lastOdbc(kOdbcTemplate),
      m_probe(new DatabaseProbe(this)),
      m_hostEdit(new QLineEdit),
      m_hostError(errorLabel("listenHostError")),
      m_portSpin(new QSpinBox),
      m_kindCombo(new QComboBox),
      m_databaseEdit(new QLineEdit),
      m_databaseError(errorLabel("databaseError")),
      m_testButton(new QPushButton(tr("&Test"))),
      m_testLabel(new QLabel),
      m_threadsSpin(new QSpinBox),
      m_rateSpin(new QDoubleSpinBox),
      m_burstSpin(new QDoubleSpinBox),
      m_burstError(errorLabel("burstError")),
      m_connectionsSpin(new QSpinBox),
      m_fileSizeSpin(new QSpinBox),
      m_transfersSpin(new QSpinBox),
      m_tokenLifetimeSpin(new QSpinBox) {
    m_hostEdit->setObjectName(QStringLiteral("listenHostEdit"));
    m_portSpin->setObjectName(QStringLiteral("listenPortSpin"));
    m_kindCombo->setObjectName(QStringLiteral("databaseKindCombo"));
    m_databaseEdit->setObjectName(QStringLiteral("databaseEdit"));
    m_testButton->setObjectName(QStringLiteral("testDatabaseButton"));
    m_testLabel->setObjectName(QStringLiteral("databaseTestLabel"));
    m_threadsSpin->setObjectName(QStringLiteral("ioThreadsSpin"));
    m_rateSpin->setObjectName(QStringLiteral("messagesPerSecondSpin"));
    m_burstSpin->setObjectName(QStringLiteral("messageBurstSpin"));
    m_connectionsSpin->setObjectName(QStringLiteral("connectionsPerAddressSpin"));
    m_fileSizeSpin->setObjectName(QStringLiteral("maxFileSizeSpin"));
    m_transfersSpin->setObjectName(QStringLiteral("maxTransfersSpin"));
    m_tokenLifetimeSpin->setObjectName(QStringLiteral("tokenLifetimeSpin"));

    m_hostEdit->setPlaceholderText(QStringLiteral("127.0.0.1, 0.0.0.0, ::1"));
    m_portSpin->setRange(0, 65535);
    m_portSpin->setSpecialValueText(tr("any free port"));
    m_kindCombo->addItem(tr("Embedded SQLite file"));
    m_kindCombo->addItem(tr("ODBC (MariaDB/MySQL, SQL Server)"));
    m_databaseEdit->setPlaceholderText(QStringLiteral("sqlite:PATH or odbc:CONNECTION-STRING"));
    m_databaseEdit->setToolTip(kOdbcHelp);
    m_databaseEdit->setMinimumWidth(420);
    m_testLabel->setWordWrap(true);
    m_testLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_threadsSpin->setRange(0, 256);
    m_threadsSpin->setSpecialValueText(tr("automatic (%1)").arg(defaultIoThreads()));
    m_rateSpin->setRange(1.0, 1'000'000.0);
    m_rateSpin->setDecimals(0);
    m_rateSpin->setSuffix(tr(" messages/s"));
    m_burstSpin->setRange(1.0, 1'000'000.0);
    m_burstSpin->setDecimals(0);
    m_burstSpin->setSuffix(tr(" messages"));
    m_connectionsSpin->setRange(0, 1'000'000);
    m_connectionsSpin->setSpecialValueText(tr("unlimited"));
    m_fileSizeSpin->setRange(0, std::numeric_limits<int>::max());
    m_fileSizeSpin->setSuffix(tr(" MiB"));
    m_fileSizeSpin->setSpecialValueText(tr("no limit"));
    m_transfersSpin->setRange(0, 10'000);
    m_transfersSpin->setSpecialValueText(tr("unlimited"));
    m_tokenLifetimeSpin->setRange(0, 3650);
    m_tokenLifetimeSpin->setSuffix(tr(" days"));
    m_tokenLifetimeSpin->setSpecialValueText(tr("off (the password at every login)"));
    m_tokenLifetimeSpin->setToolTip(
        tr("How long a client's \"Remember me\" lasts (--token-lifetime). "
           "Revoke one account's sessions in the All users tab."));

    auto* network = new QGroupBox(tr("Network"));
    auto* networkForm = new QFormLayout(network);
    auto* address = new QHBoxLayout;
    address->addWidget(m_hostEdit, 1);
    address->addWidget(new QLabel(tr("Port:")));
    address->addWidget(m_portSpin);
    networkForm->addRow(tr("Listen on:"), address);
    networkForm->addRow(QString(), m_hostError);
    networkForm->addRow(tr("I/O threads:"), m_threadsSpin);

    auto* database = new QGroupBox(tr("Database"));
    auto* databaseForm = new QFormLayout(database);
    databaseForm->addRow(tr("Kind:"), m_kindCombo);
    auto* connection = new QHBoxLayout;
    connection->addWidget(m_databaseEdit, 1);
    connection->addWidget(m_testButton);
    databaseForm->addRow(tr("Connection:"), connection);
    databaseForm->addRow(QString(), m_databaseError);
    databaseForm->addRow(QString(), m_testLabel);

    auto* limits = new QGroupBox(tr("Limits"));
    auto* limitsForm = new QFormLayout(limits);
    limitsForm->addRow(tr("Messages per user:"), m_rateSpin);
    limitsForm->addRow(tr("Burst above that:"), m_burstSpin);
    limitsForm->addRow(QString(), m_burstError);
    limitsForm->addRow(tr("Connections per address:"), m_connectionsSpin);
    limitsForm->addRow(tr("Largest file:"), m_fileSizeSpin);
    limitsForm->addRow(tr("Transfers per sender:"), m_transfersSpin);
    limitsForm->addRow(tr("Remember me lasts:"), m_tokenLifetimeSpin);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(network);
    layout->addWidget(database);
    layout->addWidget(limits);
    layout->addStretch();

    setConfig(config);

    connect(m_hostEdit, &QLineEdit::textChanged, this, &SettingsForm::revalidate);
    connect(m_databaseEdit, &QLineEdit::textChanged, this, &SettingsForm::onDatabaseEdited);
    connect(m_rateSpin, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &SettingsForm::revalidate);
    connect(m_burstSpin, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &SettingsForm::revalidate);
    connect(m_kindCombo, qOverload<int>(&QComboBox::activated), this, &SettingsForm::onKindChosen);
    connect(m_testButton, &QPushButton::clicked, this, &SettingsForm::onTestClicked);
    connect(m_probe, &DatabaseProbe::finished, this, &SettingsForm::onTestFinished);
}

SettingsForm::~SettingsForm() = default;

void SettingsForm::setConfig(const ServerConfig& config) {
    m_hostEdit->setText(QString::fromStdString(config.listenHost));
    m_portSpin->setValue(config.listenPort);
    m_databaseEdit->setText(QString::fromStdString(config.database));
    m_kindCombo->setCurrentIndex(kindOf(m_databaseEdit->text()));
    m_threadsSpin->setValue(static_cast<int>(config.threads));
    m_rateSpin->setValue(config.limits.messagesPerSecond);
    m_burstSpin->setValue(config.limits.messageBurst);
    m_connectionsSpin->setValue(static_cast<int>(config.limits.connectionsPerAddress));
    m_fileSizeSpin->setValue(static_cast<int>(
        std::min<std::uint64_t>((config.limits.maxFileSize + kMiB - 1) / kMiB, std::numeric_limits<int>::max())));
    m_transfersSpin->setValue(static_cast<int>(config.limits.maxTransfersPerUser));
    m_tokenLifetimeSpin->setValue(static_cast<int>(std::min<std::uint32_t>(config.tokenLifetimeDays, 3650)));
    revalidate();
}

ServerConfig SettingsForm::applyTo(ServerConfig base) const {
    base.listenHost = m_hostEdit->text().trimmed().toStdString();
    base.listenPort = static_cast<std::uint16_t>(m_portSpin->value());
    base.database = m_databaseEdit->text().trimmed().toStdString();
    base.threads = static_cast<unsigned>(m_threadsSpin->value());
    base.limits.messagesPerSecond = m_rateSpin->value();
    base.limits.messageBurst = m_burstSpin->value();
    base.limits.connectionsPerAddress = static_cast<std::uint32_t>(m_connectionsSpin->value());
    base.limits.maxFileSize = static_cast<std::uint64_t>(m_fileSizeSpin->value()) * kMiB;
    base.limits.maxTransfersPerUser = static_cast<std::uint32_t>(m_transfersSpin->value());
    base.tokenLifetimeDays = static_cast<std::uint32_t>(m_tokenLifetimeSpin->value());
    return base;
}

void SettingsForm::setEditable(bool editable) {
    m_editable = editable;
    for (QWidget* field : std::initializer_list<QWidget*>{m_hostEdit, m_portSpin, m_kindCombo, m_databaseEdit,
                                                          m_threadsSpin, m_rateSpin, m_burstSpin, m_connectionsSpin,
                                                          m_fileSizeSpin, m_transfersSpin, m_tokenLifetimeSpin}) {
        field->setEnabled(editable);
    }
    m_testButton->setEnabled(editable && !m_testing && databaseError(m_databaseEdit->text()).isEmpty());
}

void SettingsForm::revalidate() {
    const QString hostError = listenHostError(m_hostEdit->text());
    const QString dbError = databaseError(m_databaseEdit->text());
    const QString burstError =
        m_burstSpin->value() < m_rateSpin->value() ? tr("the burst must be at least the rate per second") : QString();
    showError(m_hostError, hostError);
    showError(m_databaseError, dbError);
    showError(m_burstError, burstError);
    m_testButton->setEnabled(m_editable && !m_testing && dbError.isEmpty());
    const bool valid = hostError.isEmpty() && dbError.isEmpty() && burstError.isEmpty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

void SettingsForm::onKindChosen(int index) {
    if (index == kindOf(m_databaseEdit->text())) return;
    // Switching back and forth keeps what was typed for each kind.
    if (index == kOdbc) {
        m_lastSqlite = m_databaseEdit->text();
        m_databaseEdit->setText(m_lastOdbc);
    } else {
        m_lastOdbc = m_databaseEdit->text();
        m_databaseEdit->setText(m_lastSqlite.isEmpty() ? m_defaultSqlite : m_lastSqlite);
    }
    m_databaseEdit->setFocus();
}

void SettingsForm::onDatabaseEdited() {
    m_kindCombo->setCurrentIndex(kindOf(m_databaseEdit->text()));
    m_testLabel->clear();
    revalidate();
}

void SettingsForm::onTestClicked() {
    m_testing = true;
    m_testButton->setEnabled(false);
    m_testLabel->setStyleSheet(QString());
    m_testLabel->setText(tr("Testing…"));
    m_probe->test(m_databaseEdit->text());
}

void SettingsForm::onTestFinished(bool ok, const QString& message) {
    m_testLabel->setStyleSheet(ok ? QStringLiteral("color: #1b7f2a;") : QStringLiteral("color: #b00020;"));
    m_testLabel->setText(message);
    m_testing = false;
    revalidate();
}

void SettingsForm::showError(QLabel* label, const QString& error) {
    label->setText(error);
    label->setVisible(!error.isEmpty());
}

}  // namespace parley::server
