#pragma once

#include <QString>

#include <spdlog/spdlog.h>

#include <memory>

namespace portcullis::log {

// One logger for the whole process: stderr always, plus a rotating file when a directory is
// given. Qt's own messages (qWarning and friends) are routed into it too.
void init(const QString& logDirectory = {}, spdlog::level::level_enum level = spdlog::level::info);
std::shared_ptr<spdlog::logger> logger();

} // namespace portcullis::log
