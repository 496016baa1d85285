// parley-bench: load generator for Parley and its peers (mosquitto, nats-server).
// See Options.cpp for the command line, docs/benchmarks.md for the results and
// scripts/bench for how the servers are started.

#include "bench/parley/Options.h"
#include "bench/parley/Report.h"
#include "bench/parley/Shapes.h"

#include <string>

int main(int argc, char** argv) {
    using namespace parley::bench;
    if (argc > 1 && std::string(argv[1]) == "report") return runReport(argc, argv);
    const auto options = parseOptions(argc, argv);
    if (!options) return 64;
    switch (options->shape) {
    case Shape::Register: return runRegister(*options);
    case Shape::Pairs: return runPairs(*options);
    case Shape::Idle: return runIdle(*options);
    case Shape::Logins: return runLogins(*options);
    case Shape::Restart: return runRestart(*options);
    case Shape::FileRelay: return runFileRelay(*options);
    case Shape::TcpCopy: return runTcpCopy(*options);
    }
    return 64;
}
