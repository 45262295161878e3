#include "util/log.h"

#include <QDir>
#include <QtGlobal>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>

namespace portcullis::log {

namespace {

std::shared_ptr<spdlog::logger>& instance() {
    static std::shared_ptr<spdlog::logger> logger;
    return logger;
}

void qtMessageHandler(QtMsgType type, const QMessageLogContext&, const QString& message) {
    const std::string text = message.toStdString();
    auto l = logger();
    switch (type) {
    case QtDebugMsg:
        l->debug("qt: {}", text);
        break;
    case QtInfoMsg:
        l->info("qt: {}", text);
        break;
    case QtWarningMsg:
        l->warn("qt: {}", text);
        break;
    case QtCriticalMsg:
    case QtFatalMsg:
        l->error("qt: {}", text);
        break;
    }
}

} // namespace

void init(const QString& logDirectory, spdlog::level::level_enum level) {
    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (!logDirectory.isEmpty() && QDir().mkpath(logDirectory)) {
        const auto file = QDir(logDirectory).filePath(QStringLiteral("portcullis.log"));
        sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(file.toStdString(),
                                                                               5 * 1024 * 1024, 3));
    }
    auto l = std::make_shared<spdlog::logger>("portcullis", sinks.begin(), sinks.end());
    l->set_level(level);
    l->flush_on(spdlog::level::warn);
    instance() = l;
    qInstallMessageHandler(qtMessageHandler);
}

std::shared_ptr<spdlog::logger> logger() {
    static std::once_flag fallback;
    std::call_once(fallback, [] {
        if (!instance())
            instance() = std::make_shared<spdlog::logger>(
                "portcullis", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    });
    return instance();
}

} // namespace portcullis::log
