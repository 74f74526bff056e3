#pragma once
// The era memory (era/era_memory.hpp) in its file, config dir/eras.json: read on first use,
// written only when it changed. Several bridges may write it at once; each write replaces the
// whole file atomically, so the worst case is a note lost, never a damaged file.

#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/era/era_memory.hpp"

#include <filesystem>
#include <optional>

namespace awork_mcp {

class known_eras {
 public:
  /// `file` empty: nothing is remembered (no config directory).
  explicit known_eras(std::filesystem::path file) : file_(std::move(file)) {}

  remembered_era recall(const endpoint& server);
  void remember(const endpoint& server, remembered_era era);

 private:
  era_memory& memory();

  std::filesystem::path file_;
  std::optional<era_memory> memory_;
};

}  // namespace awork_mcp
