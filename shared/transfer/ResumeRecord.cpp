#include "shared/transfer/ResumeRecord.h"

#include "shared/files/FileName.h"
#include "shared/text/Printable.h"

#include <charconv>
#include <sstream>

namespace parley::transfer {

namespace {

constexpr const char* kMagic = "parley-resume 1";

template <class T>
bool parseNumber(const std::string& text, T& value) {
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    return !text.empty() && ec == std::errc() && ptr == end;
}

}  // namespace

bool ResumeRecord::matches(UserId from, const proto::FileOffer& offer) const {
    return from == peer && offer.transferId == transferId && offer.size == size && offer.sha256 == sha256 &&
           offer.blockSize == blockSize;
}

std::string formatResumeHeader(const ResumeRecord& record) {
    std::ostringstream out;
    out << kMagic << '\n'
        << "peer " << record.peer << '\n'
        << "transfer " << record.transferId << '\n'
        << "size " << record.size << '\n'
        << "sha256 " << toHex(record.sha256) << '\n'
        << "block " << record.blockSize << '\n'
        << "name " << record.name << '\n'
        << "offered " << text::escapeControls(record.offeredName, false) << '\n';
    // A folder whose name has a line break is not recorded: that state cannot be resumed.
    const std::string directory = files::utf8FromPath(record.directory);
    if (directory.find_first_of("\r\n") == std::string::npos) {
        out << "dir " << directory << '\n';
    }
    return out.str();
}

std::string formatBlockHashLine(const BlockHash& block) {
    return "h " + std::to_string(block.offset) + " " + toHex(block.sha256) + "\n";
}

std::optional<ParsedResume> parseResume(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line != kMagic) {
        return std::nullopt;
    }
    ParsedResume parsed;
    ResumeRecord& r = parsed.record;
    unsigned seen = 0;  // one bit per header field
    while (std::getline(in, line)) {
        if (in.eof()) {
            break;  // no newline: a torn append
        }
        const std::size_t space = line.find(' ');
        const std::string key = line.substr(0, space);
        const std::string value = space == std::string::npos ? std::string() : line.substr(space + 1);
        bool ok = true;
        if (key == "peer") {
            ok = parseNumber(value, r.peer), seen |= 1U;
        } else if (key == "transfer") {
            ok = parseNumber(value, r.transferId), seen |= 2U;
        } else if (key == "size") {
            ok = parseNumber(value, r.size), seen |= 4U;
        } else if (key == "sha256") {
            ok = fromHex(value, r.sha256), seen |= 8U;
        } else if (key == "block") {
            ok = parseNumber(value, r.blockSize) && r.blockSize > 0, seen |= 16U;
        } else if (key == "name") {
            r.name = value, seen |= 32U;
            ok = !value.empty();
        } else if (key == "offered") {
            r.offeredName = value;
        } else if (key == "dir") {
            r.directory = files::pathFromUtf8(value);
        } else if (key == "h") {
            const std::size_t split = value.find(' ');
            BlockHash block;
            ok = split != std::string::npos && parseNumber(value.substr(0, split), block.offset) &&
                 fromHex(value.substr(split + 1), block.sha256);
            if (!ok) {
                break;  // keep what came before
            }
            parsed.blocks.push_back(block);
            continue;
        }
        if (!ok) {
            return std::nullopt;
        }
    }
    if (seen != 63U) {
        return std::nullopt;
    }
    return parsed;
}

std::filesystem::path partPathOf(const ResumeRecord& record) {
    return record.directory / files::pathFromUtf8(files::partName(record.name));
}

std::string resumeFileName(UserId peer, TransferId transferId) {
    return std::to_string(peer) + "-" + std::to_string(transferId) + ".resume";
}

std::filesystem::path resumePathOf(const ResumeRecord& record) {
    if (record.stateDirectory.empty()) {
        return {};
    }
    return record.stateDirectory / files::pathFromUtf8(resumeFileName(record.peer, record.transferId));
}

}  // namespace parley::transfer
