#pragma once
// Names for files a peer sends us. The sender offers a name; the receiver must
// never let that name choose where the file is written, nor which existing file
// it replaces. Everything here turns an offered name into one *leaf* name that
// is valid, and means the same file, on Windows and on Linux.
//
// Typical use on the receiving side:
//
//     std::string leaf = sanitizeFileName(offer.name);          // pure, never fails
//     UniqueNameResult r = uniqueNameIn(downloadDir, leaf);     // "x (1).txt" if x.txt is taken
//     if (!r.ok()) { report toString(r.error) ... }
//     write to downloadDir / pathFromUtf8(partName(r.name)), rename to r.name when done
//
// Names are UTF-8 std::strings throughout. Turn them into paths with
// pathFromUtf8() only: on Windows std::filesystem::path(std::string) reads the
// bytes in the ANSI code page and mangles every non-ASCII name.
//
// All functions are pure apart from uniqueNameIn() (which reads the directory)
// and may be called from any thread.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>

namespace parley::files {

/// Longest leaf name either system takes: NAME_MAX (255 bytes) on Linux, 255
/// UTF-16 units on NTFS. 255 UTF-8 bytes are never more than 255 UTF-16 units.
inline constexpr std::size_t kMaxFileNameBytes = 255;

/// Appended to a file while it is incomplete.
inline constexpr std::string_view kPartSuffix = ".part";

/// Longest name sanitizeFileName() and uniqueName() produce: short enough that
/// partName() of it still fits in kMaxFileNameBytes.
inline constexpr std::size_t kMaxSafeNameBytes = kMaxFileNameBytes - kPartSuffix.size();

/// What an offered name that leaves nothing usable becomes.
inline constexpr std::string_view kFallbackName = "file";

/// Stands in for every byte or character that cannot be kept.
inline constexpr char kReplacementChar = '_';

/// uniqueName() tries "name (1).ext" up to "name (kMaxUniqueAttempts).ext".
inline constexpr unsigned kMaxUniqueAttempts = 9999;

/// Turns an offered name (any bytes) into a safe leaf name. Never fails; the
/// result is never empty, at most kMaxSafeNameBytes bytes, valid UTF-8, and
/// sanitizeFileName(result) == result. In this order it:
///  1. keeps only the last non-empty component after splitting on '/' and '\\'
///     ("../../etc/passwd" -> "passwd", "C:\\Windows\\x" -> "x",
///     "\\\\server\\share\\x" -> "x");
///  2. replaces with '_': each byte of invalid UTF-8 (overlong forms,
///     surrogates, > U+10FFFF, cut sequences), control characters (U+0000-U+001F,
///     U+007F-U+009F), the characters Windows refuses (< > : " | ? *; a ':' would
///     otherwise name a drive or an NTFS alternate data stream: "a:b"), and the
///     bidirectional embedding/override/isolate controls (U+202A-U+202E,
///     U+2066-U+2069) that make "evil\u202Etxt.exe" display as "evilexe.txt";
///  3. removes leading spaces and trailing dots and spaces (Windows drops the
///     trailing ones itself, so "x.txt." and "x.txt" are one file there);
///     "." and ".." therefore become empty;
///  4. truncates to kMaxSafeNameBytes, keeping an extension of up to 32 bytes
///     and never cutting a UTF-8 sequence (then trims trailing dots and spaces
///     again);
///  5. prefixes '_' to a reserved Windows device name ("nul.txt" -> "_nul.txt",
///     see isReservedDeviceName);
///  6. returns kFallbackName if nothing is left.
std::string sanitizeFileName(std::string_view offered);

/// True if `name` is what sanitizeFileName() would return for it.
bool isSafeFileName(std::string_view name);

/// True if Windows maps `name` to a device: CON, PRN, AUX, NUL, COM0-COM9,
/// LPT0-LPT9, COM/LPT with a superscript digit (¹ ² ³), CONIN$, CONOUT$; in any
/// case, and with anything after the first dot ("nul.txt", "com1.tar.gz") or
/// spaces before it ("con .txt").
bool isReservedDeviceName(std::string_view name);

/// The name of the incomplete file: sanitizeFileName(name) + ".part". At most
/// kMaxFileNameBytes bytes.
std::string partName(std::string_view name);

/// The UTF-8 name as a path (std::filesystem::u8path): correct on Windows too.
std::filesystem::path pathFromUtf8(std::string_view utf8);

/// The path as UTF-8 (path::u8string()).
std::string utf8FromPath(const std::filesystem::path& path);

/// Whether a leaf name is taken. May be called several times per uniqueName().
using ExistsFn = std::function<bool(const std::string& name)>;

enum class NameError : std::uint8_t {
    None = 0,
    NoFreeName,  ///< "name (1)" to "name (kMaxUniqueAttempts)" are all taken
    Filesystem,  ///< the directory could not be read; see systemError
};

const char* toString(NameError error);

struct UniqueNameResult {
    std::string name;  ///< the free leaf name; empty unless ok()
    NameError error = NameError::None;
    std::error_code systemError;  ///< set with NameError::Filesystem
    bool ok() const { return error == NameError::None; }
};

/// The first of sanitizeFileName(name), "stem (1).ext", "stem (2).ext", ...
/// for which `exists` is false, so that an existing file is never overwritten
/// silently. The extension is what follows the last dot (not a leading one:
/// ".profile" -> ".profile (1)"); the stem is shortened, on a UTF-8 boundary,
/// so that every candidate fits in kMaxSafeNameBytes. Errors: NoFreeName.
UniqueNameResult uniqueName(const ExistsFn& exists, std::string_view name);

/// uniqueName() against the directory `dir`: a name is taken if `dir` holds an
/// entry of that name (of any type, a dangling symlink included) or an entry
/// named partName() of it, so that an unrelated transfer still in progress is
/// not overwritten either. On Windows the file system answers, so names that
/// differ only in case, and 8.3 aliases of existing files ("LONGNA~1.TXT"),
/// count as taken. Between this call and the creation of the file another
/// process may create it; create the file exclusively where the platform
/// allows. Errors: NoFreeName, Filesystem (systemError set).
UniqueNameResult uniqueNameIn(const std::filesystem::path& dir, std::string_view name);

}  // namespace parley::files
