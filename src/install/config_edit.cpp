#include "awork_mcp/install/config_edit.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/json_splice.hpp"
#include "awork_mcp/install/pretty_json.hpp"

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <ostream>

namespace awork_mcp::install {

namespace {

namespace json = boost::json;

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// A configuration file read for rewriting, and how to write it back the way it was written. The
/// parsed `root` decides what to do; the edits are made to the text (`body`), so that every value
/// outside them keeps its spelling (numbers such as 1.0, escapes), and the result is re-indented.
struct document {
  std::string body;  ///< the object's text without a byte order mark ("{}" for an empty file)
  json::object root;
  bool empty = false;     ///< no file, or only whitespace in it
  bool bom = false;       ///< it started with a UTF-8 byte order mark (Windows editors write one)
  bool crlf = false;      ///< its lines ended with CR LF
  std::string problem;    ///< why it cannot be rewritten; empty if it can
};

std::string kind_of(const json::value& v) {
  switch (v.kind()) {
    case json::kind::object: return "an object";
    case json::kind::array: return "an array";
    case json::kind::string: return "a string";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::bool_: return v.get_bool() ? "true" : "false";
    case json::kind::null: return "null";
  }
  return "something else";
}

/// Parses all of `body` with `options`; on failure, `consumed` is where the parser stopped.
json::value parse_all(std::string_view body, const json::parse_options& options, boost::system::error_code& ec,
                      std::size_t& consumed) {
  json::parser parser(json::storage_ptr(), options);
  consumed = parser.write(body.data(), body.size(), ec);
  if (ec) return nullptr;
  return parser.release();
}

std::string line_and_column(std::string_view body, std::size_t offset) {
  offset = std::min(offset, body.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (body[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

document read_document(const std::optional<std::string>& text) {
  document doc;
  doc.body = "{}";
  if (!text) {
    doc.empty = true;
    return doc;
  }
  std::string_view body = *text;
  if (body.starts_with(utf8_bom)) {
    doc.bom = true;
    body.remove_prefix(utf8_bom.size());
  }
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    doc.empty = true;
    return doc;
  }
  doc.crlf = body.find("\r\n") != std::string_view::npos;
  json::parse_options strict;
  strict.max_depth = 256;  // the default, 32, is less than a deep configuration may need
  boost::system::error_code ec;
  std::size_t consumed = 0;
  auto value = parse_all(body, strict, ec, consumed);
  if (ec) {
    // Only to tell the two apart: JSONC (comments, trailing commas) is valid where the editor
    // reads it, but a rewrite through Boost.JSON would drop its comments.
    json::parse_options lenient = strict;
    lenient.allow_comments = true;
    lenient.allow_trailing_commas = true;
    boost::system::error_code lenient_ec;
    std::size_t ignored = 0;
    parse_all(body, lenient, lenient_ec, ignored);
    doc.problem = lenient_ec ? "it is not valid JSON (" + line_and_column(body, consumed) + ": " + ec.message() + ")"
                             : "it holds comments or trailing commas (JSONC), which rewriting it would lose";
    return doc;
  }
  if (!value.is_object()) {
    doc.problem = "its top level is " + kind_of(value) + ", not an object";
    return doc;
  }
  doc.root = std::move(value.get_object());
  doc.body = std::string(body);
  return doc;
}

std::string render(const document& doc, std::string_view body) {
  std::string text = reindent_json(body) + "\n";
  if (doc.crlf) {
    // Raw line breaks occur only between tokens (inside strings they are escaped).
    std::string with_cr;
    with_cr.reserve(text.size() + text.size() / 16);
    for (char c : text) {
      if (c == '\n') with_cr += '\r';
      with_cr += c;
    }
    text = std::move(with_cr);
  }
  return doc.bom ? std::string(utf8_bom) + text : text;
}

// Text edits of valid JSON (json_splice does the ones in place). Each yields nullopt only if the
// text is not what the parser said it was, which does not happen: the caller refuses then.

/// `object_text` with `"key": value_json` added as its last member.
std::optional<std::string> append_member(std::string_view object_text, std::string_view key,
                                         std::string_view value_json) {
  const auto members = object_members(object_text);
  const auto close = object_text.find_last_of('}');
  if (!members || close == std::string_view::npos) return std::nullopt;
  return std::string(object_text.substr(0, close)) + (members->empty() ? "" : ",") + json_quote(key) + ":" +
         std::string(value_json) + std::string(object_text.substr(close));
}

/// `array_text` with `element_json` added as its last element.
std::optional<std::string> append_element(std::string_view array_text, std::string_view element_json) {
  const auto close = array_text.find_last_of(']');
  if (close == std::string_view::npos) return std::nullopt;
  const bool empty = array_elements(array_text).empty();
  return std::string(array_text.substr(0, close)) + (empty ? "" : ",") + std::string(element_json) +
         std::string(array_text.substr(close));
}

/// `object_text` with member `key` set to what `edit` makes of its value text.
template <class Edit>
std::optional<std::string> edit_member(std::string_view object_text, std::string_view key, Edit edit) {
  const auto value = member_text(object_text, key);
  if (!value) return std::nullopt;
  const std::optional<std::string> edited = edit(*value);
  if (!edited) return std::nullopt;
  return set_member(object_text, key, *edited);
}

edit_result refused(std::string reason) {
  edit_result r;
  r.outcome = verdict::refused;
  r.reason = std::move(reason);
  return r;
}

/// The servers object, or nullptr when the file has none yet; `problem` says why it is unusable.
json::object* servers_of(json::object& root, const client_layout& layout, std::string& problem) {
  auto* servers = root.if_contains(layout.servers_key);
  if (!servers) return nullptr;
  if (!servers->is_object()) {
    problem = "its \"" + std::string(layout.servers_key) + "\" is " + kind_of(*servers) + ", not an object of servers";
    return nullptr;
  }
  return &servers->get_object();
}

/// VS Code's inputs array, or nullptr when there is none; `problem` says why it is unusable.
json::array* inputs_of(json::object& root, std::string& problem) {
  auto* inputs = root.if_contains("inputs");
  if (!inputs) return nullptr;
  if (!inputs->is_array()) {
    problem = "its \"inputs\" is " + kind_of(*inputs) + ", not an array";
    return nullptr;
  }
  return &inputs->get_array();
}

bool has_id(const json::value& input, std::string_view id) {
  const auto* object = input.if_object();
  if (!object) return false;
  const auto* value = object->if_contains("id");
  return value && value->is_string() && value->get_string() == id;
}

const json::value* command_of(const json::value& entry) {
  const auto* object = entry.if_object();
  return object ? object->if_contains("command") : nullptr;
}

void note_others(edit_result& r, const json::object* servers, const server_entry* ours, std::string_view name) {
  if (!servers) return;
  const auto* our_command = ours ? ours->value.if_contains("command") : nullptr;
  for (const auto& server : *servers) {
    if (server.key() == name) continue;
    r.others.emplace_back(server.key());
    const auto* command = command_of(server.value());
    if (our_command && command && *command == *our_command) r.same_command.emplace_back(server.key());
  }
}

/// Whether an entry holds the API key itself in its environment (a hand-written entry, as the
/// README showed before `install` existed), not a reference such as ${input:...}.
bool holds_key_in_clear(const json::value& entry) {
  const auto* object = entry.if_object();
  const auto* env = object ? object->if_contains("env") : nullptr;
  const auto* key = env && env->is_object() ? env->get_object().if_contains("AWORK_API_KEY") : nullptr;
  return key && key->is_string() && !key->get_string().empty() && !key->get_string().starts_with("${");
}

/// Our entry laid over the one already there: "type", "command" and "args" become ours (the
/// bridge runs as this install says), the environment keeps the user's variables (a proxy, a CA
/// file) but loses any credential of ours in it, and every other key (an editor's "disabled",
/// "autoApprove", "timeout") stays, in its order.
json::object merged_entry(const json::value& existing, const json::object& ours) {
  if (!existing.is_object()) return ours;
  json::object merged = existing.get_object();
  for (const auto& member : ours)
    if (member.key() != "env") merged[member.key()] = member.value();
  if (!ours.contains("args")) merged.stable_erase("args");
  json::object env;
  if (const auto* theirs = merged.if_contains("env"); theirs && theirs->is_object())
    for (const auto& variable : theirs->get_object())
      if (variable.key() != "AWORK_API_KEY" && variable.key() != "AWORK_API_KEY_FILE") env[variable.key()] = variable.value();
  if (const auto* mine = ours.if_contains("env"); mine && mine->is_object())
    for (const auto& variable : mine->get_object()) env[variable.key()] = variable.value();
  if (env.empty())
    merged.stable_erase("env");
  else
    merged["env"] = std::move(env);
  return merged;
}

std::string shown(std::string_view arg) {
  if (!arg.empty() && arg.find_first_of(" \t\"'") == std::string_view::npos) return std::string(arg);
  return json::serialize(json::string_view(arg.data(), arg.size()));
}

}  // namespace

std::ostream& operator<<(std::ostream& out, verdict v) {
  switch (v) {
    case verdict::changed: return out << "changed";
    case verdict::unchanged: return out << "unchanged";
    case verdict::refused: return out << "refused";
  }
  return out << "?";
}

std::ostream& operator<<(std::ostream& out, change c) {
  switch (c) {
    case change::none: return out << "none";
    case change::added: return out << "added";
    case change::replaced: return out << "replaced";
    case change::removed: return out << "removed";
  }
  return out << "?";
}

edit_result add_entry(const std::optional<std::string>& text, const client_layout& layout, const server_entry& entry) {
  auto doc = read_document(text);
  if (!doc.problem.empty()) return refused(std::move(doc.problem));
  std::string problem;
  auto* servers = servers_of(doc.root, layout, problem);
  auto* inputs = layout.prompts_for_secrets ? inputs_of(doc.root, problem) : nullptr;
  if (!problem.empty()) return refused(std::move(problem));

  edit_result r;
  r.new_file = doc.empty;
  note_others(r, servers, &entry, entry.name);
  const json::value* existing = servers ? servers->if_contains(entry.name) : nullptr;
  r.entry = existing ? merged_entry(*existing, entry.value) : entry.value;
  const bool entry_there = existing && *existing == json::value(r.entry);
  bool input_needed = false;
  if (layout.prompts_for_secrets && entry.input) {
    const auto* id = entry.input->if_contains("id");
    const std::string_view wanted = id && id->is_string() ? std::string_view(id->get_string()) : std::string_view();
    input_needed = true;
    if (inputs)
      for (const auto& input : *inputs)
        if (has_id(input, wanted)) input_needed = false;  // theirs may differ; the same id asks the same
  }
  if (entry_there && !input_needed) return r;  // unchanged: nothing to write

  std::optional<std::string> body = doc.body;
  if (!entry_there) {
    r.what = existing ? change::replaced : change::added;
    if (existing) r.previous = describe_entry(*existing);
    r.key_in_clear_dropped = existing && holds_key_in_clear(*existing);
    const std::string value_text = json::serialize(r.entry);
    if (!servers)
      body = append_member(*body, layout.servers_key, "{" + json_quote(entry.name) + ":" + value_text + "}");
    else if (existing)  // in its place
      body = edit_member(*body, layout.servers_key,
                         [&](std::string_view list) { return set_member(list, entry.name, value_text); });
    else
      body = edit_member(*body, layout.servers_key,
                         [&](std::string_view list) { return append_member(list, entry.name, value_text); });
  }
  if (input_needed && body) {
    const std::string input_text = json::serialize(*entry.input);
    body = inputs ? edit_member(*body, "inputs", [&](std::string_view list) { return append_element(list, input_text); })
                  : append_member(*body, "inputs", "[" + input_text + "]");
    r.input_added = true;
  }
  if (!body) return refused("it could not be edited as text, although it parsed (a bug in awork-mcp: please report it)");
  r.outcome = verdict::changed;
  r.text = render(doc, *body);
  return r;
}

edit_result remove_entry(const std::optional<std::string>& text, const client_layout& layout, std::string_view name) {
  edit_result r;
  if (!text) return r;
  auto doc = read_document(text);
  if (!doc.problem.empty()) return refused(std::move(doc.problem));
  std::string problem;
  auto* servers = servers_of(doc.root, layout, problem);
  auto* inputs = layout.prompts_for_secrets ? inputs_of(doc.root, problem) : nullptr;
  if (!problem.empty()) return refused(std::move(problem));
  note_others(r, servers, nullptr, name);
  const auto ours = servers ? servers->find(name) : json::object::iterator();
  if (!servers || ours == servers->end()) return r;  // unchanged: not there

  r.previous = describe_entry(ours->value());
  r.key_in_clear_dropped = holds_key_in_clear(ours->value());
  if (ours->value().is_object()) r.entry = ours->value().get_object();
  r.what = change::removed;
  std::optional<std::string> body =
      edit_member(doc.body, layout.servers_key, [&](std::string_view list) { return remove_member(list, name); });
  servers->erase(ours);  // what is left decides whether the key's input stays
  if (inputs && body) {
    // The key's input goes with the last server that asks for it.
    const std::string reference = "${input:" + std::string(key_input_id) + "}";
    bool ours_there = false;
    for (const auto& input : *inputs) ours_there = ours_there || has_id(input, key_input_id);
    if (ours_there && json::serialize(*servers).find(reference) == std::string::npos) {
      body = edit_member(*body, "inputs", [&](std::string_view list) -> std::optional<std::string> {
        const auto elements = array_elements(list);
        if (elements.size() != inputs->size()) return std::nullopt;
        std::string kept = "[";
        for (std::size_t i = 0; i < elements.size(); ++i) {
          if (has_id((*inputs)[i], key_input_id)) continue;
          if (kept.size() > 1) kept += ',';
          kept += elements[i];
        }
        return kept + "]";
      });
      r.input_removed = true;
    }
  }
  if (!body) return refused("it could not be edited as text, although it parsed (a bug in awork-mcp: please report it)");
  r.outcome = verdict::changed;
  r.text = render(doc, *body);
  return r;
}

std::string entry_to_paste(const client_layout& layout, const server_entry& entry) {
  json::object servers;
  servers[entry.name] = entry.value;
  json::object root;
  root[layout.servers_key] = std::move(servers);
  if (layout.prompts_for_secrets && entry.input) root["inputs"] = json::array{*entry.input};
  return pretty_json(root);
}

std::string entry_to_show(std::string_view name, const json::object& entry, std::size_t indent) {
  json::object shown_entry = entry;
  if (auto* env = shown_entry.if_contains("env"); env && env->is_object())
    for (auto& variable : env->get_object())
      if (!variable.value().is_string() || !variable.value().get_string().starts_with("${")) variable.value() = "<hidden>";
  return pretty_member(name, shown_entry, indent);
}

std::string describe_entry(const json::value& entry) {
  const auto* object = entry.if_object();
  if (!object) return "(" + kind_of(entry) + ", not a server)";
  std::string out;
  if (const auto* command = object->if_contains("command"); command && command->is_string()) {
    out = shown(command->get_string());
  } else {
    for (const char* key : {"url", "serverUrl"})
      if (const auto* url = object->if_contains(key); url && url->is_string() && out.empty()) {
        std::string_view text = url->get_string();
        out = std::string(text.substr(0, text.find('?'))) + (text.find('?') == std::string_view::npos ? "" : "?…");
      }
    if (out.empty()) out = "(no command)";
  }
  if (const auto* args = object->if_contains("args"); args && args->is_array()) {
    static constexpr std::array<std::string_view, 3> secret_options{"--api-key", "--client-secret", "--header"};
    bool hide_next = false;
    for (const auto& arg : args->get_array()) {
      out += ' ';
      if (!arg.is_string()) {
        out += json::serialize(arg);
        hide_next = false;
        continue;
      }
      const std::string_view text = arg.get_string();
      if (hide_next) {
        out += "<hidden>";
        hide_next = false;
        continue;
      }
      bool hidden = false;
      for (auto option : secret_options) {
        if (text == option) hide_next = true;
        if (text.size() > option.size() && text.starts_with(option) && text[option.size()] == '=') {
          out += std::string(option) + "=<hidden>";
          hidden = true;
        }
      }
      if (!hidden) out += shown(text);
    }
  }
  if (const auto* env = object->if_contains("env"); env && env->is_object() && !env->get_object().empty()) {
    out += " (environment:";
    for (const auto& variable : env->get_object()) out += " " + std::string(variable.key());
    out += ")";
  }
  return out;
}

}  // namespace awork_mcp::install
