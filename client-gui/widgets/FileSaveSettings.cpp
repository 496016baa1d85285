#include "client-gui/widgets/FileSaveSettings.h"

#include "client-gui/core/ClientSettings.h"

#include <QStandardPaths>

namespace parley::gui {

namespace {

const QString kLastFolder = QStringLiteral("files/lastFolder");
const QString kWithoutAsking = QStringLiteral("files/saveWithoutAsking");
const QString kDefaultFolder = QStringLiteral("files/defaultFolder");

QString downloads() { return QStandardPaths::writableLocation(QStandardPaths::DownloadLocation); }

}  // namespace

QString FileSaveSettings::lastFolder() const {
    return ClientSettings(m_paths).raw().value(kLastFolder, downloads()).toString();
}

void FileSaveSettings::setLastFolder(const QString& folder) {
    ClientSettings settings(m_paths);
    settings.raw().setValue(kLastFolder, folder);
}

bool FileSaveSettings::saveWithoutAsking() const {
    return ClientSettings(m_paths).raw().value(kWithoutAsking, false).toBool() && !defaultFolder().isEmpty();
}

QString FileSaveSettings::defaultFolder() const {
    return ClientSettings(m_paths).raw().value(kDefaultFolder).toString();
}

void FileSaveSettings::setSaveWithoutAsking(bool on, const QString& folder) {
    ClientSettings settings(m_paths);
    settings.raw().setValue(kWithoutAsking, on);
    if (!folder.isEmpty()) {
        settings.raw().setValue(kDefaultFolder, folder);
    }
}

}  // namespace parley::gui
