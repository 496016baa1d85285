#pragma once
// A fresh folder under the system's temporary directory, removed with
// everything in it when the object goes. For test databases and logs.

#include <filesystem>
#include <string>

namespace parley::test {

class TempDir {
public:
    /// Creates <tmp>/<prefix>-<pid>-<counter>-<random>. Throws std::filesystem_error on failure.
    explicit TempDir(const std::string& prefix = "parley-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    /// path() / name, as a string.
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

}  // namespace parley::test
