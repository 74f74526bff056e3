#include "awork_mcp/relay/known_eras.hpp"

#include "awork_mcp/platform/files.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace awork_mcp {

namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// The server without its query, which may hold a secret.
std::string key_of(const endpoint& server) { return server.origin() + server.target.substr(0, server.target.find('?')); }

}  // namespace

era_memory& known_eras::memory() {
  if (!memory_) {
    const auto text = file_.empty() ? std::nullopt : platform::read_file(file_);
    memory_ = era_memory::parse(text.value_or(""));
  }
  return *memory_;
}

remembered_era known_eras::recall(const endpoint& server) {
  if (file_.empty()) return remembered_era::unknown;
  return memory().recall(key_of(server), now_seconds());
}

void known_eras::remember(const endpoint& server, remembered_era era) {
  if (file_.empty() || !memory().remember(key_of(server), era, now_seconds())) return;
  std::string error = platform::make_private_dir(file_.parent_path());
  if (error.empty()) error = platform::write_private_file(file_, memory().serialize());
  if (!error.empty()) spdlog::debug("the server's era could not be remembered: {}", error);
}

}  // namespace awork_mcp
