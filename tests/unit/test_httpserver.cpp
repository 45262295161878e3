// HttpServer on real loopback sockets: the client side runs on another thread with blocking
// POSIX calls while this thread's event loop serves.
#include "transport/httpserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTest>

#include <arpa/inet.h>
#include <chrono>
#include <future>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

using namespace portcullis::transport;
using namespace std::chrono_literals;

namespace {

int connectTo(quint16 port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    timeval tv{10, 0}; // no read may hang the test
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

bool sendAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Everything until the server closes (or 10 s pass without a byte).
std::string readToEnd(int fd) {
    std::string out;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            return out;
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

std::string readExactly(int fd, std::size_t size) {
    std::string out;
    char buffer[65536];
    while (out.size() < size) {
        const ssize_t n = ::recv(fd, buffer, std::min(sizeof buffer, size - out.size()), 0);
        if (n <= 0)
            break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
}

// Runs the client on another thread and serves until it is done.
template <typename F> auto whileServing(F client) {
    auto future = std::async(std::launch::async, std::move(client));
    QElapsedTimer timer;
    timer.start();
    while (future.wait_for(0ms) != std::future_status::ready && timer.elapsed() < 30'000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return future.get();
}

std::string request(const std::string& method, const std::string& path,
                    const std::string& body = {}, const std::string& extra = {}) {
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Answers with the path and the body it was sent.
void echo(const HttpRequest& r, const std::shared_ptr<HttpExchange>& ex) {
    ex->respond(200, {{"Content-Type", "text/plain"}}, r.path + ":" + r.body);
}

} // namespace

class TestHttpServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pipelinedRequestsAreAnsweredInOrder() {
        HttpServer server(echo);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
        const quint16 port = server.port();
        const std::string got = whileServing([port] {
            const int fd = connectTo(port);
            sendAll(fd, request("POST", "/a", "one") +
                            request("POST", "/b", "two", "Connection: close\r\n"));
            std::string all = readToEnd(fd);
            ::close(fd);
            return all;
        });
        const auto first = got.find("/a:one");
        const auto second = got.find("/b:two");
        QVERIFY2(first != std::string::npos && second != std::string::npos && first < second,
                 got.c_str());
        QCOMPARE(got.rfind("HTTP/1.1 200", 0), 0U);
        QTRY_COMPARE(server.connectionCount(), 0);
    }

    void expectContinueGetsOneInterimAnswer() {
        HttpServer server(echo);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
        const quint16 port = server.port();
        const auto [interim, final] = whileServing([port] {
            const int fd = connectTo(port);
            sendAll(fd, "POST /c HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                        "Connection: close\r\nContent-Length: 5\r\n\r\n");
            const std::string head = readExactly(fd, 25);
            sendAll(fd, "hello");
            std::string rest = readToEnd(fd);
            ::close(fd);
            return std::make_pair(head, rest);
        });
        QCOMPARE(interim, std::string("HTTP/1.1 100 Continue\r\n\r\n"));
        QVERIFY2(final.rfind("HTTP/1.1 200", 0) == 0, final.c_str());
        QVERIFY(final.find("/c:hello") != std::string::npos);
    }

    // 16 MiB cannot go out in one send(): the rest waits for the client, and arrives whole.
    void largeAnswerReachesASlowReader() {
        std::string big(16 * 1024 * 1024, '\0');
        for (std::size_t i = 0; i < big.size(); ++i)
            big[i] = static_cast<char>('a' + i % 23);
        HttpServer server([&big](const HttpRequest&, const std::shared_ptr<HttpExchange>& ex) {
            ex->respond(200, {{"Connection", "close"}}, big);
        });
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
        const quint16 port = server.port();
        const std::string got = whileServing([port] {
            const int fd = connectTo(port);
            sendAll(fd, request("GET", "/big", {}, "Connection: close\r\n"));
            std::this_thread::sleep_for(300ms);
            std::string all = readToEnd(fd);
            ::close(fd);
            return all;
        });
        const auto bodyAt = got.find("\r\n\r\n");
        QVERIFY(bodyAt != std::string::npos);
        QCOMPARE(got.size() - bodyAt - 4, big.size());
        QVERIFY(got.compare(bodyAt + 4, std::string::npos, big) == 0);
    }

    // A hold (an approval) learns that its client went away, and the connection is freed.
    void heldExchangeIsAbandonedWhenTheClientLeaves() {
        std::shared_ptr<HttpExchange> held;
        bool abandoned = false;
        HttpServer server([&](const HttpRequest&, const std::shared_ptr<HttpExchange>& ex) {
            held = ex;
            ex->setOnAbandoned([&abandoned] { abandoned = true; });
        });
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
        const quint16 port = server.port();
        const int fd = whileServing([port] {
            const int s = connectTo(port);
            sendAll(s, request("POST", "/hold", "x"));
            return s;
        });
        QTRY_VERIFY(held != nullptr);
        QVERIFY(held->alive());
        QCOMPARE(server.connectionCount(), 1);
        ::close(fd);
        QTRY_VERIFY(abandoned);
        QVERIFY(!held->alive());
        QTRY_COMPARE(server.connectionCount(), 0);
        held->respond(200, {}, "late"); // goes nowhere, harmlessly
    }

    // The server refuses a body too large before reading it: the client, still sending, gets
    // the 413, and the connection is closed and freed.
    void refusalSurvivesAnUnreadBody() {
        HttpRequestParser::Limits limits;
        limits.maxBodyBytes = 1024 * 1024;
        HttpServer server(echo, limits);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
        const quint16 port = server.port();
        const std::string got = whileServing([port] {
            const int fd = connectTo(port);
            sendAll(fd, request("POST", "/big", std::string(10 * 1024 * 1024, 'x')));
            std::string all = readToEnd(fd);
            ::close(fd);
            return all;
        });
        QVERIFY2(got.rfind("HTTP/1.1 413", 0) == 0, got.substr(0, 200).c_str());
        QTRY_COMPARE(server.connectionCount(), 0);
    }

    // A client that sends its next request while the first is held: the read-ahead stops at a
    // bound, and the next request is still answered whole once the first is.
    void nextRequestWaitsForTheHeldOne() {
        std::shared_ptr<HttpExchange> held;
        HttpServer server([&](const HttpRequest& r, const std::shared_ptr<HttpExchange>& ex) {
            if (r.path == "/hold")
                held = ex;
            else
                echo(r, ex);
        });
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
        const quint16 port = server.port();
        const std::string body(2 * 1024 * 1024, 'y');
        auto client = std::async(std::launch::async, [port, &body] {
            const int fd = connectTo(port);
            sendAll(fd, request("POST", "/hold", "x") +
                            request("POST", "/next", body, "Connection: close\r\n"));
            std::string all = readToEnd(fd);
            ::close(fd);
            return all;
        });
        QTRY_VERIFY(held != nullptr);
        QTest::qWait(200); // the client has sent what the kernel takes by now
        held->respond(200, {}, "released");
        QElapsedTimer timer;
        timer.start();
        while (client.wait_for(0ms) != std::future_status::ready && timer.elapsed() < 30'000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        const std::string got = client.get();
        QVERIFY(got.find("released") != std::string::npos);
        QVERIFY(got.find("/next:" + body) != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "test_httpserver.moc"
