#include "util/fdio.h"

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace portcullis {

std::size_t writeWhatFits(int fd, DescriptorKind kind, std::string_view bytes, bool* gone) {
    *gone = false;
    std::size_t written = 0;
    while (written < bytes.size()) {
        const char* data = bytes.data() + written;
        const std::size_t size = bytes.size() - written;
        const ssize_t n = kind == DescriptorKind::Socket
                              ? ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT)
                              : ::write(fd, data, size);
        if (n > 0) {
            written += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            *gone = true;
            break;
        }
    }
    return written;
}

std::array<char, 64 * 1024>& readBuffer() {
    thread_local std::array<char, 64 * 1024> buffer;
    return buffer;
}

} // namespace portcullis
