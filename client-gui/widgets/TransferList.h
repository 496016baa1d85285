#pragma once
// The transfer cards of one conversation (or of every conversation: the transfers
// window), newest last, over the TransferController's model. It answers the cards:
// Accept asks for a folder (a dialog starting in the last folder used, or the default
// folder without asking when that setting is on), Decline and Cancel go straight to the
// controller. Hidden while it has no card (in a conversation).
//
// Object names: transferList; the cards are TransferCard (transferCard-<number>).
//
// Threading: GUI thread only.

#include <QHash>
#include <QScrollArea>

#include <functional>

class QVBoxLayout;

namespace parley::gui {

class FileSaveSettings;
class TransferCard;
class TransferController;

class TransferList final : public QScrollArea {
    Q_OBJECT
public:
    /// The folder to save an accepted file in ("" = the person cancelled the dialog).
    /// Tallest the list asks to be in a conversation (it scrolls beyond).
    static constexpr int kMaxHintHeight = 380;

    using AskFolder = std::function<QString(const QString& startIn, const QString& fileName)>;

    /// `peer` 0: every transfer. `settings` must outlive the list.
    TransferList(TransferController& transfers, FileSaveSettings& settings, quint32 peer, QWidget* parent = nullptr);

    int cardCount() const { return m_cards.size(); }
    TransferCard* card(quint32 number) const { return m_cards.value(number); }
    /// Replaces the folder dialog (tests; the default is QFileDialog::getExistingDirectory).
    void setAskFolder(AskFolder ask) { m_askFolder = std::move(ask); }
    /// Hide the list while it is empty (a conversation); the transfers window keeps it.
    void setHideWhenEmpty(bool hide);

    QSize sizeHint() const override;

private:
    void rebuild();
    void refresh(int first, int last);
    void accept(quint32 number);

    TransferController& m_transfers;
    FileSaveSettings& m_settings;
    const quint32 m_peer;
    QWidget* m_content;
    QVBoxLayout* m_column;
    QHash<quint32, TransferCard*> m_cards;  ///< owned by m_content
    AskFolder m_askFolder;
    bool m_hideWhenEmpty = true;
};

}  // namespace parley::gui
