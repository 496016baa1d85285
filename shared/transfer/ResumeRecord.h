#pragma once
// What a receiver keeps about a .part file so that an interrupted transfer can resume,
// also in a new process: the resume state, one file per transfer in the receiver's own
// state folder ("<peer>-<transferId>.resume", see resumePathOf), never in the download
// folder, where a sender can plant files of any name. Pure text, written by the file-I/O
// side (SinkFile), parsed here.
//
//   parley-resume 1
//   peer 7
//   transfer 1311768467294899695
//   size 10485760
//   sha256 <64 hex digits>
//   block 4194304
//   name report.pdf                  (the sanitised leaf name; the part is partName(name))
//   offered report.pdf               (the name as offered, controls escaped)
//   dir /home/bob/Downloads          (the download folder holding the .part)
//   h 0 <64 hex digits>              (one line per verified block, appended as verified)
//   h 4194304 <64 hex digits>
//
// A torn last line (the process died while appending) is ignored.

#include "shared/transfer/TransferTypes.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace parley::transfer {

struct ResumeRecord {
    UserId peer = 0;
    TransferId transferId = 0;
    std::uint64_t size = 0;
    Sha256 sha256{};
    std::uint32_t blockSize = 0;
    std::string name;                      ///< leaf name chosen at accept time (UTF-8)
    std::string offeredName;               ///< as offered
    std::filesystem::path directory;       ///< the download folder: where the .part is
    std::filesystem::path stateDirectory;  ///< where the resume state is (not stored; empty: none)

    /// True if a re-offer from `peer` is this transfer (protocol 9.8 rule 9).
    bool matches(UserId from, const proto::FileOffer& offer) const;
};

/// A recorded block hash.
struct BlockHash {
    std::uint64_t offset = 0;
    Sha256 sha256{};
};

/// The sidecar's header lines (everything but the "h" lines).
std::string formatResumeHeader(const ResumeRecord& record);
/// One "h OFFSET HEX\n" line.
std::string formatBlockHashLine(const BlockHash& block);

struct ParsedResume {
    ResumeRecord record;
    std::vector<BlockHash> blocks;  ///< in file order, as recorded
};

/// Parses a whole sidecar; nullopt if the header is incomplete or malformed.
std::optional<ParsedResume> parseResume(const std::string& text);

/// The .part file of `record`: directory / partName(name).
std::filesystem::path partPathOf(const ResumeRecord& record);
/// Its resume state: stateDirectory / "<peer>-<transferId>.resume"; empty when the record
/// has no state folder (then nothing is kept for a later process).
std::filesystem::path resumePathOf(const ResumeRecord& record);
/// The leaf name resumePathOf() gives the transfer (peer, transferId).
std::string resumeFileName(UserId peer, TransferId transferId);

}  // namespace parley::transfer
