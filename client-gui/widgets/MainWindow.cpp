#include "client-gui/widgets/MainWindow.h"

#include "client-gui/core/ContactFilterModel.h"
#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/ContactDelegate.h"
#include "client-gui/widgets/FieldErrorLabel.h"
#include "client-gui/widgets/Icons.h"
#include "client-gui/widgets/MessageStateText.h"

#include <QAction>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QShortcut>
#include <QVBoxLayout>

namespace parley::gui {

MainWindow::MainWindow(SessionController& controller, QWidget* parent)
    : QMainWindow(parent),
      m_controller(controller),
      m_filter(new ContactFilterModel(this)),
      m_ownNameLabel(new QLabel),
      m_connectionLabel(new QLabel),
      m_securityIcon(new QLabel),
      m_storeError(new FieldErrorLabel(QStringLiteral("storeErrorLabel"))),
      m_searchEdit(new QLineEdit),
      m_contactList(new QListView) {
    setWindowIcon(icon(IconName::App));
    m_ownNameLabel->setObjectName(QStringLiteral("ownNameLabel"));
    m_connectionLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_securityIcon->setObjectName(QStringLiteral("securityIcon"));
    m_searchEdit->setObjectName(QStringLiteral("searchEdit"));
    m_contactList->setObjectName(QStringLiteral("contactList"));

    QFont nameFont = m_ownNameLabel->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.2);
    m_ownNameLabel->setFont(nameFont);
    m_ownNameLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* header = new QHBoxLayout;
    header->addWidget(m_ownNameLabel, 1);
    header->addWidget(m_securityIcon);
    header->addWidget(m_connectionLabel);

    m_searchEdit->setPlaceholderText(tr("Search contacts (Ctrl+K)"));
    m_searchEdit->setClearButtonEnabled(true);
    m_searchEdit->addAction(icon(IconName::Find), QLineEdit::LeadingPosition);

    m_filter->setSourceModel(m_controller.contacts());
    m_filter->sort(0);
    m_contactList->setModel(m_filter);
    m_contactList->setItemDelegate(new ContactDelegate(m_contactList));
    m_contactList->setUniformItemSizes(true);  // one height for every row: 10,000 stay smooth
    m_contactList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_contactList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_contactList->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->addLayout(header);
    layout->addWidget(m_storeError);
    layout->addWidget(m_searchEdit);
    layout->addWidget(m_contactList, 1);
    setCentralWidget(central);
    buildMenus();
    resize(340, 560);

    m_searchEdit->installEventFilter(this);
    connect(m_searchEdit, &QLineEdit::textChanged, m_filter, &ContactFilterModel::setFilterText);
    connect(m_searchEdit, &QLineEdit::returnPressed, this, &MainWindow::openTopMatch);
    connect(m_contactList, &QListView::activated, this, &MainWindow::openIndex);
    connect(m_contactList, &QListView::doubleClicked, this, &MainWindow::openIndex);
    auto* searchShortcut = new QShortcut(QKeySequence(tr("Ctrl+K")), this);
    connect(searchShortcut, &QShortcut::activated, this, &MainWindow::focusSearch);
    connect(&m_controller, &SessionController::connectionStateChanged, this, &MainWindow::updateConnectionState);
    connect(&m_controller, &SessionController::retryCountdown, this, &MainWindow::updateConnectionState);
    updateConnectionState();
}

void MainWindow::buildMenus() {
    QMenu* parley = menuBar()->addMenu(tr("&Parley"));
    QAction* transfers = parley->addAction(tr("&Transfers\u2026"));
    transfers->setObjectName(QStringLiteral("transfersAction"));
    transfers->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    connect(transfers, &QAction::triggered, this, &MainWindow::transfersRequested);
    QAction* logOut = parley->addAction(icon(IconName::LogOut), tr("&Log out"));
    logOut->setObjectName(QStringLiteral("logOutAction"));
    connect(logOut, &QAction::triggered, this, &MainWindow::logOutRequested);
    parley->addSeparator();
    QAction* quit = parley->addAction(tr("&Quit"));
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &MainWindow::quitRequested);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(icon(IconName::App), tr("&About Parley"));
    about->setObjectName(QStringLiteral("aboutAction"));
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::startSession() {
    const QString display = m_controller.ownDisplayName();
    const QString name = m_controller.ownName();
    m_ownNameLabel->setText(display.isEmpty() || display == name ? name : tr("%1 (%2)").arg(display, name));
    m_searchEdit->clear();
    updateConnectionState();
}

