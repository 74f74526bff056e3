#pragma once
// Which tools an editor may see and call (--allow-tool, --deny-tool, --read-only). A tools/list
// answer is cut down to the tools allowed (every other byte as the server sent it), and a call to
// any other tool is refused before it reaches the server.

#include "awork_mcp/core/jsonrpc.hpp"

#include <boost/json/value.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

/// Shell-style glob: `*` any run of characters, `?` any one character, everything else itself
/// (case-sensitive: tool names are). The standard library has none and fnmatch() is POSIX only.
bool glob_match(std::string_view pattern, std::string_view text);

struct tool_filter_config {
  std::vector<std::string> allow;  ///< globs; empty: every tool not denied
  std::vector<std::string> deny;   ///< globs; a denied tool stays denied whatever allows it
  bool read_only = false;          ///< only tools annotated readOnlyHint: true
};

class tool_filter {
 public:
  explicit tool_filter(tool_filter_config config = {}) : config_(std::move(config)) {}

  bool active() const { return !config_.allow.empty() || !config_.deny.empty() || config_.read_only; }
  /// A tools/list response line without the tools that may not be called. Learns each listed
  /// tool's readOnlyHint on the way (a later list replaces what an earlier one said). A filter
  /// that cannot read the list fails closed: an error answer for `id`, never the list unfiltered.
  std::string filter_list(std::string_view response_line, const boost::json::value& id);
  /// Why a call to `tool` is refused (a sentence naming the option), or empty if it may go.
  std::string refusal(std::string_view tool) const;
  /// Why a message from the editor may not go to the server, or empty: a tools/call of a refused
  /// tool, as a request or a notification (a server might still run it), or a batch holding one
  /// (refused whole: its other requests would go out with it).
  std::string refusal_for(std::string_view text, const classified_message& message) const;

 private:
  tool_filter_config config_;
  std::map<std::string, bool, std::less<>> read_only_hints_;  ///< by tool name, from the lists seen
};

}  // namespace awork_mcp
