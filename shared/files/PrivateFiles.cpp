#include "shared/files/PrivateFiles.h"

#include <vector>

namespace parley::files {

namespace fs = std::filesystem;

std::error_code restrictToOwner(const fs::path& file) {
    std::error_code error;
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, error);
    return error;
}

std::error_code createPrivateDirectories(const fs::path& folder) {
    // The folders to create, innermost first: up to the first one that exists.
    std::vector<fs::path> missing;
    for (fs::path at = folder; !at.empty(); at = at.parent_path()) {
        std::error_code unknown;  // cannot tell: try to create it, which says why
        if (fs::exists(at, unknown)) break;
        missing.push_back(at);
        if (at == at.parent_path()) break;  // a root that does not exist
    }
    std::error_code error;
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        fs::create_directory(*it, error);
        if (error) return error;
        std::error_code ignored;  // a file system without permissions keeps its own
        fs::permissions(*it, fs::perms::owner_all, fs::perm_options::replace, ignored);
    }
    if (!fs::is_directory(folder, error) && !error) error = std::make_error_code(std::errc::not_a_directory);
    return error;
}

}  // namespace parley::files
