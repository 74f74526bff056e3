#include "awork_mcp/core/header_rules.hpp"

#include <algorithm>

namespace awork_mcp {

bool is_safe_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool is_protocol_version(std::string_view value) {
  if (value.size() != 10 || value[4] != '-' || value[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (value[i] < '0' || value[i] > '9') return false;
  return true;
}

bool is_session_id(std::string_view value) {
  return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x21 && c <= 0x7E; });
}

}  // namespace awork_mcp
