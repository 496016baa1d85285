#include "client-gui/widgets/DroppedFiles.h"

#include <QMimeData>
#include <QUrl>

namespace parley::gui {

QStringList localFiles(const QMimeData* data) {
    QStringList files;
    if (data == nullptr || !data->hasUrls()) {
        return files;
    }
    for (const QUrl& url : data->urls()) {
        if (url.isLocalFile() && !url.toLocalFile().endsWith(QLatin1Char('/'))) {
            files.append(url.toLocalFile());
        }
    }
    return files;
}

}  // namespace parley::gui
