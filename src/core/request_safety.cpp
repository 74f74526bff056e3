#include "awork_mcp/core/request_safety.hpp"

#include <array>
#include <algorithm>

namespace awork_mcp {

bool safe_to_repeat(std::string_view method) {
  static constexpr std::array<std::string_view, 9> read_only = {
      "initialize",     "ping",       "tools/list",  "resources/list",      "resources/templates/list",
      "resources/read", "prompts/list", "prompts/get", "completion/complete",
  };
  return std::find(read_only.begin(), read_only.end(), method) != read_only.end();
}

}  // namespace awork_mcp
