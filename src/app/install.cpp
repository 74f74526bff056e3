#include "awork_mcp/app/install.hpp"

#include "awork_mcp/auth/token_store.hpp"
#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/text.hpp"
#include "awork_mcp/install/clients.hpp"
#include "awork_mcp/install/config_edit.hpp"
#include "awork_mcp/install/entry_plan.hpp"
#include "awork_mcp/install/pretty_json.hpp"
#include "awork_mcp/oauth/discovery.hpp"
#include "awork_mcp/platform/files.hpp"
#include "awork_mcp/platform/platform.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <vector>

namespace awork_mcp {

namespace {

namespace fs = std::filesystem;
using install::client_layout;
using install::edit_result;
using install::verdict;

install::client_environment environment_now() {
  auto get = [](const char* name) { return platform::environment_variable(name).value_or(""); };
  return {get("HOME"), get("USERPROFILE"), get("APPDATA"), get("XDG_CONFIG_HOME"), get("CLAUDE_CONFIG_DIR"),
          get("VSCODE_APPDATA")};
}

/// The client's file and its layout, or an error already printed.
struct target {
  const client_layout* layout = nullptr;
  fs::path path;      ///< where to read and write: a symbolic link is followed, never replaced
  std::string shown;  ///< the path as the user knows it
};

std::optional<target> find_target(const install_request& request) {
  const auto who = install::client_named(request.client);
  if (!who) {
    std::cerr << "awork-mcp: unknown client " << request.client << "\n";
    return std::nullopt;
  }
  target t;
  t.layout = &install::layout_of(*who);
  const auto where = install::config_path(*who, install::host_os(), environment_now());
  if (where.path.empty()) {
    std::cerr << "awork-mcp: " << where.problem << "\n";
    return std::nullopt;
  }
  t.shown = where.path;
  t.path = platform::path_from_utf8(where.path);
  // A configuration kept in a dotfiles repository is often a symbolic link: write its target.
  std::error_code ec;
  if (fs::is_symlink(t.path, ec))
    if (auto resolved = fs::canonical(t.path, ec); !ec) t.path = resolved;
  return t;
}

/// The file's text; nullopt when there is none; an error (printed) when it cannot be read.
bool read_config(const target& t, std::optional<std::string>& text) {
  std::error_code ec;
  if (!fs::exists(t.path, ec)) return true;
  text = platform::read_file(t.path);
  if (!text) std::cerr << "awork-mcp: cannot read " << t.shown << "\n";
  return text.has_value();
}

/// A name for the backup beside the file that is free: <file>.<time>.bak, then -2, -3, ...
fs::path backup_path(const fs::path& file) {
  const std::string stamp = fmt::format("{:%Y%m%d-%H%M%S}", fmt::localtime(std::time(nullptr)));
  for (int n = 1;; ++n) {
    auto candidate = file;
    candidate += "." + stamp + (n == 1 ? std::string() : "-" + std::to_string(n)) + ".bak";
    std::error_code ec;
    if (!fs::exists(candidate, ec)) return candidate;
  }
}

/// Writes the edited file: its directory if missing (with the usual permissions), a private copy
/// of the old file first, then the new one atomically. The backup's path, or an error printed.
bool write_config(const target& t, const std::optional<std::string>& old_text, const std::string& new_text,
                  std::string& backup) {
  std::error_code ec;
  const auto dir = t.path.parent_path();
  if (!dir.empty() && !fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) {
      std::cerr << "awork-mcp: cannot create " << platform::utf8_of(dir) << ": " << ec.message() << "\n";
      return false;
    }
  }
  if (old_text) {
    const auto copy = backup_path(t.path);
    if (auto error = platform::write_file_atomically(copy, *old_text); !error.empty()) {
      std::cerr << "awork-mcp: cannot back up " << t.shown << ", so it was left as it is: " << error << "\n";
      return false;
    }
    backup = platform::utf8_of(copy);
  }
  if (auto error = platform::write_file_atomically(t.path, new_text); !error.empty()) {
    std::cerr << "awork-mcp: " << error << (backup.empty() ? "" : " (the backup " + backup + " is untouched)") << "\n";
    return false;
  }
  return true;
}

/// Whether a sign-in is stored for the server at `url`.
bool signed_in_to(const std::string& url) {
  const auto dir = platform::config_dir();
  if (dir.empty()) return false;
  try {
    return token_store(dir / "oauth").load(canonical_resource(parse_endpoint(url))).has_value();
  } catch (const std::exception&) {
    return false;  // a URL that does not parse: the bridge will say so when it starts
  }
}

std::string others_text(const edit_result& r) {
  if (r.others.empty()) return "no other servers";
  std::string names;
  for (const auto& name : r.others) names += (names.empty() ? "" : ", ") + name;
  return std::to_string(r.others.size()) + (r.others.size() == 1 ? " other server kept: " : " other servers kept: ") +
         names;
}

}  // namespace

