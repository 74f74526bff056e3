#pragma once
// The server entry `awork-mcp install` writes, built from the credential situation: the key is
// never written in clear into an editor's configuration. A stored sign-in needs no key at all; a
// key file is named with --api-key-file; a key that exists only in the environment is asked for
// by VS Code itself (its "inputs"), and for the other editors kept in a private file of ours that
// the entry names. Pure: the caller finds out the facts and carries out the plan.

#include "awork_mcp/install/clients.hpp"
#include "awork_mcp/install/config_edit.hpp"

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace awork_mcp::install {

/// What is known about the credential when `install` runs.
struct credential_facts {
  std::string api_key_file;      ///< absolute path, from --api-key-file or AWORK_API_KEY_FILE; empty if none
  bool key_in_hand = false;      ///< a key from AWORK_API_KEY (or --api-key), with no key file
  bool signed_in = false;        ///< a stored sign-in for the server the entry talks to
  std::string private_key_file;  ///< where a key in hand is kept for editors that cannot ask for it
};

/// How the installed bridge will authenticate.
enum class credential_way {
  key_file,          ///< --api-key-file in the entry's args
  sign_in,           ///< nothing: the stored sign-in
  prompt,            ///< VS Code asks for the key and keeps it (inputs, ${input:...})
  private_key_file,  ///< the key in hand goes to a private file, named with --api-key-file
  none,              ///< nothing: the bridge starts a browser sign-in when it first needs one
};
std::ostream& operator<<(std::ostream& out, credential_way way);

struct entry_request {
  std::string name = "awork";
  std::string executable;                ///< absolute path of this program
  /// The npm package this program was started from by `npx` (its launcher says so): the entry
  /// then runs `npx -y <package>`, which outlives npx's cache, rather than a path inside it.
  std::string npm_package;
  std::vector<std::string> bridge_args;  ///< options given after `--`, their paths made absolute
  std::string url;                       ///< a server other than awork's given to `install`; empty for awork's
  credential_facts credential;
};

struct entry_plan {
  server_entry entry;
  credential_way way = credential_way::none;
  std::string explanation;  ///< one sentence for the user: how the bridge will authenticate
  std::string refusal;      ///< not empty: nothing may be installed, and why
};

entry_plan plan_entry(const client_layout& layout, const entry_request& request);

/// The value of `option` among bridge options (`--url X` or `--url=X`), or empty.
std::string option_value(const std::vector<std::string>& args, std::string_view option);

/// Bridge options with the values of the options that name files (--api-key-file, --ca-file,
/// --config, --log-file, --client-secret-file, --header-file) made absolute by `absolute`: an
/// editor starts the bridge in a directory of its own choosing, where a relative path means nothing.
std::vector<std::string> with_absolute_paths(std::vector<std::string> args,
                                             const std::function<std::string(const std::string&)>& absolute);

/// The unversioned path a package manager keeps for a program it installed under a versioned
/// directory, which the next upgrade deletes: Homebrew's `<prefix>/Cellar/<formula>/<version>/bin/X`
/// becomes `<prefix>/bin/X`. Empty when the path is not such a one. The caller names the result in
/// the entry only if it exists and is this same program.
std::string unversioned_executable(std::string_view executable);

/// The npm package named by the npm launcher's AWORK_MCP_LAUNCHED_BY ("npm:<package>"), or empty
/// when the value is absent or not a plain package name.
std::string npm_package_of_launcher(std::string_view launched_by);

/// Whether an entry name is one editors accept everywhere: letters, digits, '-', '_' and '.',
/// starting with a letter (VS Code's schema asks for that).
bool valid_entry_name(std::string_view name);

}  // namespace awork_mcp::install
