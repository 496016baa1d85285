// Files and folders Parley makes for itself are its user's only (issue 14,
// finding 10: the SQLite file was created 0644 in a 0755 folder).
#include "shared/files/PrivateFiles.h"
#include "tests/support/FileModes.h"
#include "tests/support/TempDir.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using parley::test::keepsPosixModes;
using parley::test::modeOf;
using parley::test::TempDir;

BOOST_AUTO_TEST_SUITE(private_files)

BOOST_AUTO_TEST_CASE(every_folder_created_is_0700_and_existing_ones_are_left) {
    TempDir dir("parley-private");
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
    const fs::path deep = dir.path() / "a" / "b" / "c";
    BOOST_TEST(!parley::files::createPrivateDirectories(deep));
    BOOST_TEST(fs::is_directory(deep));
    BOOST_TEST(!parley::files::createPrivateDirectories(deep));  // existing: fine
    if (!keepsPosixModes(dir.path())) return;                    // Windows: folders keep their ACLs
    BOOST_TEST(modeOf(dir.path() / "a") == 0700u);
    BOOST_TEST(modeOf(dir.path() / "a" / "b") == 0700u);
    BOOST_TEST(modeOf(deep) == 0700u);
    BOOST_TEST(modeOf(dir.path()) == 0755u);  // it existed: not ours to change
}

BOOST_AUTO_TEST_CASE(a_folder_that_cannot_be_made_is_an_error) {
    TempDir dir("parley-private");
    const fs::path file = dir.path() / "file";
    std::ofstream(file) << "x";
    BOOST_TEST(bool(parley::files::createPrivateDirectories(file / "below")));
    BOOST_TEST(bool(parley::files::createPrivateDirectories(file)));  // exists, but no folder
}

BOOST_AUTO_TEST_CASE(restricted_files_are_0600) {
    TempDir dir("parley-private");
    const fs::path file = dir.path() / "state";
    std::ofstream(file) << "x";
    fs::permissions(file,
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
    BOOST_TEST(!parley::files::restrictToOwner(file));
    // Windows keeps only a read-only bit: the file stays writable by its owner.
    BOOST_TEST(modeOf(file) == (keepsPosixModes(dir.path()) ? 0600u : 0666u));
    BOOST_TEST(bool(parley::files::restrictToOwner(dir.path() / "missing")));
}

BOOST_AUTO_TEST_SUITE_END()
