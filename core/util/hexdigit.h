#pragma once

namespace portcullis {

// The value of a hex digit, or -1: for chunk sizes in HTTP and \u escapes in JSON.
inline int hexDigit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace portcullis
