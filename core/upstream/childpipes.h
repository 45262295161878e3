#pragma once

#include <QByteArrayView>
#include <QObject>
#include <QSocketNotifier>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace portcullis {

// A child process's stdin and stdout as plain non-blocking pipes, written and read here rather
// than through QProcess's channels: those keep each write until the next pass of the event loop
// (one more poll() and a wake-up per message) and ask the kernel for a byte count before every
// read. A call proxied to a stdio server crosses both once, so this is most of the system calls
// a call costs. QProcess still starts, watches and stops the child; childSetup() puts the pipes
// in place of its stdin and stdout.
class ChildPipes final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChildPipes)

public:
    using Output = std::function<void(QByteArrayView bytes)>;

    explicit ChildPipes(Output onOutput, QObject* parent = nullptr);
    ~ChildPipes() override;

    // Creates the pipes; false with errno set when the system is out of descriptors.
    bool open();
    // For QProcess::setChildProcessModifier: runs in the child between fork and exec, so it
    // only makes async-signal-safe calls.
    std::function<void()> childSetup() const;
    // In the parent, once the child has been forked: its ends are its own now.
    void closeChildEnds();

    // To the child's stdin; what the pipe does not take now is sent when it can.
    void write(std::string_view bytes);
    // The child reads end of input once everything written has gone through.
    void closeInput();
    // Reads whatever the child has written by now (after it exits, say).
    void drain();

private:
    void onReadable();
    void onWritable();
    bool readOnce(); // false once nothing more is there now
    void closeFd(int& fd);

    Output m_onOutput;
    int m_childIn[2] = {-1, -1};  // the child reads [0], we write [1]
    int m_childOut[2] = {-1, -1}; // the child writes [1], we read [0]
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
    std::string m_unsent;
    bool m_closeInputWhenSent = false;
};

} // namespace portcullis
