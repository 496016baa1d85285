#include "server-gui/ServerConfigFile.h"

#include "server-gui/ServerOptions.h"

#include <fstream>
#include <set>

namespace parley::server {
namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

}  // namespace

std::string applyServerConfigFile(const std::string& path, ServerOptions& options) {
    std::ifstream in(path);
    if (!in) return path + ": cannot read the config file";
    std::set<std::string> seen;
    std::string line;
    for (unsigned number = 1; std::getline(in, line); ++number) {
        const std::string where = path + ":" + std::to_string(number) + ": ";
        const std::string text = trimmed(line);
        if (text.empty() || text.front() == '#') continue;
        const auto equals = text.find('=');
        if (equals == std::string::npos) return where + "expected `name = value`, got '" + text + "'";
        const std::string name = trimmed(text.substr(0, equals));
        const std::string value = trimmed(text.substr(equals + 1));
        if (name == "config") return where + "a config file cannot name another one";
        if (!seen.insert(name).second) return where + "'" + name + "' is set twice";
        if (std::string error = applyServerOption(name, value, options); !error.empty()) return where + error;
    }
    return {};
}

}  // namespace parley::server
