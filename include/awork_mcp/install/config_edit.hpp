#pragma once
// Adding our server to an editor's MCP configuration, and taking it out again, as text in and text
// out: no file is touched here (src/app/install.cpp reads, backs up and writes). Every other
// server and every other key stays, in its order; a file that cannot be rewritten without losing
// something (comments, which VS Code allows) or that is not a JSON object is refused, not changed.

#include "awork_mcp/install/clients.hpp"

#include <boost/json/object.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp::install {

/// The id of the VS Code input that asks for the awork API key.
inline constexpr std::string_view key_input_id = "awork-api-key";

/// One server entry to put in, by name, and for VS Code the input it needs (added by its "id"
/// unless an input with that id is there already).
struct server_entry {
  std::string name;
  boost::json::object value;
  std::optional<boost::json::object> input;
};

enum class verdict { changed, unchanged, refused };
enum class change { none, added, replaced, removed };
std::ostream& operator<<(std::ostream& out, verdict v);
std::ostream& operator<<(std::ostream& out, change c);

/// What an edit came to.
struct edit_result {
  verdict outcome = verdict::unchanged;
  std::string text;    ///< the whole new file (changed only), ending with a newline
  std::string reason;  ///< refused: why, a clause such as "its top level is an array, not an object"
  change what = change::none;
  bool new_file = false;        ///< there was no file, or an empty one
  bool input_added = false;     ///< VS Code: the key's input went in
  bool input_removed = false;   ///< VS Code: the key's input went out with the last server using it
  boost::json::object entry;    ///< our entry as the file has it (or would): ours laid over the one there
  std::string previous;         ///< the entry replaced or removed, described (secrets left out)
  bool key_in_clear_dropped = false;  ///< the entry replaced or removed held the API key in clear
  std::vector<std::string> others;        ///< the names of the other servers, all kept
  std::vector<std::string> same_command;  ///< other servers that start the same program
};

/// Puts `entry` into `text` (nullopt: there is no file). An entry of that name already there keeps
/// its place, its other keys and its environment variables other than AWORK_API_KEY(_FILE); its
/// "type", "command" and "args" become ours. Idempotent: when the entry and its input are there as
/// they would be written, the verdict is `unchanged` and there is nothing to write.
edit_result add_entry(const std::optional<std::string>& text, const client_layout& layout, const server_entry& entry);

/// Takes the server `name` out of `text`, and for VS Code the key's input when no server left
/// uses it. A missing file or entry is `unchanged`.
edit_result remove_entry(const std::optional<std::string>& text, const client_layout& layout, std::string_view name);

/// The smallest file that holds the entry, pretty-printed, for pasting by hand into a file that is
/// refused: {"mcpServers": {"awork": {...}}} (with VS Code's "inputs" when the entry has one).
std::string entry_to_paste(const client_layout& layout, const server_entry& entry);

/// The entry pretty-printed as `"name": {...}` for showing, with the values of its environment
/// variables other than ${...} references shown as "<hidden>" (a user's proxy may hold a password).
std::string entry_to_show(std::string_view name, const boost::json::object& entry, std::size_t indent = 0);

/// One line that says what an entry starts: its command and arguments, and the names (never the
/// values) of its environment variables. The value after --api-key, --client-secret or --header
/// is shown as <hidden>: a hand-written entry may hold a key in clear.
std::string describe_entry(const boost::json::value& entry);

}  // namespace awork_mcp::install
