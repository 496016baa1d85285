#pragma once

namespace parley::net {

/// Any thread. Gives memory that the C library's allocator keeps after frees back to the
/// operating system, where the allocator can (glibc: malloc_trim(0) over every arena;
/// elsewhere nothing). It walks the whole heap, milliseconds on a large one: call it when
/// a burst is over and the process is quiet, not per event.
void releaseFreeMemory();

}  // namespace parley::net
