#pragma once
// What both modes of parley-client-bench share: reporting a phase with the
// process's resident memory, painting a widget, waiting on the event loop, options.

#include <QtGlobal>

#include <functional>

class QWidget;

namespace parley::gui::bench {

/// VmRSS of this process in KiB (0 if /proc is not there).
long residentKiB();
/// Prints one line: the phase, `ms`, and the resident memory now.
void report(const char* phase, qint64 ms);
/// Shows `widget` and returns once it has been painted.
void showAndPaint(QWidget& widget);
/// Runs the event loop until `condition` holds or `limitMs` passes; its last value.
bool waitUntil(const std::function<bool()>& condition, int limitMs);
/// The value of `--name N` (at least 1), or `fallback`.
int option(int argc, char** argv, const char* name, int fallback);
/// The value of `--name TEXT`, or nullptr.
const char* textOption(int argc, char** argv, const char* name);

}  // namespace parley::gui::bench
