#include "tests/support/TempDir.h"

#include <atomic>
#include <random>
#include <system_error>

namespace parley::test {

TempDir::TempDir(const std::string& prefix) {
    static std::atomic<unsigned> counter{0};
    std::random_device random;
    const auto base = std::filesystem::temp_directory_path();
    // create_directory reports an existing folder as false: try another name.
    for (;;) {
        m_path = base / (prefix + "-" + std::to_string(random()) + "-" + std::to_string(++counter));
        if (std::filesystem::create_directory(m_path)) break;
    }
}

TempDir::~TempDir() {
    std::error_code ignored;  // best effort: a destructor must not throw
    std::filesystem::remove_all(m_path, ignored);
}

}  // namespace parley::test
