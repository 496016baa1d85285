#pragma once
// "Transfers": every transfer of the logged-in account, both directions, as the same
// cards the conversations show, with "Clear finished", and the setting that saves
// accepted files to one folder without asking (off by default).
//
// Object names: transfersWindow, transferList, clearFinishedButton, saveWithoutAskingBox,
// defaultFolderButton.
//
// Threading: GUI thread only.

#include <QWidget>

#include <memory>

class QCheckBox;
class QPushButton;

namespace parley::gui {

class FileSaveSettings;
class TransferController;
class TransferList;

class TransfersWindow final : public QWidget {
    Q_OBJECT
public:
    TransfersWindow(TransferController& transfers, FileSaveSettings& settings, QWidget* parent = nullptr);

    TransferList& list() const { return *m_list; }

private:
    void chooseDefaultFolder();
    void updateFolderText();

    TransferController& m_transfers;
    FileSaveSettings& m_settings;
    TransferList* m_list;
    QCheckBox* m_withoutAsking;
    QPushButton* m_folder;
};

}  // namespace parley::gui
