#pragma once
// Small ASCII text helpers for header names, hosts and media types.

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace awork_mcp {

/// ASCII lower case (HTTP names and DNS hosts are case-insensitive ASCII).
inline std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// Without leading and trailing spaces and tabs.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Without leading and trailing white space, line ends included (a key or secret read from a file
/// or typed).
inline std::string trimmed(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return std::string(s);
}

/// Whether a setting was left unfilled by the program that started us: empty, or a Claude Desktop
/// bundle's `${user_config.NAME}` for an optional field the user left empty, which Claude Desktop
/// passes on as that very text (mcpb's getMcpConfigForManifest; modelcontextprotocol/mcpb#250).
inline bool unfilled_setting(std::string_view value) {
  const auto text = trimmed(value);
  constexpr std::string_view open = "${user_config.";
  // "${user_config.NAME}": the first '}' is the last character, and NAME is not empty.
  return text.empty() ||
         (text.starts_with(open) && text.size() > open.size() + 1 && text.find('}') == text.size() - 1);
}

/// The start of a long text, for log lines: at most 300 bytes and the total size.
inline std::string preview(std::string_view text) {
  constexpr std::size_t limit = 300;
  if (text.size() <= limit) return std::string(text);
  return std::string(text.substr(0, limit)) + "… (" + std::to_string(text.size()) + " bytes)";
}

/// What a server said, fit for a one-line message: control characters as spaces, at most `limit`
/// bytes (cut before a UTF-8 sequence, never inside one) and "…" when cut.
inline std::string printable(std::string_view text, std::size_t limit) {
  bool cut = false;
  if (text.size() > limit) {
    cut = true;
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
  }
  std::string out(text);
  std::replace_if(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }, ' ');
  return cut ? out + "…" : out;
}

}  // namespace awork_mcp
