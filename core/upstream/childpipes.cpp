#include "upstream/childpipes.h"

#include "util/fdio.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

namespace portcullis {

namespace {

// A write to a pipe whose reader has gone raises SIGPIPE, which would end the gateway: we want
// EPIPE instead, as QProcess arranges for its own channels. Only a default disposition is
// replaced; childSetup() restores it for the child.
void ignoreSigpipe() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction current {};
        if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
            struct sigaction ignore {};
            ignore.sa_handler = SIG_IGN;
            ::sigaction(SIGPIPE, &ignore, nullptr);
        }
    });
}

} // namespace

ChildPipes::ChildPipes(Output onOutput, QObject* parent)
    : QObject(parent)
    , m_onOutput(std::move(onOutput)) {}

ChildPipes::~ChildPipes() {
    m_readNotifier.reset();
    m_writeNotifier.reset();
    for (int* fd : {&m_childIn[0], &m_childIn[1], &m_childOut[0], &m_childOut[1]})
        closeFd(*fd);
}

bool ChildPipes::open() {
    ignoreSigpipe();
    if (::pipe2(m_childIn, O_CLOEXEC) != 0)
        return false;
    if (::pipe2(m_childOut, O_CLOEXEC) != 0) {
        const int saved = errno;
        closeFd(m_childIn[0]);
        closeFd(m_childIn[1]);
        errno = saved;
        return false;
    }
    // Our ends never block the event loop; the child's ends stay blocking, as programs expect.
    ::fcntl(m_childIn[1], F_SETFL, ::fcntl(m_childIn[1], F_GETFL) | O_NONBLOCK);
    ::fcntl(m_childOut[0], F_SETFL, ::fcntl(m_childOut[0], F_GETFL) | O_NONBLOCK);
    m_readNotifier = std::make_unique<QSocketNotifier>(m_childOut[0], QSocketNotifier::Read);
    connect(m_readNotifier.get(), &QSocketNotifier::activated, this, &ChildPipes::onReadable);
    return true;
}

std::function<void()> ChildPipes::childSetup() const {
    const int in = m_childIn[0];
    const int out = m_childOut[1];
    return [in, out] {
        // dup2 clears close-on-exec on the copy; the originals close at exec.
        ::dup2(in, STDIN_FILENO);
        ::dup2(out, STDOUT_FILENO);
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        ::sigaction(SIGPIPE, &dfl, nullptr);
    };
}

void ChildPipes::closeChildEnds() {
    closeFd(m_childIn[0]);
    closeFd(m_childOut[1]);
}

void ChildPipes::write(std::string_view bytes) {
    if (m_childIn[1] < 0 || m_closeInputWhenSent)
        return;
    if (m_unsent.empty()) {
        bool gone = false;
        bytes.remove_prefix(writeWhatFits(m_childIn[1], DescriptorKind::Pipe, bytes, &gone));
        if (gone) {
            // EPIPE: the child closed its stdin or is exiting; QProcess reports the exit.
            closeFd(m_childIn[1]);
            return;
        }
    }
    if (bytes.empty())
        return;
    m_unsent.append(bytes);
    if (!m_writeNotifier) {
        m_writeNotifier = std::make_unique<QSocketNotifier>(m_childIn[1], QSocketNotifier::Write);
        connect(m_writeNotifier.get(), &QSocketNotifier::activated, this, &ChildPipes::onWritable);
    }
    m_writeNotifier->setEnabled(true);
}

void ChildPipes::onWritable() {
    if (m_childIn[1] < 0)
        return;
    bool gone = false;
    m_unsent.erase(0, writeWhatFits(m_childIn[1], DescriptorKind::Pipe, m_unsent, &gone));
    if (gone) {
        m_unsent.clear();
        closeFd(m_childIn[1]);
        return;
    }
    if (!m_unsent.empty())
        return; // the rest when the pipe can take it
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    if (m_closeInputWhenSent)
        closeFd(m_childIn[1]);
}

void ChildPipes::closeInput() {
    m_closeInputWhenSent = true;
    if (m_unsent.empty())
        closeFd(m_childIn[1]);
}

void ChildPipes::onReadable() {
    // One read per wake-up: a full buffer means more is waiting, which the (level-triggered)
    // notifier reports again without starving other connections.
    readOnce();
}

void ChildPipes::drain() {
    while (readOnce()) {
    }
}

bool ChildPipes::readOnce() {
    if (m_childOut[0] < 0)
        return false;
    auto& buffer = readBuffer();
    ssize_t n;
    do {
        n = ::read(m_childOut[0], buffer.data(), buffer.size());
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        m_onOutput(QByteArrayView(buffer.data(), static_cast<qsizetype>(n)));
        return true;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return false;
    // End of output (or an error): nothing will come again.
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
    closeFd(m_childOut[0]);
    return false;
}

void ChildPipes::closeFd(int& fd) {
    if (fd < 0)
        return;
    if (m_writeNotifier && &fd == &m_childIn[1])
        m_writeNotifier->setEnabled(false); // before the number can be reused
    ::close(fd);
    fd = -1;
}

} // namespace portcullis
