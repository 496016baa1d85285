#pragma once
// Boost.Test diagnostics for the cluster suites: an EnvelopeError printed by its name.

#include "server-gui/cluster/Envelope.h"

#include <ostream>

namespace parley::cluster {
inline std::ostream& operator<<(std::ostream& out, EnvelopeError error) { return out << toString(error); }
}  // namespace parley::cluster
