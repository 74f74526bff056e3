#include "awork_mcp/install/entry_plan.hpp"

#include <algorithm>

#include <array>
#include <optional>
#include <vector>
#include <ostream>

namespace awork_mcp::install {

namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 6> path_options{"--api-key-file", "--ca-file", "--config", "--log-file",
                                                       "--client-secret-file", "--header-file"};
constexpr std::array<std::string_view, 2> secret_options{"--api-key", "--client-secret"};

/// Whether `arg` is `option` itself or `option=...`.
bool names_option(std::string_view arg, std::string_view option) {
  return arg == option || (arg.size() > option.size() && arg.starts_with(option) && arg[option.size()] == '=');
}

/// A --header whose value is written as it stands (no ${VARIABLE} from the environment): the
/// bridge's log masks every such value, since it may be a credential; so does install.
bool header_value_in_clear(std::string_view header) {
  const auto colon = header.find(':');
  const auto value = colon == std::string_view::npos ? std::string_view() : header.substr(colon + 1);
  return value.find_first_not_of(" \t") != std::string_view::npos && value.find("${") == std::string_view::npos;
}

/// Whether a proxy URL ([scheme://][user[:password]@]host[:port]) carries a password.
bool proxy_has_password(std::string_view url) {
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  const auto authority = url.substr(0, url.find('/'));
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return false;
  const auto colon = authority.substr(0, at).find(':');
  return colon != std::string_view::npos && colon + 1 < at;
}

/// Why a bridge option would put a secret in clear into the editor's file (empty: it would not).
std::string secret_in_clear(const std::vector<std::string>& args, std::string_view editor) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") break;
    const auto value_of = [&](std::string_view option) -> std::optional<std::string_view> {
      if (arg == option) return i + 1 < args.size() ? std::string_view(args[i + 1]) : std::string_view();
      if (names_option(arg, option)) return arg.substr(option.size() + 1);
      return std::nullopt;
    };
    for (auto option : secret_options)
      if (value_of(option))
        return std::string(option) + " among the bridge options would write a secret in clear into " + std::string(editor) +
               "'s configuration: give the key with --api-key-file PATH, or in AWORK_API_KEY when you run `awork-mcp "
               "install`" +
               (option == "--client-secret" ? " (a client secret: --client-secret-file)" : "");
    if (const auto header = value_of("--header"); header && header_value_in_clear(*header))
      return "--header would write its value in clear into " + std::string(editor) +
             "'s configuration, and a header value may be a credential: put the header in a file readable only by "
             "you (one 'Name: value' per line) and give --header-file PATH, or write the value as ${VARIABLE} from the "
             "environment";
    if (const auto proxy = value_of("--proxy"); proxy && proxy_has_password(*proxy))
      return "--proxy would write the proxy's password in clear into " + std::string(editor) +
             "'s configuration: give --proxy without the password, or leave it out and set HTTPS_PROXY in the "
             "environment the editor runs in (the bridge reads it there)";
  }
  return {};
}

}  // namespace

std::string option_value(const std::vector<std::string>& args, std::string_view option) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == option) return i + 1 < args.size() ? args[i + 1] : std::string();
    if (names_option(arg, option)) return std::string(arg.substr(option.size() + 1));
    if (arg == "--") break;
  }
  return {};
}

std::vector<std::string> with_absolute_paths(std::vector<std::string> args,
                                             const std::function<std::string(const std::string&)>& absolute) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    for (auto option : path_options) {
      if (args[i] == option) {
        if (i + 1 < args.size() && !args[i + 1].empty()) args[i + 1] = absolute(args[i + 1]);
        ++i;
        break;
      }
      if (names_option(args[i], option)) {  // --option=value
        const std::string value = args[i].substr(option.size() + 1);
        if (!value.empty()) args[i] = std::string(option) + "=" + absolute(value);
        break;
      }
    }
  }
  return args;
}

bool valid_entry_name(std::string_view name) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (name.empty() || name.size() > 100 || !letter(name.front())) return false;
  for (char c : name)
    if (!letter(c) && !digit(c) && c != '-' && c != '_') return false;
  return true;
}

std::ostream& operator<<(std::ostream& out, credential_way way) {
  switch (way) {
    case credential_way::key_file: return out << "key_file";
    case credential_way::sign_in: return out << "sign_in";
    case credential_way::prompt: return out << "prompt";
    case credential_way::private_key_file: return out << "private_key_file";
    case credential_way::none: return out << "none";
  }
  return out << "?";
}

