#include "server-gui/ServerConfigFile.h"

#include "server-gui/ServerOptions.h"
#include "shared/text/Trim.h"

#include <fstream>
#include <set>

namespace parley::server {
std::string applyServerConfigFile(const std::string& path, ServerOptions& options) {
    std::ifstream in(path);
    if (!in) return path + ": cannot read the config file";
    std::set<std::string> seen;
    std::string line;
    for (unsigned number = 1; std::getline(in, line); ++number) {
        const std::string where = path + ":" + std::to_string(number) + ": ";
        const std::string text = parley::text::trimmed(line);
        if (text.empty() || text.front() == '#') continue;
        const auto equals = text.find('=');
        if (equals == std::string::npos) return where + "expected `name = value`, got '" + text + "'";
        const std::string name = parley::text::trimmed(text.substr(0, equals));
        const std::string value = parley::text::trimmed(text.substr(equals + 1));
        if (name == "config") return where + "a config file cannot name another one";
        if (!seen.insert(name).second) return where + "'" + name + "' is set twice";
        if (std::string error = applyServerOption(name, value, options); !error.empty()) return where + error;
    }
    return {};
}

}  // namespace parley::server
