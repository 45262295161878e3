#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

// How the stream fuzzers read their input: one byte whose low 3 bits are n (the rest is the
// caller's), n read sizes of 1..256 bytes, then the stream itself. Parsing it whole and in those
// reads must give the same result, whatever way the network happens to split it.
struct FuzzReads {
    std::uint8_t control = 0;
    std::vector<std::size_t> sizes;
    std::string_view stream;
};

inline FuzzReads splitFuzzInput(const std::uint8_t* data, std::size_t size) {
    FuzzReads r;
    if (size == 0)
        return r;
    r.control = data[0];
    const std::size_t count = std::min<std::size_t>(data[0] & 7u, size - 1);
    for (std::size_t i = 0; i < count; ++i)
        r.sizes.push_back(std::size_t{data[1 + i]} + 1);
    r.stream = std::string_view(reinterpret_cast<const char*>(data) + 1 + count, size - 1 - count);
    return r;
}
