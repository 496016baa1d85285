#pragma once
// The local files a drop or a paste carries (file:// URLs to regular files), for sending.

#include <QStringList>

class QMimeData;

namespace parley::gui {

/// The regular local files in `data` (folders and remote URLs left out); empty if none.
QStringList localFiles(const QMimeData* data);

}  // namespace parley::gui
