#include "shared/session/ServerList.h"

#include "shared/text/Trim.h"

#include <algorithm>

namespace parley::session {

std::vector<std::string> splitServerList(const std::string& text, std::string& error) {
    std::vector<std::string> entries;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string entry = parley::text::trimmed(std::string_view(text).substr(start, comma - start));
        if (entry.empty()) {
            error = "the server list '" + text + "' has an empty entry";
            return {};
        }
        if (std::find(entries.begin(), entries.end(), entry) != entries.end()) {
            error = "the server list names " + entry + " twice";
            return {};
        }
        entries.push_back(std::move(entry));
        start = comma + 1;
    }
    error.clear();
    return entries;
}

bool ServerRotation::failed() {
    m_current = (m_current + 1) % m_servers;
    if (++m_failuresInPass < m_servers) return false;
    m_failuresInPass = 0;
    return true;
}

}  // namespace parley::session
