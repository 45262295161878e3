#pragma once

#include <cstddef>
#include <string_view>

namespace portcullis {

enum class DescriptorKind { Socket, Pipe };

// Writes as much of `bytes` to a non-blocking descriptor as it takes now, retrying interrupted
// calls, and returns how many bytes went. *gone is set when the other end has gone (reset,
// closed) or the write failed otherwise; a socket never raises SIGPIPE.
std::size_t writeWhatFits(int fd, DescriptorKind kind, std::string_view bytes, bool* gone);

} // namespace portcullis
