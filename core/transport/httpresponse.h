#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portcullis::transport {

// The reason phrase for a status code; empty for codes it does not know, which HTTP allows.
std::string statusText(int status);

// "HTTP/1.1 200 OK\r\n" + fields + "\r\n". Values lose any control character (CR, LF, NUL...),
// so nothing that reaches a value can end the head or add a field; a field whose name is not a
// token is left out. Content-Length comes only from contentLength (fields of that name are
// dropped) so the framing has a single source. For a stream, pass std::nullopt and a
// "Transfer-Encoding: chunked" field, then send formatChunk() pieces and lastChunk().
std::string formatResponseHead(int status,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               std::optional<std::size_t> contentLength);

// One chunk of a chunked body. Empty data gives an empty string: a zero-size chunk would end the
// body.
std::string formatChunk(std::string_view data);
std::string lastChunk();

} // namespace portcullis::transport
