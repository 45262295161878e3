#include "util/memorytuning.h"

#include <cstdlib> // on glibc, defines __GLIBC__ (through <features.h>)

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace portcullis::memory {

void returnLargeBuffersToTheSystem() {
#if defined(__GLIBC__)
    // Fixed values also switch off glibc's dynamic adjustment of both.
    ::mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    ::mallopt(M_TRIM_THRESHOLD, 512 * 1024);
#endif
}

} // namespace portcullis::memory
