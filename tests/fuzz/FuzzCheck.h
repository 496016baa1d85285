#pragma once
// What a fuzz target does when a property it checks fails: say which, and abort (the
// fuzzer keeps the input as a reproducer).

#include <cstdio>
#include <cstdlib>

namespace parley::fuzz {

inline void check(bool ok, const char* target, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "%s: %s\n", target, what);
        std::abort();
    }
}

}  // namespace parley::fuzz
