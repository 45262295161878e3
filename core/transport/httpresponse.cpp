#include "transport/httpresponse.h"

#include <algorithm>
#include <iterator>

namespace portcullis::transport {

namespace {

bool isTchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isControl(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [&](char x, char y) { return lower(x) == lower(y); });
}

} // namespace

std::string statusText(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 417:
        return "Expectation Failed";
    case 422:
        return "Unprocessable Content";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return {};
    }
}

std::string formatResponseHead(int status,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               std::optional<std::size_t> contentLength) {
    // A status outside three digits would not even parse as a status line.
    if (status < 100 || status > 999)
        status = 500;
    std::string head;
    head.reserve(256);
    head += "HTTP/1.1 ";
    head += std::to_string(status);
    head += ' ';
    head += statusText(status);
    head += "\r\n";
    for (const auto& [name, value] : headers) {
        if (name.empty() || !std::all_of(name.begin(), name.end(), isTchar) ||
            equalsIgnoringCase(name, "content-length"))
            continue;
        head += name;
        head += ": ";
        if (std::none_of(value.begin(), value.end(), isControl))
            head += value;
        else
            std::copy_if(value.begin(), value.end(), std::back_inserter(head),
                         [](char c) { return !isControl(c); });
        head += "\r\n";
    }
    if (contentLength)
        head += "Content-Length: " + std::to_string(*contentLength) + "\r\n";
    head += "\r\n";
    return head;
}

std::string formatChunk(std::string_view data) {
    if (data.empty())
        return {};
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string size;
    for (std::size_t n = data.size(); n > 0; n /= 16)
        size.insert(size.begin(), kDigits[n % 16]);
    std::string chunk;
    chunk.reserve(size.size() + data.size() + 4);
    chunk += size;
    chunk += "\r\n";
    chunk += data;
    chunk += "\r\n";
    return chunk;
}

std::string lastChunk() {
    return "0\r\n\r\n";
}

} // namespace portcullis::transport
