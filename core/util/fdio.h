#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace portcullis {

enum class DescriptorKind { Socket, Pipe };

// Writes as much of `bytes` to a non-blocking descriptor as it takes now, retrying interrupted
// calls, and returns how many bytes went. *gone is set when the other end has gone (reset,
// closed) or the write failed otherwise; a socket never raises SIGPIPE.
std::size_t writeWhatFits(int fd, DescriptorKind kind, std::string_view bytes, bool* gone);

// One buffer per thread for reading descriptors: every reader hands what it read on (to a
// parser, a line splitter) before it returns, so nothing needs to stay in it between reads.
std::array<char, 64 * 1024>& readBuffer();

} // namespace portcullis
