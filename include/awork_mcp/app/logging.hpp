#pragma once
// Logging setup: stderr or a file, never stdout, which belongs to the protocol.

#include <spdlog/common.h>

#include <string>

namespace awork_mcp {

/// Installs the default spdlog logger. Throws spdlog::spdlog_ex if the log file cannot be opened.
void init_logging(spdlog::level::level_enum level, const std::string& log_file);

}  // namespace awork_mcp
