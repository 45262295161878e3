#include "workspace/launchline.h"

#include <algorithm>

namespace portcullis::LaunchLine {

namespace {

bool plainWord(const QString& word) {
    return !word.isEmpty() && std::all_of(word.begin(), word.end(), [](QChar c) {
        return (c.unicode() < 0x80 && c.isLetterOrNumber()) ||
               QStringView(u"_@%+=:,./-").contains(c);
    });
}

// A name sh takes as an assignment before a command; others need "env" to set them.
bool shellIdentifier(const QString& name) {
    if (name.isEmpty() || name.front().isDigit())
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c.unicode() < 0x80 && c.isLetterOrNumber()) || c == QLatin1Char('_');
    });
}

} // namespace

QString shellWord(const QString& word, HostOs os) {
    if (plainWord(word))
        return word;
    if (os == HostOs::Windows) {
        QString escaped = word;
        escaped.replace(QLatin1Char('"'), QLatin1String("\\\""));
        return QLatin1Char('"') + escaped + QLatin1Char('"');
    }
    QString escaped = word;
    escaped.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

QString commandLine(const QString& program, const QStringList& args, HostOs os) {
    QStringList words{shellWord(program, os)};
    for (const QString& a : args)
        words << shellWord(a, os);
    return words.join(QLatin1Char(' '));
}

QString forServer(const ServerConfig& server, HostOs os) {
    if (server.transport != ServerConfig::Transport::Stdio)
        return server.url;
    const bool windows = os == HostOs::Windows;
    QStringList parts;
    if (!server.cwd.isEmpty())
        parts << (windows ? QStringLiteral("cd /d ") : QStringLiteral("cd ")) +
                     shellWord(server.cwd, os) + QStringLiteral(" &&");
    QStringList assignments;
    bool needsEnv = false;
    for (const auto& [name, value] : server.env) {
        if (windows) {
            // Quoted whole, or cmd keeps the space before "&&" as part of the value.
            QString assignment = name + QLatin1Char('=') + value;
            assignment.replace(QLatin1Char('"'), QLatin1String("\\\""));
            parts << QStringLiteral("set \"%1\" &&").arg(assignment);
        } else if (shellIdentifier(name)) {
            assignments << name + QLatin1Char('=') + shellWord(value, os);
        } else {
            needsEnv = true;
            assignments << shellWord(name + QLatin1Char('=') + value, os);
        }
    }
    if (needsEnv)
        parts << QStringLiteral("env");
    parts += assignments;
    parts << commandLine(server.command, server.args, os);
    return parts.join(QLatin1Char(' '));
}

} // namespace portcullis::LaunchLine
