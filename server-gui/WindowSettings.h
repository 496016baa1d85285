#pragma once
// What the server window remembers between runs: the fields of its settings
// form, in <data folder>/server-window.ini (QSettings, INI format), readable by
// its owner only. Saved when the operator clicks Start; read at the next
// launch, under the config file and the command line (which win).

#include "server-gui/ServerOptions.h"

#include <QString>

#include <string>
#include <vector>

namespace parley::server {

/// <dataFolder>/server-window.ini
QString windowSettingsFile(const std::string& dataFolder);

/// Reads the saved values over `config`. Returns true if a database was saved.
bool readWindowSettings(const QString& file, ServerConfig& config);

/// Saves the fields the form edits. Returns an empty string or why it failed.
QString writeWindowSettings(const QString& file, const ServerConfig& config);

/// main() in window mode: the saved settings of the data folder that `args`
/// name (or the default one), then the config file, then `args`; then the data
/// folder is resolved as loadServerOptions() + resolveDataFolder() would.
std::string loadWindowOptions(const std::vector<std::string>& args, ServerOptions& options);

}  // namespace parley::server
