#include "awork_mcp/app/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace awork_mcp {

void init_logging(spdlog::level::level_enum level, const std::string& log_file) {
  std::shared_ptr<spdlog::sinks::sink> sink;
  if (log_file.empty())
    sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
  else
    sink = std::make_shared<spdlog::sinks::basic_file_sink_st>(log_file);
  auto logger = std::make_shared<spdlog::logger>("awork-mcp", std::move(sink));
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e awork-mcp[%P] %l: %v");
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace awork_mcp
