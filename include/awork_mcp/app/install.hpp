#pragma once
// `awork-mcp install CLIENT` and `awork-mcp uninstall CLIENT`: the files, the backups and the
// messages around the pure rules of install/ (which file, what entry, what edit).

#include "awork_mcp/app/config.hpp"

namespace awork_mcp {

/// Adds this program to the client's MCP configuration; 0 when it is there (added, or already),
/// 1 when the file is refused or cannot be written.
int run_install(const bridge_config& config, const install_request& request);

/// Removes the entry; 0 when it is gone (removed, or was not there), 1 when refused or failed.
int run_uninstall(const bridge_config& config, const install_request& request);

}  // namespace awork_mcp
