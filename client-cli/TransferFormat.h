#pragma once
// The lines parley-cli prints about file transfers. Pure formatting, no I/O.

#include "shared/transfer/TransferTypes.h"

#include <cstdint>
#include <string>

namespace parley::client {

/// "[file 3] alice offers report.pdf (12.3 MB): /accept 3 [DIR] or /reject 3"
std::string formatOfferLine(const transfer::TransferInfo& info, const std::string& peerName);

/// "[file 3] report.pdf → bob 45% 120.0 MB/s" (incoming: "report.pdf ← alice ...").
/// `bytesPerSecond` < 0 leaves the rate out.
std::string formatProgressLine(const transfer::TransferInfo& info, const std::string& peerName, double bytesPerSecond);

/// "[file 3] report.pdf → bob: verified" / "...: declined: busy"
std::string formatFinishedLine(const transfer::TransferInfo& info, const std::string& peerName,
                               const transfer::TransferOutcome& outcome);

}  // namespace parley::client
