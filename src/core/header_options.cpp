#include "awork_mcp/core/header_options.hpp"

#include "awork_mcp/core/text.hpp"

#include <algorithm>
#include <cctype>

namespace awork_mcp {

namespace {
bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
}  // namespace

expansion expand_env(std::string_view value, const env_lookup& env) {
  expansion out;
  for (std::size_t i = 0; i < value.size();) {
    if (value.compare(i, 3, "$${") == 0) {
      out.text += "${";
      i += 3;
      continue;
    }
    if (value.compare(i, 2, "${") != 0) {
      out.text += value[i++];
      continue;
    }
    const auto close = value.find('}', i + 2);
    const auto name = close == std::string_view::npos ? std::string_view() : value.substr(i + 2, close - i - 2);
    const bool well_formed = !name.empty() && name_start(name.front()) &&
                             std::all_of(name.begin(), name.end(), [](char c) { return name_char(c); });
    if (!well_formed) {
      out.problem = "a header value has a malformed ${...} reference (write $${ for a literal ${)";
      return out;
    }
    const std::string variable(name);
    const char* found = env(variable.c_str());
    if (!found) {
      out.problem = "a header value refers to ${" + variable + "}, which is not set in the environment";
      return out;
    }
    out.text += found;
    i = close + 1;
  }
  return out;
}

std::vector<std::string> header_file_lines(std::string_view file_text) {
  std::vector<std::string> lines;
  if (file_text.starts_with("\xEF\xBB\xBF")) file_text.remove_prefix(3);  // Notepad's byte order mark
  std::size_t start = 0;
  while (start <= file_text.size()) {
    auto end = file_text.find('\n', start);
    if (end == std::string_view::npos) end = file_text.size();
    auto line = file_text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    line = trim(line);
    if (!line.empty() && line.front() != '#') lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

}  // namespace awork_mcp
