#pragma once
// A fresh folder under the system's temporary directory, removed with
// everything in it when the object goes: for test databases, logs and files.
// Header-only standard C++, so that the suites cross-built for Windows (mingw,
// tests/shared) use the same one as the rest.

#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace parley::test {

class TempDir {
public:
    /// Creates <tmp>/<prefix>-<random>-<counter>. Throws std::filesystem_error on failure.
    explicit TempDir(const std::string& prefix = "parley-test") {
        static std::atomic<unsigned> counter{0};
        std::random_device random;
        const auto base = std::filesystem::temp_directory_path();
        // create_directory reports an existing folder as false: try another name.
        for (;;) {
            m_path = base / (prefix + "-" + std::to_string(random()) + "-" + std::to_string(++counter));
            if (std::filesystem::create_directory(m_path)) break;
        }
    }
    ~TempDir() {
        std::error_code ignored;  // best effort: a destructor must not throw
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    /// path() / name, as a string.
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

}  // namespace parley::test
