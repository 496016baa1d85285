#pragma once
// `parley-bench report`: turns the `result` lines of several runs into the
// markdown of docs/benchmarks.md (medians, ratios to the peers, the targets of
// issue 6) and the data files of the plot.
//
//   parley-bench report --in RESULTS [--machine FILE] [--command TEXT] [--plot-dir DIR]
//
// RESULTS holds lines `run=N result shape=... label=... k=v ...`; the markdown
// goes to stdout. Exit status 1 if any run counted a lost, duplicated or
// reordered message or an error.

namespace parley::bench {

int runReport(int argc, char** argv);

}  // namespace parley::bench
