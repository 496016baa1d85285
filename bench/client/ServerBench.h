#pragma once
// parley-client-bench --server-binary PATH: the desktop client against a real
// parley-server (docs/benchmarks.md, "Desktop client against the server").

namespace parley::gui::bench {

/// Runs the server mode; the process's exit code.
int runServerBench(int argc, char** argv);

}  // namespace parley::gui::bench
