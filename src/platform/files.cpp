// The part of platform/files.hpp that is the same everywhere.

#include "awork_mcp/platform/files.hpp"

#include <array>
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

std::optional<std::chrono::milliseconds> replace_retry_wait(unsigned long error, int attempt) {
  // Windows' codes (winerror.h), named here so that the rule is tested on every system.
  constexpr unsigned long access_denied = 5, sharing_violation = 32, lock_violation = 33,
                          unable_to_remove_replaced = 1175, unable_to_move_replacement = 1176;
  constexpr std::array<int, 7> waits_ms{10, 20, 50, 100, 200, 400, 700};
  const bool another_holds_it = error == sharing_violation || error == lock_violation || error == access_denied ||
                                error == unable_to_remove_replaced || error == unable_to_move_replacement;
  if (!another_holds_it || attempt < 0 || attempt >= static_cast<int>(waits_ms.size())) return std::nullopt;
  return std::chrono::milliseconds(waits_ms[static_cast<std::size_t>(attempt)]);
}

std::filesystem::path path_from_utf8(std::string_view text) {
  return std::filesystem::path(std::u8string(text.begin(), text.end()));
}

std::string utf8_of(const std::filesystem::path& path) {
  const auto text = path.u8string();
  return std::string(text.begin(), text.end());
}

}  // namespace awork_mcp::platform
