#include "platform/Memory.h"

#include <cstdlib>  // defines __GLIBC__ on glibc (features.h)

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace parley::net {

void releaseFreeMemory() {
#if defined(__GLIBC__)
    // glibc keeps freed chunks in its arenas and returns only the top of each heap on its
    // own; after a burst (thousands of logins) most of that memory stays resident.
    malloc_trim(0);
#endif
}

}  // namespace parley::net