int run_install(const bridge_config& config, const install_request& request) {
  const auto t = find_target(request);
  if (!t) return 1;
  const auto& layout = *t->layout;
  const bool dry = request.dry_run;

  // What the entry will be.
  install::entry_request wanted;
  wanted.name = request.name;
  wanted.executable = platform::utf8_of(platform::executable_path());
  if (wanted.executable.empty()) {
    std::cerr << "awork-mcp: cannot tell where this program is, to name it in the entry\n";
    return 1;
  }
  if (const auto stable = install::unversioned_executable(wanted.executable); !stable.empty()) {
    // Homebrew runs us from a versioned Cellar directory that the next upgrade deletes; its
    // unversioned link stays, if it is there and leads to this very program.
    std::error_code ec;
    if (fs::equivalent(platform::path_from_utf8(stable), platform::path_from_utf8(wanted.executable), ec))
      wanted.executable = stable;
  }
  // Started by the npm launcher (`npx -y awork-mcp-bridge install …`): npx's cache is no place to
  // name in an editor's configuration; the entry runs the package through npx as the user did.
  if (const char* launched_by = std::getenv("AWORK_MCP_LAUNCHED_BY"))
    wanted.npm_package = install::npm_package_of_launcher(launched_by);
  auto absolute = [](const std::string& p) {
    std::error_code ec;
    const auto full = fs::absolute(platform::path_from_utf8(p), ec);
    return ec ? p : platform::utf8_of(full.lexically_normal());
  };
  wanted.bridge_args = install::with_absolute_paths(request.bridge_args, absolute);
  if (!wanted.bridge_args.empty()) {
    // The editor will start the bridge with them: they must be options it runs with (CLI11 has
    // said what is wrong with them by now, on stderr). Read with this environment: a ${VAR} in a
    // --header must be set here too, and is expected in the editor's.
    std::vector<const char*> argv{"awork-mcp"};
    for (const auto& arg : wanted.bridge_args) argv.push_back(arg.c_str());
    const auto check = parse_command_line(static_cast<int>(argv.size()), argv.data(),
                                          [](const char* name) { return std::getenv(name); });
    if (check.what != command_line_result::action::run) {
      std::cerr << "awork-mcp: nothing was installed: the options after -- are not ones the bridge runs with "
                   "(see awork-mcp --help)\n";
      return 1;
    }
  }
  if (config.url != awork_default_url) wanted.url = config.url;
  std::string server_url = install::option_value(wanted.bridge_args, "--url");
  if (server_url.empty()) server_url = config.url;
  auto& credential = wanted.credential;
  if (!request.api_key_file.empty()) credential.api_key_file = absolute(request.api_key_file);
  credential.key_in_hand = config.api_key.has_value() && request.api_key_file.empty();
  credential.signed_in = signed_in_to(server_url);
  if (const auto dir = platform::config_dir(); !dir.empty()) credential.private_key_file = platform::utf8_of(dir / "api-key");
  const auto plan = install::plan_entry(layout, wanted);
  if (!plan.refusal.empty()) {
    std::cerr << "awork-mcp: nothing was installed: " << plan.refusal << "\n";
    return 1;
  }

  std::cout << layout.display_name << ": " << t->shown << (dry ? " (dry run: nothing is written)" : "") << "\n";

  // The key from the environment goes to our private file first, so that the entry never names a
  // file that is not there yet (also when the editor's file is refused: the entry to paste names it).
  if (plan.way == install::credential_way::private_key_file) {
    const auto key_path = platform::path_from_utf8(credential.private_key_file);
    const auto current = platform::read_file(key_path);
    if (current && trimmed(*current) == *config.api_key) {
      std::cout << "  key file: " << credential.private_key_file << " already holds this key\n";
    } else if (dry) {
      std::cout << "  key file: would " << (current ? "replace the key in " : "write the key to ")
                << credential.private_key_file << " (readable only by you)\n";
    } else {
      if (auto error = platform::write_private_file(key_path, *config.api_key + "\n"); !error.empty()) {
        std::cerr << "awork-mcp: cannot keep the key in a private file, so nothing was installed: " << error << "\n";
        return 1;
      }
      std::cout << "  key file: " << (current ? "replaced the key in " : "wrote the key to ") << credential.private_key_file
                << " (readable only by you)\n";
    }
  }

  std::optional<std::string> text;
  if (!read_config(*t, text)) return 1;
  const auto result = install::add_entry(text, layout, plan.entry);
  if (result.outcome == verdict::refused) {
    std::cerr << "awork-mcp: cannot install into " << t->shown << ": " << result.reason
              << "; the file was left as it is.\n";
    std::cout << "Merge this into it by hand (the \"" << request.name << "\" entry goes inside \""
              << layout.servers_key << "\"" << (plan.entry.input ? ", the input inside \"inputs\"" : "") << "):\n"
              << install::entry_to_paste(layout, plan.entry) << "\n";
    return 1;
  }

  std::cout << "  credential: " << plan.explanation << "\n";
  if (result.outcome == verdict::unchanged) {
    std::cout << "  \"" << request.name << "\" is already there as it would be written: the file was left as it is\n";
    return 0;
  }

  if (result.new_file)
    std::cout << "  " << (dry ? "would create" : "created") << " the file with \"" << request.name << "\" in \""
              << layout.servers_key << "\"\n";
  else if (result.what == install::change::added)
    std::cout << "  " << (dry ? "would add" : "added") << " \"" << request.name << "\" to \"" << layout.servers_key
              << "\" (" << others_text(result) << ", and every other key)\n";
  else if (result.what == install::change::replaced)
    std::cout << "  " << (dry ? "would replace" : "replaced") << " \"" << request.name << "\" in its place ("
              << others_text(result) << ", and every other key)\n"
              << "    before: " << result.previous << "\n"
              << "    after:  " << install::describe_entry(result.entry) << "\n";
  if (result.input_added)
    std::cout << "  " << (dry ? "would add" : "added") << " the input \"" << install::key_input_id << "\" to \"inputs\"\n";

  std::string backup;
  if (!dry && !write_config(*t, text, result.text, backup)) return 1;
  if (!backup.empty()) std::cout << "  backup: " << backup << "\n";
  std::cout << "  the entry:\n" << install::entry_to_show(request.name, result.entry, 4) << "\n";
  if (result.key_in_clear_dropped)
    std::cout << (dry ? "  note: the old entry holds the API key in clear: it would be gone from the file, but a "
                        "backup would keep it\n"
                      : "  note: the old entry held the API key in clear: it is gone from the file, but the backup "
                        "keeps it (readable only by you): delete the backup once you do not need it\n");
  for (const auto& other : result.same_command)
    std::cout << "  note: \"" << other << "\" starts this program too; if it is an older copy of this entry: awork-mcp "
              << "uninstall " << layout.name << " --name " << other << "\n";
  if (!dry) std::cout << "Restart " << layout.display_name << " (or reload its MCP servers) to use it.\n";
  return 0;
}

