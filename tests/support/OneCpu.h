#pragma once
// Restricts the calling thread to one of the CPUs it may run on, as `taskset -c N`
// or a container's cpuset would restrict a process: for tests of what sizes itself
// by the usable cores. Header-only; Linux only (elsewhere it reports false).

#if defined(__linux__)
#include <sched.h>
#endif

namespace parley::test {

/// True if the calling thread now runs on exactly one CPU (the first it was allowed).
inline bool pinThisThreadToOneCpu() {
#if defined(__linux__)
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (::sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || CPU_COUNT(&allowed) == 0) return false;
    int first = 0;
    while (!CPU_ISSET(first, &allowed)) ++first;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    return ::sched_setaffinity(0, sizeof(one), &one) == 0;
#else
    return false;
#endif
}

}  // namespace parley::test
