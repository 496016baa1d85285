#pragma once
// Which endpoint class plays a user of the chosen server.

#include "bench/parley/Fleet.h"
#include "bench/parley/Options.h"

namespace parley::bench {

/// Endpoints for user index i: Parley logs in as userName(i); MQTT and NATS
/// subscribe to their own topic/subject.
Fleet::Factory endpointFactory(const Options& options, Shared& shared);

/// Resolves the server address into `shared` and tags the run; false (after a
/// note) if the address is not numeric.
bool prepareShared(const Options& options, Shared& shared);

}  // namespace parley::bench
