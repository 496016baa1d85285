#include "client-cli/TransferFormat.h"

#include "shared/text/ByteCount.h"
#include "shared/text/Printable.h"

namespace parley::client {

namespace {

std::string head(const transfer::TransferInfo& info, const std::string& peerName) {
    const bool out = info.direction == transfer::Direction::Outgoing;
    return "[file " + std::to_string(info.number) + "] " + text::printable(info.name) +
           (out ? " \u2192 " : " \u2190 ") + peerName;
}

}  // namespace

std::string formatOfferLine(const transfer::TransferInfo& info, const std::string& peerName) {
    const std::string id = std::to_string(info.number);
    return "[file " + id + "] " + peerName + " offers " + text::printable(info.name) + " (" +
           text::formatBytes(info.size) + "): /accept " + id + " [DIR] or /reject " + id;
}

std::string formatProgressLine(const transfer::TransferInfo& info, const std::string& peerName, double bytesPerSecond) {
    const std::uint64_t percent = info.size == 0 ? 100 : info.done * 100 / info.size;
    std::string line = head(info, peerName) + " " + std::to_string(percent) + "%";
    if (bytesPerSecond >= 0) {
        line += " " + text::formatBytes(static_cast<std::uint64_t>(bytesPerSecond)) + "/s";
    }
    return line;
}

std::string formatFinishedLine(const transfer::TransferInfo& info, const std::string& peerName,
                               const transfer::TransferOutcome& outcome) {
    std::string line = head(info, peerName) + ": " + transfer::describe(outcome);
    if (outcome.kind == transfer::OutcomeKind::Verified && !outcome.path.empty()) {
        line += " (" + text::escapeControls(outcome.path, false) + ")";
    }
    return line;
}

}  // namespace parley::client
