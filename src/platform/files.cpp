// The part of platform/files.hpp that is the same everywhere.

#include "awork_mcp/platform/files.hpp"

#include <fstream>
#include <sstream>

namespace awork_mcp::platform {

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(content).str();
}

}  // namespace awork_mcp::platform
