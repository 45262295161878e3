#pragma once

namespace portcullis::memory {

// Large, short-lived buffers (a listing of thousands of held calls, a big tool result) come
// straight from the system and go straight back. Left alone, glibc raises its mmap threshold
// once such a buffer is freed and serves the next ones from the heap, whose freed space it
// keeps: a gateway that once answered one large request would stay that much larger. Call
// once, early, in a long-running process.
void returnLargeBuffersToTheSystem();

} // namespace portcullis::memory
