#include "client-gui/widgets/TransfersWindow.h"

#include "client-gui/core/TransferController.h"
#include "client-gui/widgets/FileSaveSettings.h"
#include "client-gui/widgets/TransferList.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

namespace parley::gui {

TransfersWindow::TransfersWindow(TransferController& transfers, FileSaveSettings& settings, QWidget* parent)
    : QWidget(parent, Qt::Window),
      m_transfers(transfers),
      m_settings(settings),
      m_list(new TransferList(transfers, settings, 0)),
      m_withoutAsking(new QCheckBox(tr("Save received files without asking, in"))),
      m_folder(new QPushButton) {
    setObjectName(QStringLiteral("transfersWindow"));
    setWindowTitle(tr("Parley \u2014 Transfers"));
    m_list->setHideWhenEmpty(false);
    m_withoutAsking->setObjectName(QStringLiteral("saveWithoutAskingBox"));
    m_withoutAsking->setChecked(m_settings.saveWithoutAsking());
    m_folder->setObjectName(QStringLiteral("defaultFolderButton"));
    auto* clear = new QPushButton(tr("Clear finished"));
    clear->setObjectName(QStringLiteral("clearFinishedButton"));

    auto* options = new QHBoxLayout;
    options->addWidget(m_withoutAsking);
    options->addWidget(m_folder, 1);
    auto* bottom = new QHBoxLayout;
    bottom->addStretch(1);
    bottom->addWidget(clear);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addLayout(options);
    layout->addLayout(bottom);

    connect(clear, &QPushButton::clicked, this, [this] { m_transfers.clearFinished(); });
    connect(m_folder, &QPushButton::clicked, this, &TransfersWindow::chooseDefaultFolder);
    connect(m_withoutAsking, &QCheckBox::toggled, this, [this](bool on) {
        QString folder = m_settings.defaultFolder();
        if (on && folder.isEmpty()) {
            folder = m_settings.lastFolder();
        }
        m_settings.setSaveWithoutAsking(on, folder);
        updateFolderText();
    });
    updateFolderText();
    resize(560, 420);
}

void TransfersWindow::chooseDefaultFolder() {
    const QString start = m_settings.defaultFolder().isEmpty() ? m_settings.lastFolder() : m_settings.defaultFolder();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Save received files in"), start);
    if (!folder.isEmpty()) {
        m_settings.setSaveWithoutAsking(m_withoutAsking->isChecked(), folder);
        updateFolderText();
    }
}

void TransfersWindow::updateFolderText() {
    const QString folder = m_settings.defaultFolder();
    m_folder->setText(folder.isEmpty() ? tr("Choose a folder\u2026") : QDir::toNativeSeparators(folder));
}

}  // namespace parley::gui