entry_plan plan_entry(const client_layout& layout, const entry_request& request) {
  entry_plan plan;
  plan.entry.name = request.name;
  if (!valid_entry_name(request.name)) {
    plan.refusal = "the entry name \"" + request.name +
                   "\" is not one every editor accepts: a letter, then letters, digits, '-' or '_' (--name)";
    return plan;
  }
  if (auto refusal = secret_in_clear(request.bridge_args, layout.display_name); !refusal.empty()) {
    plan.refusal = std::move(refusal);
    return plan;
  }

  const auto& credential = request.credential;
  std::vector<std::string> args;
  bool ask_in_editor = false;
  if (const auto given = option_value(request.bridge_args, "--api-key-file"); !given.empty()) {
    plan.way = credential_way::key_file;
    plan.explanation = "the bridge reads the key from " + given + " (--api-key-file among the bridge options)";
  } else if (!credential.api_key_file.empty()) {
    plan.way = credential_way::key_file;
    args = {"--api-key-file", credential.api_key_file};
    plan.explanation = "the bridge reads the key from " + credential.api_key_file +
                       " (--api-key-file): the configuration names the file, not the key";
  } else if (credential.signed_in) {
    plan.way = credential_way::sign_in;
    plan.explanation = "no key: the bridge uses your stored sign-in and renews it by itself (`awork-mcp status` shows it)";
    if (credential.key_in_hand)
      plan.explanation += "; AWORK_API_KEY is not used (give --api-key-file to install with a key instead)";
  } else if (credential.key_in_hand && layout.prompts_for_secrets) {
    plan.way = credential_way::prompt;
    ask_in_editor = true;
    plan.explanation = std::string(layout.display_name) +
                       " asks for the key the first time it starts the bridge and keeps it itself (input \"" +
                       std::string(key_input_id) + "\"): the key from AWORK_API_KEY is written nowhere";
  } else if (credential.key_in_hand) {
    if (credential.private_key_file.empty()) {
      plan.refusal = "there is no directory of awork-mcp's own to keep the key from AWORK_API_KEY in (set HOME or "
                     "AWORK_MCP_CONFIG_DIR), and it is not written in clear into " +
                     std::string(layout.display_name) + "'s configuration";
      return plan;
    }
    plan.way = credential_way::private_key_file;
    args = {"--api-key-file", credential.private_key_file};
    plan.explanation = "the key from AWORK_API_KEY is kept in " + credential.private_key_file +
                       " (readable only by you), which the entry names with --api-key-file";
  } else {
    plan.way = credential_way::none;
    plan.explanation = "no key and no stored sign-in: the bridge opens your browser to sign in the first time "
                       "it is used (or sign in now with `awork-mcp login`)";
  }
  if (!request.url.empty() && option_value(request.bridge_args, "--url").empty()) {
    args.push_back("--url");
    args.push_back(request.url);
  }
  args.insert(args.end(), request.bridge_args.begin(), request.bridge_args.end());

  json::object value;
  if (layout.typed_entries) value["type"] = "stdio";
  if (!request.npm_package.empty()) {
    value["command"] = "npx";
    args.insert(args.begin(), {"-y", request.npm_package});
  } else {
    value["command"] = request.executable;
  }
  if (!args.empty()) value["args"] = json::array(args.begin(), args.end());
  if (ask_in_editor) {
    value["env"] = json::object{{"AWORK_API_KEY", "${input:" + std::string(key_input_id) + "}"}};
    plan.entry.input = json::object{{"type", "promptString"},
                                    {"id", key_input_id},
                                    {"description", "awork API key"},
                                    {"password", true}};
  }
  plan.entry.value = std::move(value);
  return plan;
}

std::string npm_package_of_launcher(std::string_view launched_by) {
  constexpr std::string_view prefix = "npm:";
  if (!launched_by.starts_with(prefix)) return {};
  const auto name = launched_by.substr(prefix.size());
  // npm's rules for a package name (lower case, URL-safe, at most one scope), nothing an editor's
  // shell could read as more than one word.
  const bool plain = !name.empty() && name.size() <= 214 && name.front() != '.' && name.front() != '_' &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                              c == '@' || c == '/';
                     }) &&
                     std::count(name.begin(), name.end(), '/') == (name.front() == '@' ? 1 : 0) &&
                     std::count(name.begin(), name.end(), '@') == (name.front() == '@' ? 1 : 0);
  return plain ? std::string(name) : std::string();
}

std::string unversioned_executable(std::string_view executable) {
  constexpr std::string_view cellar = "/Cellar/";
  const auto at = executable.rfind(cellar);
  if (at == std::string_view::npos || at == 0) return {};
  // <formula>/<version>/bin/<program>: exactly four parts, none of them empty.
  std::vector<std::string_view> parts;
  for (std::string_view rest = executable.substr(at + cellar.size()); !rest.empty();) {
    const auto slash = rest.find('/');
    parts.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
    if (rest.empty()) parts.emplace_back();
  }
  if (parts.size() != 4 || parts[2] != "bin") return {};
  for (auto part : parts)
    if (part.empty()) return {};
  return std::string(executable.substr(0, at)) + "/bin/" + std::string(parts[3]);
}

}  // namespace awork_mcp::install
