#pragma once
// TransfersModel: the rows of the "Transfers" tab (Server::transfers()), one per
// transfer in progress or ended in the last hour. Rate and time left are worked
// out from the bytes relayed since the receiver accepted. Qt::DisplayRole is for
// people; kSortRole holds raw values.
//
// Threading: GUI thread only.

#include "server-gui/engine/Server.h"

#include <QAbstractTableModel>

#include <vector>

namespace parley::server {

class TransfersModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Route, File, Size, Relayed, Rate, TimeLeft, Resumed, Result, ColumnCount };
    static constexpr int kSortRole = Qt::UserRole;
    static constexpr int kSenderRole = Qt::UserRole + 1;
    static constexpr int kTransferIdRole = Qt::UserRole + 2;
    static constexpr int kInProgressRole = Qt::UserRole + 3;

    explicit TransfersModel(QObject* parent = nullptr);

    /// `nowMs`: the wall clock the rates are computed against.
    void setTransfers(std::vector<Server::TransferRow> rows, std::uint64_t nowMs);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row {
        Server::TransferRow transfer;
        double bytesPerSecond = 0.0;
        double secondsLeft = -1.0;  ///< unknown
    };
    std::vector<Row> m_rows;
};

}  // namespace parley::server