void MainWindow::showStoreError(const QString& text) {
    m_storeError->setError(text.isEmpty() ? QString() : tr("History is not saved: %1").arg(text));
}

void MainWindow::updateConnectionState() {
    const ConnectionState state = m_controller.connectionState();
    const bool connected = state == ConnectionState::Connected;
    const bool plaintext = connected && !m_controller.isSecure();
    const QString colour = plaintext                                ? QStringLiteral("#c77700")
                           : connected                              ? QStringLiteral("#2e9d4f")
                           : state == ConnectionState::Reconnecting ? QStringLiteral("#c77700")
                                                                    : QStringLiteral("#707070");
    // The title says it too, for the taskbar: "Parley — alice" only while connected.
    const QString stateText = connectionStateText(state, m_controller.secondsToRetry());
    const QString shownText = !connected  ? stateText
                              : plaintext ? tr("%1 · NOT encrypted").arg(stateText)
                                          : tr("%1 · secure").arg(stateText);
    m_securityIcon->setVisible(connected);
    m_securityIcon->setPixmap(icon(plaintext ? IconName::Insecure : IconName::Secure).pixmap(16, 16));
    const QString why = plaintext ? tr("Plaintext: your password and messages cross the network in clear.")
                                  : tr("TLS: the connection is encrypted; server certificate SHA-256 %1")
                                        .arg(m_controller.serverFingerprint());
    // A cluster: which of its nodes this client is on.
    const QString node =
        m_controller.server().nodeCount() > 1
            ? tr("Connected to node %1 of %2.\n").arg(m_controller.currentNode(), m_controller.server().listText())
            : QString();
    m_securityIcon->setToolTip(connected ? node + why : QString());
    m_connectionLabel->setToolTip(connected ? node + why : QString());
    const QString name = m_controller.ownName();
    setWindowTitle(state == ConnectionState::Connected ? tr("Parley — %1").arg(name)
                                                       : tr("Parley — %1 (%2)").arg(name, stateText));
    m_connectionLabel->setText(
        QStringLiteral("<span style=\"color:%1\">●</span> %2").arg(colour, shownText.toHtmlEscaped()));
}

void MainWindow::openIndex(const QModelIndex& index) {
    if (!index.isValid()) return;
    emit conversationRequested(m_filter->userIdAt(index.row()));
}

void MainWindow::openTopMatch() {
    if (m_filter->rowCount() == 0) return;
    // With a search typed, the top match is the first row that is not the room.
    int row = 0;
    if (!m_searchEdit->text().isEmpty()) {
        while (row + 1 < m_filter->rowCount() && m_filter->index(row, 0).data(ContactListModel::IsRoomRole).toBool()) {
            ++row;
        }
    }
    m_contactList->setCurrentIndex(m_filter->index(row, 0));
    openIndex(m_filter->index(row, 0));
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_searchEdit && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Down && m_filter->rowCount() > 0) {
        m_contactList->setFocus(Qt::TabFocusReason);
        if (!m_contactList->currentIndex().isValid()) m_contactList->setCurrentIndex(m_filter->index(0, 0));
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QMainWindow::closeEvent(event);
    emit quitRequested();
}

void MainWindow::focusSearch() {
    activateWindow();
    raise();
    m_searchEdit->setFocus(Qt::ShortcutFocusReason);
    m_searchEdit->selectAll();
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("Parley — About"),
                       tr("<h3>Parley %1</h3><p>A self-hosted messenger for a team: contacts with presence, "
                          "double-click to chat, history kept on this computer.</p>")
                           .arg(QStringLiteral(PARLEY_VERSION_STRING)));
}

}  // namespace parley::gui
