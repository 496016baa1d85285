#pragma once
// Where received files go, kept in the profile's settings: the last folder the save
// dialog used (the next one starts there), and optionally a default folder that takes
// files without asking (off by default).
//
// Threading: GUI thread only.

#include "client-gui/core/AccountPaths.h"

#include <QString>

namespace parley::gui {

class FileSaveSettings {
public:
    explicit FileSaveSettings(const AccountPaths& paths) : m_paths(paths) {}

    /// The folder the save dialog starts in: the last one used, else Downloads.
    QString lastFolder() const;
    void setLastFolder(const QString& folder);
    /// Accept saves into defaultFolder() without a dialog.
    bool saveWithoutAsking() const;
    QString defaultFolder() const;
    void setSaveWithoutAsking(bool on, const QString& folder);

private:
    AccountPaths m_paths;
};

}  // namespace parley::gui