int run_uninstall(const bridge_config&, const install_request& request) {
  const auto t = find_target(request);
  if (!t) return 1;
  const auto& layout = *t->layout;
  const bool dry = request.dry_run;
  std::optional<std::string> text;
  if (!read_config(*t, text)) return 1;
  std::cout << layout.display_name << ": " << t->shown << (dry ? " (dry run: nothing is written)" : "") << "\n";
  if (!text) {
    std::cout << "  the file does not exist: nothing to remove\n";
    return 0;
  }
  const auto result = install::remove_entry(text, layout, request.name);
  if (result.outcome == verdict::refused) {
    std::cerr << "awork-mcp: cannot edit " << t->shown << ": " << result.reason << "; the file was left as it is. "
              << "Remove the \"" << request.name << "\" entry from \"" << layout.servers_key << "\" by hand.\n";
    return 1;
  }
  if (result.outcome == verdict::unchanged) {
    std::cout << "  no \"" << request.name << "\" in \"" << layout.servers_key << "\": nothing to remove\n";
    return 0;
  }
  std::cout << "  " << (dry ? "would remove" : "removed") << " \"" << request.name << "\" (" << others_text(result)
            << ", and every other key)\n"
            << "    before: " << result.previous << "\n";
  if (result.input_removed)
    std::cout << "  " << (dry ? "would remove" : "removed") << " the input \"" << install::key_input_id
              << "\" (no server uses it any more)\n";
  std::string backup;
  if (!dry && !write_config(*t, text, result.text, backup)) return 1;
  if (!backup.empty()) std::cout << "  backup: " << backup << "\n";
  if (const auto dir = platform::config_dir(); !dir.empty()) {
    const auto key_file = platform::utf8_of(dir / "api-key");
    if (boost::json::serialize(result.entry).find(boost::json::serialize(boost::json::value(key_file))) !=
        std::string::npos)
      std::cout << "  note: the key file " << key_file << " is kept (another editor may use it); delete it if none does\n";
  }
  if (result.key_in_clear_dropped && !backup.empty())
    std::cout << "  note: the removed entry held the API key in clear; the backup keeps it (readable only by you): "
                 "delete it once you do not need it\n";
  if (!dry) std::cout << "Restart " << layout.display_name << " (or reload its MCP servers) for it to take effect.\n";
  return 0;
}

}  // namespace awork_mcp
